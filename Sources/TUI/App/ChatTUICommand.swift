import ArgumentParser
import Foundation

/// `chat-tui`: the command line. Everything is checked before the terminal is touched, so a
/// bad flag or config file prints usage and exits 64 with the terminal as it was.
@main
struct ChatTUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-tui",
        abstract: "A full-screen IRC chat client: sidebar roster, rooms, conversations.",
        discussion: """
            Settings come from the flags, then $CHAT_SERVER and $CHAT_NICK, then \
            $XDG_CONFIG_HOME/chat-tui/config.toml (keys: server, nick, user, realname, password), \
            then $USER. The account password is best given by --password-file, $CHAT_PASSWORD or the \
            config file (a --password on the command line shows in ps); without one, chat-tui asks \
            for it when the server says the nick is registered. It logs in with SASL PLAIN when the \
            server offers it. Press F1 inside for keys and commands.
            """)

    @Option(name: .long, help: ArgumentHelp("Server to connect to (default 127.0.0.1:6667).", valueName: "HOST:PORT"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("Nick to use (default $CHAT_NICK, then $USER).", valueName: "NAME"))
    var nick: String?

    @Option(name: .long, help: ArgumentHelp("User name for USER (default: the nick).", valueName: "NAME"))
    var user: String?

    @Option(name: .long, help: ArgumentHelp("Real name for USER.", valueName: "TEXT"))
    var realname: String?

    @Option(name: .long, help: ArgumentHelp("Account password (visible in ps: prefer --password-file or $CHAT_PASSWORD).", valueName: "PASS"))
    var password: String?

    @Option(name: .long, help: ArgumentHelp("Read the account password from the first line of this file.", valueName: "PATH"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("Config file (default $XDG_CONFIG_HOME/chat-tui/config.toml).", valueName: "PATH"))
    var config: String?

    /// Merges flags, environment and config file into the identity to connect with.
    static func resolve(flags: ChatTUICommand, environment: [String: String]) throws -> ServerIdentity {
        var settings = Config()
        do {
            if let path = flags.config {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw ValidationError("--config \(path): no such file")
                }
                try settings.apply(file: path)
            } else if let path = Config.defaultPath(environment: environment) {
                try settings.apply(file: path)
            }
            if let server = environment["CHAT_SERVER"], !server.isEmpty { try settings.setServer(server, origin: "$CHAT_SERVER") }
            if let nick = environment["CHAT_NICK"], !nick.isEmpty { try settings.setNick(nick, origin: "$CHAT_NICK") }
            if let password = environment["CHAT_PASSWORD"], !password.isEmpty { settings.password = password }
            if let server = flags.server { try settings.setServer(server, origin: "--server") }
            if let nick = flags.nick { try settings.setNick(nick, origin: "--nick") }
        } catch let problem as Config.Problem {
            throw ValidationError(problem.description)
        }
        if let user = flags.user { settings.user = user }
        if let realname = flags.realname { settings.realname = realname }
        if flags.password != nil, flags.passwordFile != nil {
            throw ValidationError("--password and --password-file: give only one")
        }
        if let path = flags.passwordFile { settings.password = try PasswordFile.read(path) }
        if let password = flags.password {
            guard !password.isEmpty else { throw ValidationError("--password: the password is empty") }
            settings.password = password
        }
        if settings.nick == nil, let login = environment["USER"], LoginName.isUsableAsNick(login) {
            settings.nick = login
        }
        guard let nick = settings.nick else {
            throw ValidationError("no nick: pass --nick NAME, set $CHAT_NICK, or put nick = \"NAME\" in the config file")
        }
        let user = settings.user ?? nick
        guard !user.isEmpty, !user.contains(where: { $0 == " " || $0 == "@" || $0.isNewline }) else {
            throw ValidationError("--user \(user): a user name has no spaces or @")
        }
        return ServerIdentity(host: settings.host, port: settings.port, nick: nick, user: user,
                              realname: settings.realname ?? nick, password: settings.password)
    }

    func run() throws {
        let identity = try Self.resolve(flags: self, environment: ProcessInfo.processInfo.environment)
        let code = try ChatApp(identity: identity).run()
        if code != 0 { throw ExitCode(code) }
    }
}

/// The password file: its first line, without the line break (editors add one).
enum PasswordFile {
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("--password-file \(path): cannot read it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--password-file \(path): not UTF-8 text")
        }
        // "\r\n" is one Character, so split on any line break rather than on "\n".
        let password = String(text.split(maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: \.isNewline).first ?? "")
        guard !password.isEmpty else { throw ValidationError("--password-file \(path): the first line is empty") }
        return password
    }
}

/// A login name is used as the default nick only if it is a valid nick.
enum LoginName {
    static func isUsableAsNick(_ name: String) -> Bool {
        var probe = Config()
        return (try? probe.setNick(name, origin: "$USER")) != nil
    }
}
