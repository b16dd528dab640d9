import Foundation
import Testing

extension TUIEndToEndTests {
    /// Accounts end to end: chat-tui registers, logs in with SASL from a password file, finds a
    /// DM sent while it was offline, and survives a wrong password.
    @Suite("chat-tui accounts end to end (tmux + chat-server with a database)", .serialized, .timeLimit(.minutes(1)))
    struct Accounts {
        /// A fresh database path and a server on it (cheap scrypt so logins are quick in tests).
        final class AccountServer {
            let database = NSTemporaryDirectory() + "chat-e2e-accounts-\(getpid())-\(UUID().uuidString).sqlite"
            let process: TUIServerProcess

            init() throws {
                process = try TUIServerProcess(database: database, extraArguments: ["--scrypt-cost", "10"])
            }

            deinit {
                process.stop()
                for suffix in ["", "-wal", "-shm"] { unlink(database + suffix) }
            }
        }

        /// A file holding `password` and a line break, as an editor saves it; only the owner reads it.
        final class PasswordFile {
            let path = NSTemporaryDirectory() + "chat-e2e-password-\(getpid())-\(UUID().uuidString)"

            init(_ password: String) {
                FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
            }

            deinit { unlink(path) }
        }

        func client(_ nick: String, port: Int, extra: [String] = []) throws -> TmuxSession {
            try TmuxSession(name: nick, width: 100, height: 30,
                            command: [try TUIBinaries.tui(), "--server", "127.0.0.1:\(port)", "--nick", nick] + extra,
                            environment: ["XDG_CONFIG_HOME": "/nonexistent", "TZ": "UTC"])
        }

        /// The sidebar row whose label is `label` (the first 20 columns), if it is on screen.
        func sidebarRow(_ screen: String, _ label: String) -> String? {
            screen.split(separator: "\n").map { String($0.prefix(20)) }.first { $0.dropFirst().hasPrefix(label + " ") }
        }

        /// `nick` registers an account from chat-tui with /register, then quits.
        func registerAccount(_ nick: String, password: String, port: Int) throws {
            let session = try client(nick, port: port)
            defer { session.kill() }
            try session.waitFor(text: "connected │ \(nick) │")
            try session.type("/register \(password)")
            try session.press("Enter")
            try session.waitFor(text: "Account \(nick) registered.")
            try session.type("/quit")
            try session.press("Enter")
            try session.waitFor("\(nick)'s client to exit") { _ in (try? session.paneIsDead()) == true }
        }

        @Test("bob is offline; alice DMs him and is told it will be delivered; bob starts with --password-file and sees it unread without a key")
        func offlineDelivery() throws {
            let server = try AccountServer()
            let port = server.process.port
            try registerAccount("bob", password: "b0b-s3cret", port: port)

            let alice = try client("alice", port: port)
            defer { alice.kill() }
            try alice.waitFor(text: "connected │ alice │")
            try alice.type("/query bob")
            try alice.press("Enter")
            try alice.waitFor(text: "[bob]")
            try alice.type("while you were out 👋")
            try alice.press("Enter")
            try alice.waitFor(text: "bob is offline; your message is stored and will be delivered")
            try alice.waitFor(text: "<alice> while you were out 👋")

            let passwordFile = PasswordFile("b0b-s3cret")
            let bob = try client("bob", port: port, extra: ["--password-file", passwordFile.path])
            defer { bob.kill() }
            try bob.waitFor(text: "Logged in as bob.")
            let screen = try bob.waitFor("alice's entry with an unread count") { screen in
                screen.contains("connected │ bob │") && (self.sidebarRow(screen, "alice") ?? "").hasSuffix("1")
            }
            #expect(!screen.contains("while you were out"), "bob has not opened the conversation")
            #expect(!screen.contains("b0b-s3cret"))

            // Opening it shows the message after the "new messages" line, and the count goes.
            try bob.press("C-n")
            try bob.waitFor(text: "<alice> while you were out 👋")
            try bob.waitFor("the count cleared") { !(self.sidebarRow($0, "alice") ?? "1").hasSuffix("1") }
        }

        @Test("A wrong password: the failure is shown, the client goes on as NICK_ and keeps working")
        func wrongPassword() throws {
            let server = try AccountServer()
            let port = server.process.port
            try registerAccount("carol", password: "right-one", port: port)

            let passwordFile = PasswordFile("wrong-one")
            let carol = try client("carol", port: port, extra: ["--password-file", passwordFile.path])
            defer { carol.kill() }
            try carol.waitFor(text: "Login as carol failed: SASL authentication failed. Continuing as")
            try carol.waitFor(text: "connected │ carol_ │")
            try carol.type("/join #after")
            try carol.press("Enter")
            try carol.waitFor(text: "[#after]")
            try carol.type("still here")
            try carol.press("Enter")
            try carol.waitFor(text: "<carol_> still here")
            #expect(!(try carol.screen()).contains("wrong-one"))
        }

        @Test("No password for a registered nick: a masked prompt; the typed password logs in and takes the nick back")
        func passwordPrompt() throws {
            let server = try AccountServer()
            let port = server.process.port
            try registerAccount("dave", password: "dave-passw0rd", port: port)

            let dave = try client("dave", port: port)
            defer { dave.kill() }
            try dave.waitFor(text: "Password for dave (Esc: stay a guest):")
            try dave.waitFor(text: "connected │ dave_ │")
            try dave.type("dave-passw0rd")
            let masked = try dave.waitFor(text: "Password for dave (Esc: stay a guest): *************")
            #expect(!masked.contains("dave-passw0rd"))
            try dave.press("Enter")
            try dave.waitFor(text: "Logged in as dave.")
            try dave.waitFor(text: "connected │ dave │")
            #expect(!(try dave.screen()).contains("dave-passw0rd"))
        }

        @Test("Two sessions of one account in a room: a message is unread in both; reading it in one clears the count in the other by itself")
        func sharedReadMarker() throws {
            let server = try AccountServer()
            let port = server.process.port
            try registerAccount("bob", password: "b0b-s3cret", port: port)
            let passwordFile = PasswordFile("b0b-s3cret")
            let first = try client("bob", port: port, extra: ["--password-file", passwordFile.path])
            defer { first.kill() }
            try first.waitFor(text: "connected │ bob │")
            let second = try client("bob", port: port, extra: ["--password-file", passwordFile.path])
            defer { second.kill() }
            try second.waitFor(text: "Logged in as bob.")
            try second.waitFor(text: "connected │ bob_ │")
            // Both sessions join #team and go back to the server buffer.
            for session in [first, second] {
                try session.type("/join #team")
                try session.press("Enter")
                try session.waitFor(text: "[#team]")
                try session.press("M-1")
                try session.waitFor(text: "[chat]")
            }

            let alice = try client("alice", port: port)
            defer { alice.kill() }
            try alice.waitFor(text: "connected │ alice │")
            try alice.type("/join #team")
            try alice.press("Enter")
            try alice.waitFor(text: "[#team]")
            try alice.type("read me once")
            try alice.press("Enter")
            for session in [first, second] {
                try session.waitFor("#team with an unread count") { (self.sidebarRow($0, "#team") ?? "").hasSuffix("1") }
            }
            try first.type("/join #team")
            try first.press("Enter")
            try first.waitFor(text: "<alice> read me once")
            let cleared = try second.waitFor("the other session's count cleared") { screen in
                guard let row = self.sidebarRow(screen, "#team") else { return false }
                return !row.hasSuffix("1")
            }
            #expect(!cleared.contains("read me once"), "the second session did not open the room")
        }
    }
}
