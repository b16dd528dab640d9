import Foundation
import Testing
import Shared

@Suite("chat-server account add|passwd|delete|list")
struct AccountsCLITests {
    @Test("add (password file and stdin), list, then the server logs them in")
    func addAndList() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("chat.db")
        let passwordFile = folder.file("alice.pw")
        try "correct-horse\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        let byFile = try ChatServer.run(["account", "add", "--db", db, "--password-file", passwordFile, "--email", "alice@example.com", "alice"], input: "")
        #expect(byFile.status == 0, "\(byFile)")
        #expect(byFile.output.contains("alice"))
        let byStdin = try ChatServer.run(["account", "add", "--db", db, "Bob"], input: "battery-staple\n")
        #expect(byStdin.status == 0, "\(byStdin)")

        let list = try ChatServer.run(["account", "list", "--db", db], input: "")
        #expect(list.status == 0, "\(list)")
        let rows = list.output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(rows.map { $0.first ?? "" }.sorted() == ["Bob", "alice"], "\(list)")
        #expect(rows.first { $0.first == "alice" }?.dropFirst().first == "alice@example.com")

        let server = try ChatServer.start(database: db)
        try server.saslClient("alice", password: "correct-horse")
        try server.saslClient("bob", account: "bob", password: "battery-staple")
        // Nicks of accounts made on the command line are protected too.
        let guest = try server.connection("guest")
        try guest.send("NICK ALICE")
        try guest.send("USER guest 0 * :x")
        try guest.expect(IRCNumeric.nicknameInUse, within: hashDeadline)
    }

    @Test("an account added while the server runs can log in at once; PASS and nick protection know it too")
    func addWhileRunning() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("chat.db")
        let server = try ChatServer.start(database: db)
        let added = try ChatServer.run(["account", "add", "--db", db, "zed"], input: "correct-horse\n")
        #expect(added.status == 0, "\(added)")
        let viaSASL = try server.saslReadyConnection("zed_sasl")
        #expect(try viaSASL.authenticatePlain(account: "zed", password: "correct-horse").command == IRCNumeric.saslSuccess)
        try viaSASL.send("QUIT")
        let viaPass = try server.connection("zed_pass")
        let burst = try viaPass.register(nick: "zed", password: "correct-horse", within: hashDeadline)
        try viaPass.send("QUIT")
        try viaPass.expectClosed()
        let guest = try server.connection("guest")
        try guest.send("NICK zed")
        try guest.send("USER guest 0 * :x")
        let reply = try guest.expect("001 or 433", within: hashDeadline) {
            $0.command == IRCNumeric.welcome || $0.command == IRCNumeric.nicknameInUse
        }
        #expect(burst.contains { $0.command == IRCNumeric.loggedIn }, "PASS left zed a guest")
        #expect(reply.command == IRCNumeric.nicknameInUse, "a guest took the nick of the account zed")
    }

    @Test("passwd changes the password, also while the server runs: the old one fails, the new one works")
    func passwd() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("chat.db")
        let added = try ChatServer.run(["account", "add", "--db", db, "alice"], input: "correct-horse\n")
        #expect(added.status == 0, "\(added)")
        let server = try ChatServer.start(database: db)
        let changed = try ChatServer.run(["account", "passwd", "--db", db, "alice"], input: "new-password-42\n")
        #expect(changed.status == 0, "\(changed)")

        let client = try server.connection("alice")
        try client.send("CAP LS 302")
        _ = try client.capLS()
        try client.send("CAP REQ :sasl")
        try client.expect("CAP", "*", "ACK")
        try client.send("NICK alice")
        try client.send("USER alice 0 * :x")
        #expect(try client.authenticatePlain(account: "alice", password: "correct-horse").command == IRCNumeric.saslFail)
        #expect(try client.authenticatePlain(account: "alice", password: "new-password-42").command == IRCNumeric.saslSuccess)
    }

    @Test("delete removes the account: it leaves the list, and after a restart its nick is free and its login gone")
    func delete() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("chat.db")
        #expect(try ChatServer.run(["account", "add", "--db", db, "alice"], input: "correct-horse\n").status == 0)
        #expect(try ChatServer.run(["account", "add", "--db", db, "carol"], input: "correct-horse\n").status == 0)
        let deleted = try ChatServer.run(["account", "delete", "--db", db, "ALICE"], input: "")
        #expect(deleted.status == 0, "\(deleted)")
        let list = try ChatServer.run(["account", "list", "--db", db], input: "")
        #expect(list.output.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["carol"], "\(list)")
        let again = try ChatServer.run(["account", "delete", "--db", db, "alice"], input: "")
        #expect(again.status == 1, "\(again)")
        #expect(again.output.contains("alice"))

        let server = try ChatServer.start(database: db)
        let guest = try server.client("alice")
        try guest.sync()
        let login = try server.connection("login")
        try login.send("CAP LS 302")
        _ = try login.capLS()
        try login.send("CAP REQ :sasl")
        try login.expect("CAP", "*", "ACK")
        try login.send("NICK login")
        try login.send("USER login 0 * :x")
        #expect(try login.authenticatePlain(account: "alice", password: "correct-horse").command == IRCNumeric.saslFail)
    }

    @Test("refused requests exit 1 with a reason: duplicate, weak password, bad name, unknown account, empty password")
    func badInput() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("chat.db")
        #expect(try ChatServer.run(["account", "add", "--db", db, "alice"], input: "correct-horse\n").status == 0)
        let cases: [([String], String)] = [
            (["account", "add", "--db", db, "alice"], "another-password\n"),
            (["account", "add", "--db", db, "ALICE"], "another-password\n"),
            (["account", "add", "--db", db, "weakling"], "short\n"),
            (["account", "add", "--db", db, "#room"], "correct-horse\n"),
            (["account", "add", "--db", db, "has space"], "correct-horse\n"),
            (["account", "add", "--db", db, "--email", "not-an-address", "mailer"], "correct-horse\n"),
            (["account", "add", "--db", db, "silent"], ""),
            (["account", "add", "--db", db, "--password-file", folder.file("missing.pw"), "nofile"], ""),
            (["account", "passwd", "--db", db, "nobody"], "correct-horse\n"),
            (["account", "passwd", "--db", db, "alice"], "short\n"),
            (["account", "delete", "--db", db, "nobody"], ""),
            (["account", "list", "--db", ":memory:"], ""),
        ]
        for (arguments, input) in cases {
            let result = try ChatServer.run(arguments, input: input)
            #expect(result.status != 0, "\(arguments) -> \(result)")
            #expect(!result.output.isEmpty, "\(arguments) exited \(result.status) without saying why")
            #expect(!result.output.contains("Fatal error"), "\(arguments) crashed: \(result)")
        }
        // None of the refused adds made an account, and alice's password is unchanged.
        let list = try ChatServer.run(["account", "list", "--db", db], input: "")
        #expect(list.output.split(separator: "\n").count == 1, "\(list)")
        let server = try ChatServer.start(database: db)
        try server.saslClient("alice", password: "correct-horse")
    }

    @Test("a bad flag, subcommand or missing argument prints usage and exits 64")
    func usageErrors() throws {
        let folder = try TemporaryFolder()
        let db = folder.file("chat.db")
        let cases: [[String]] = [
            ["account", "add", "--db", db, "--bogus", "alice"],
            ["account", "frobnicate", "--db", db],
            ["account", "add", "--db", db],
            ["account", "list", "--db"],
            ["--no-such-flag"],
            ["--db", db, "--durability", "sometimes"],
            ["--db", db, "--history-days", "0"],
            ["--db", db, "--history-days", "soon"],
        ]
        for arguments in cases {
            let result = try ChatServer.run(arguments, input: "correct-horse\n")
            #expect(result.status == 64, "\(arguments) -> \(result)")
            #expect(result.output.lowercased().contains("usage") || result.output.lowercased().contains("error"), "\(arguments) -> \(result)")
        }
    }
}
