import ArgumentParser
import ChatStore
import Foundation
import Shared

/// `chat-server account …`: operator commands against the same database the server uses.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Manage accounts in the server's database (run while the server is up or down).",
        discussion: "The database is the server's: pass --db PATH as for the server (default: $XDG_DATA_HOME/chat/chat.db or ~/.local/share/chat/chat.db).",
        subcommands: [Add.self, Passwd.self, Delete.self, List.self]
    )

    /// Opens the database named by the server's own `--db` (given before or after the subcommand).
    static func openDatabase(_ server: ChatServerCommand) throws -> StoreDatabase {
        guard server.db != ":memory:" else { throw ValidationError("--db must name a file for account commands") }
        return try StoreDatabase(configuration: StoreConfiguration(path: server.db))
    }

    struct PasswordOption: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("Read the password from this file's first line (else from stdin).", valueName: "file"))
        var passwordFile: String?

        func read() throws -> String {
            let text: String
            if let passwordFile {
                text = try String(contentsOfFile: passwordFile, encoding: .utf8)
            } else {
                text = Swift.readLine(strippingNewline: true) ?? ""
            }
            let password = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !password.isEmpty else { throw ValidationError("no password given (use --password-file or standard input)") }
            return password
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password comes from --password-file or stdin.")
        @ParentCommand var server: ChatServerCommand
        @OptionGroup var password: PasswordOption
        @Option(name: .long, help: "E-mail address to record.") var email: String?
        @Argument(help: "Account name (a valid nick).") var name: String

        func run() throws {
            let store = try AccountCommand.openDatabase(server)
            switch store.registerAccount(name: name, email: email, password: try password.read()) {
            case .success(let info): print("created account \(info.name)")
            case .failure(let failure): throw AccountCommand.failure(failure.message)
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password; the password comes from --password-file or stdin.")
        @ParentCommand var server: ChatServerCommand
        @OptionGroup var password: PasswordOption
        @Argument(help: "Account name.") var name: String

        func run() throws {
            let store = try AccountCommand.openDatabase(server)
            switch store.changePassword(account: name, newPassword: try password.read()) {
            case .success: print("password changed for \(name)")
            case .failure(let failure): throw AccountCommand.failure(failure.message)
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an account and its read markers.")
        @ParentCommand var server: ChatServerCommand
        @Argument(help: "Account name.") var name: String

        func run() throws {
            let store = try AccountCommand.openDatabase(server)
            guard try store.deleteAccount(name) else { throw AccountCommand.failure("no account named \(name)") }
            print("deleted account \(name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every account.")
        @ParentCommand var server: ChatServerCommand

        func run() throws {
            let store = try AccountCommand.openDatabase(server)
            for account in try store.listAccounts() {
                let created = IRCTime.format(millisecondsSince1970: account.createdMs)
                print("\(account.name)\t\(account.email ?? "-")\t\(created)")
            }
        }
    }

    /// Prints the reason to stderr and exits 1 (the request was well-formed but refused).
    static func failure(_ text: String) -> ExitCode {
        FileHandle.standardError.write(Data("chat-server account: \(text)\n".utf8))
        return ExitCode(1)
    }
}
