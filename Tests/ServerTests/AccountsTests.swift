import Foundation
import Testing
import Shared

@Suite("Accounts: REGISTER, SASL PLAIN, PASS, nick protection")
struct AccountsTests {
    @Test("REGISTER creates the account for the current nick: REGISTER SUCCESS, 900, WHOIS 330 and ACCOUNT to peers")
    func register() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["account-notify"])
        let bob = try server.client("bob", caps: ["account-notify"])
        try alice.send("JOIN #lobby")
        try alice.expect("JOIN")
        try bob.send("JOIN #lobby")
        try bob.expect("JOIN")
        try alice.send("REGISTER * alice@example.com correct-horse")
        let success = try alice.expect("REGISTER SUCCESS", within: hashDeadline) { $0.command == "REGISTER" }
        #expect(success.params.prefix(2) == ["SUCCESS", "alice"])
        let loggedIn = try alice.expectNumeric(IRCNumeric.loggedIn, within: hashDeadline)
        #expect(loggedIn.param(1)?.hasPrefix("alice!") == true)
        #expect(loggedIn.param(2) == "alice")
        let notify = try bob.expect("ACCOUNT", within: hashDeadline) { $0.command == "ACCOUNT" }
        #expect(notify.source?.hasPrefix("alice!") == true && notify.param(0) == "alice")
        try bob.send("WHOIS alice")
        let account = try bob.expectNumeric(IRCNumeric.whoisAccount, "alice")
        #expect(account.param(2) == "alice")
    }

    @Test("REGISTER before connect: the account is made during registration, 900 at once, and the welcome after CAP END")
    func registerBeforeConnect() throws {
        let server = try ChatServer.start()
        let client = try server.connection("alice")
        try client.send("CAP LS 302")
        let offered = try client.capLS()
        #expect(offered["draft/account-registration"] == "before-connect")
        try client.send("CAP REQ :draft/account-registration")
        try client.expect("CAP", "*", "ACK")
        try client.send("NICK alice")
        try client.send("USER alice 0 * :Alice")
        try client.send("REGISTER * * correct-horse")
        let success = try client.expect("REGISTER SUCCESS", within: hashDeadline) { $0.command == "REGISTER" }
        #expect(success.params.prefix(2) == ["SUCCESS", "alice"])
        #expect(try client.expectNumeric(IRCNumeric.loggedIn, within: hashDeadline).param(2) == "alice")
        try client.expectNone("a welcome before CAP END") { $0.command == IRCNumeric.welcome }
        try client.send("CAP END")
        try client.expect(IRCNumeric.welcome, within: hashDeadline)
        try client.expectNone("a second 900") { $0.command == IRCNumeric.loggedIn }
        try client.send("WHOIS alice")
        #expect(try client.expectNumeric(IRCNumeric.whoisAccount, "alice").param(2) == "alice")
    }

    @Test("SASL PLAIN logs in to an existing account on a new connection, with any nick")
    func saslLogin() throws {
        let server = try ChatServer.start()
        let first = try server.accountClient("alice", password: "correct-horse")
        try first.send("QUIT :bye")
        try first.expectClosed()
        let again = try server.connection("alice-again")
        let burst = try again.registerWithSASL(nick: "alice", account: "alice", password: "correct-horse")
        // 900 then 903, as the sasl spec shows them, before the welcome; and only once.
        let logins = burst.indices.filter { burst[$0].command == IRCNumeric.loggedIn }
        let success = try #require(burst.firstIndex { $0.command == IRCNumeric.saslSuccess })
        let welcome = try #require(burst.firstIndex { $0.command == IRCNumeric.welcome })
        #expect(logins.count == 1 && logins[0] < success && success < welcome, "\(burst.map(\.wireLine))")
        #expect(logins.first.flatMap { burst[$0].param(2) } == "alice")
        #expect(logins.first.flatMap { burst[$0].param(1) }?.hasPrefix("alice!") == true)
        // A second session of the same account under another nick.
        let second = try server.connection("second")
        try second.registerWithSASL(nick: "alice_phone", account: "ALICE", password: "correct-horse")
        let observer = try server.client("observer")
        try observer.send("WHOIS alice_phone")
        #expect(try observer.expectNumeric(IRCNumeric.whoisAccount, "alice_phone").param(2) == "alice")
    }

    @Test("PASS logs in at registration: `PASS password` for the nick's account, `PASS account:password` for a named one")
    func passLogin() throws {
        let server = try ChatServer.start()
        let first = try server.accountClient("alice", password: "correct-horse")
        try first.send("QUIT :bye")
        try first.expectClosed()
        let byNick = try server.connection("byNick")
        let burst = try byNick.register(nick: "alice", password: "correct-horse", within: hashDeadline)
        #expect(burst.contains { $0.command == IRCNumeric.loggedIn && $0.param(2) == "alice" })
        let named = try server.connection("named")
        let namedBurst = try named.register(nick: "laptop", password: "alice:correct-horse", within: hashDeadline)
        #expect(namedBurst.contains { $0.command == IRCNumeric.loggedIn && $0.param(2) == "alice" })
        #expect(namedBurst.first { $0.command == IRCNumeric.welcome }?.param(0) == "laptop")
    }

    @Test("CAP END sent while the password is still being checked: registration waits for the answer")
    func registrationWaitsForLogin() throws {
        let server = try ChatServer.start()
        let owner = try server.accountClient("alice", password: "correct-horse", caps: [])
        try owner.send("QUIT")
        try owner.expectClosed()
        for (password, loggedIn) in [("correct-horse", true), ("wrong-horse", false)] {
            let client = try server.saslReadyConnection("device")
            try client.send("AUTHENTICATE PLAIN")
            try client.expect("AUTHENTICATE", "+")
            let payload = Data([0] + Array("alice".utf8) + [0] + Array(password.utf8)).base64EncodedString()
            try client.send("AUTHENTICATE \(payload)")
            try client.send("CAP END")
            let lines = try client.collect(until: "001", within: hashDeadline) { $0.command == IRCNumeric.welcome }
            let commands = lines.map(\.command)
            if loggedIn {
                #expect(commands.firstIndex(of: IRCNumeric.loggedIn).map { $0 < commands.count - 1 } == true, "\(commands)")
                #expect(commands.contains(IRCNumeric.saslSuccess), "\(commands)")
            } else {
                #expect(commands.contains(IRCNumeric.saslFail) && !commands.contains(IRCNumeric.loggedIn), "\(commands)")
            }
            try client.send("QUIT")
            try client.expectClosed()
        }
    }

    @Test("a wrong password: SASL answers 904 and lets the client retry; PASS answers 464 and closes")
    func wrongPassword() throws {
        let server = try ChatServer.start()
        let first = try server.accountClient("alice", password: "correct-horse")
        try first.send("QUIT")
        try first.expectClosed()

        let sasl = try server.connection("sasl")
        try sasl.send("CAP LS 302")
        _ = try sasl.capLS()
        try sasl.send("CAP REQ :sasl")
        try sasl.expect("CAP", "*", "ACK")
        try sasl.send("NICK alice_sasl")
        try sasl.send("USER alice 0 * :Alice")
        #expect(try sasl.authenticatePlain(account: "alice", password: "battery-staple").command == IRCNumeric.saslFail)
        #expect(try sasl.authenticatePlain(account: "nobody", password: "battery-staple").command == IRCNumeric.saslFail)
        #expect(try sasl.authenticatePlain(account: "alice", password: "correct-horse").command == IRCNumeric.saslSuccess)
        try sasl.send("CAP END")
        try sasl.expect(IRCNumeric.welcome, within: hashDeadline)

        let pass = try server.connection("pass")
        try pass.send("PASS battery-staple")
        try pass.send("NICK alice2")
        try pass.send("USER alice 0 * :x")
        // Not alice's nick and no account by that name: PASS is not an account password then.
        try pass.expect(IRCNumeric.welcome, within: hashDeadline)
        for (label, password, nick) in [("wrong", "battery-staple", "alice"), ("named", "alice:battery-staple", "bob")] {
            let wrong = try server.connection(label)
            try wrong.send("PASS \(password)")
            try wrong.send("NICK \(nick)")
            try wrong.send("USER \(nick) 0 * :x")
            let refused = try wrong.collect(until: "464", within: hashDeadline) { $0.command == IRCNumeric.passwdMismatch }
            #expect(!refused.contains { $0.command == IRCNumeric.welcome })
            let closing = try wrong.expectClosed(within: hashDeadline)
            #expect(closing.contains { $0.command == "ERROR" })
            #expect(!closing.contains { $0.command == IRCNumeric.welcome })
        }
    }

    @Test("REGISTER refusals: weak password, taken account, name not the nick, already logged in, bad e-mail")
    func registerRefusals() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        #expect(try alice.registerRefused("REGISTER * * short").params.prefix(2) == ["REGISTER", "WEAK_PASSWORD"])
        #expect(try alice.registerRefused("REGISTER * * 1234567").param(1) == "WEAK_PASSWORD")
        #expect(try alice.registerRefused("REGISTER mallory * correct-horse").param(1) == "ACCOUNT_NAME_MUST_BE_NICK")
        #expect(try alice.registerRefused("REGISTER * not-an-email correct-horse").param(1) == "INVALID_EMAIL")
        // The weak attempts made nothing: a good password still works (8 bytes is enough).
        try alice.registerAccount(password: "12345678")
        #expect(try alice.registerRefused("REGISTER * * another-password").param(1) == "ALREADY_AUTHENTICATED")
        try alice.send("QUIT")
        try alice.expectClosed()

        // alice is offline: a newcomer may hold the nick while registering, but not take the account.
        let thief = try server.connection("thief")
        try thief.send("CAP LS 302")
        _ = try thief.capLS()
        try thief.send("NICK alice")
        #expect(try thief.registerRefused("REGISTER * * correct-horse").param(1) == "ACCOUNT_EXISTS")
        #expect(try thief.registerRefused("REGISTER ALICE * correct-horse").param(1) == "ACCOUNT_EXISTS")
    }

    @Test("before registration a registered nick gets 433 at completion, and the client can pick another nick")
    func nickProtectionBeforeRegistration() throws {
        let server = try ChatServer.start()
        let owner = try server.accountClient("bob", password: "correct-horse")
        try owner.send("QUIT")
        try owner.expectClosed()
        let guest = try server.connection("guest")
        try guest.send("NICK bob")
        try guest.send("USER guest 0 * :Guest")
        let refused = try guest.expect(IRCNumeric.nicknameInUse, within: hashDeadline)
        #expect(refused.param(1) == "bob")
        try guest.expectNone("a welcome under a protected nick") { $0.command == IRCNumeric.welcome }
        try guest.send("NICK Bob")
        try guest.expect(IRCNumeric.nicknameInUse)
        try guest.send("NICK bobby")
        let welcome = try guest.expect(IRCNumeric.welcome)
        #expect(welcome.param(0) == "bobby")
    }

    @Test("after registration NICK to a registered nick gets 433 unless logged in to that account")
    func nickProtectionAfterRegistration() throws {
        let server = try ChatServer.start()
        let owner = try server.accountClient("bob", password: "correct-horse")
        let carol = try server.client("carol")
        try carol.send("NICK bob")
        try carol.expect(IRCNumeric.nicknameInUse)
        try owner.send("QUIT")
        try owner.expectClosed()
        // Offline owner: still protected.
        try carol.send("NICK BOB")
        let refused = try carol.expect(IRCNumeric.nicknameInUse)
        #expect(refused.param(1) == "BOB")
        try carol.send("WHOIS carol")
        try carol.expectNumeric(IRCNumeric.whoisUser, "carol")
        // The owner under another nick may take it back.
        let returning = try server.connection("returning")
        try returning.registerWithSASL(nick: "bob_", account: "bob", password: "correct-horse")
        try returning.send("NICK bob")
        let change = try returning.expect("NICK") { $0.command == "NICK" }
        #expect(change.param(0) == "bob")
    }

    @Test("failed logins are rate-limited: after 5 in a minute even the right password is refused")
    func loginRateLimit() throws {
        let server = try ChatServer.start()
        let owner = try server.accountClient("alice", password: "correct-horse")
        try owner.send("QUIT")
        try owner.expectClosed()
        let guesser = try server.connection("guesser")
        try guesser.send("CAP LS 302")
        _ = try guesser.capLS()
        try guesser.send("CAP REQ :sasl")
        try guesser.expect("CAP", "*", "ACK")
        try guesser.send("NICK guesser")
        try guesser.send("USER guesser 0 * :x")
        for attempt in 1...5 {
            let reply = try guesser.authenticatePlain(account: "alice", password: "guess-\(attempt)")
            #expect(reply.command == IRCNumeric.saslFail, "attempt \(attempt)")
        }
        let blocked = try guesser.authenticatePlain(account: "alice", password: "correct-horse")
        #expect(blocked.command == IRCNumeric.saslFail)
        #expect(blocked.params.last?.contains("too many") == true, "\(blocked.wireLine)")

        // PASS from the same address is refused the same way, and closed.
        let viaPass = try server.connection("viaPass")
        try viaPass.send("PASS correct-horse")
        try viaPass.send("NICK alice")
        try viaPass.send("USER alice 0 * :x")
        let refusal = try viaPass.expect(IRCNumeric.passwdMismatch, within: hashDeadline)
        #expect(refusal.params.last?.lowercased().contains("too many") == true)
        try viaPass.expectClosed(within: hashDeadline)
    }

    @Test("the login limit counts per account across addresses and per address across accounts")
    func loginRateLimitKeys() throws {
        let server = try ChatServer.start()
        for name in ["alice", "carol"] {
            let owner = try server.accountClient(name, password: "correct-horse", caps: [])
            try owner.send("QUIT")
            try owner.expectClosed()
        }
        let guesser = try server.saslReadyConnection("guesser", from: "127.0.0.2")
        for attempt in 1...5 {
            #expect(try guesser.authenticatePlain(account: "alice", password: "guess-\(attempt)").command == IRCNumeric.saslFail)
        }
        // alice's account is locked for everyone, whatever the address.
        let elsewhere = try server.saslReadyConnection("elsewhere", from: "127.0.0.3")
        let locked = try elsewhere.authenticatePlain(account: "alice", password: "correct-horse")
        #expect(locked.command == IRCNumeric.saslFail && locked.params.last?.contains("too many") == true, "\(locked.wireLine)")
        // The guessing address is locked for every account...
        let sameAddress = try server.saslReadyConnection("sameAddress", from: "127.0.0.2")
        let blocked = try sameAddress.authenticatePlain(account: "carol", password: "correct-horse")
        #expect(blocked.command == IRCNumeric.saslFail && blocked.params.last?.contains("too many") == true, "\(blocked.wireLine)")
        // ...while another address still logs in to another account.
        #expect(try elsewhere.authenticatePlain(account: "carol", password: "correct-horse").command == IRCNumeric.saslSuccess)
    }

    @Test("AUTHENTICATE edges: unknown mechanism 908+904, abort 906, bad payload 904, already logged in 907")
    func authenticateEdges() throws {
        let server = try ChatServer.start()
        let client = try server.connection("client")
        try client.send("CAP LS 302")
        _ = try client.capLS()
        try client.send("CAP REQ :sasl")
        try client.expect("CAP", "*", "ACK")
        try client.send("NICK client")
        try client.send("USER client 0 * :x")
        try client.send("AUTHENTICATE SCRAM-SHA-256")
        let mechs = try client.expect(IRCNumeric.saslMechs)
        #expect(mechs.param(1) == "PLAIN")
        try client.expect(IRCNumeric.saslFail)
        try client.send("AUTHENTICATE PLAIN")
        try client.expect("AUTHENTICATE", "+")
        try client.send("AUTHENTICATE *")
        try client.expect(IRCNumeric.saslAborted)
        try client.send("AUTHENTICATE PLAIN")
        try client.expect("AUTHENTICATE", "+")
        try client.send("AUTHENTICATE !!!not-base64!!!")
        try client.expect(IRCNumeric.saslFail)
        try client.send("REGISTER * * correct-horse")
        try client.expect("REGISTER", "SUCCESS", within: hashDeadline)
        try client.expectNumeric(IRCNumeric.loggedIn, within: hashDeadline)
        try client.send("AUTHENTICATE PLAIN")
        try client.expect(IRCNumeric.saslAlready)
        try client.send("CAP END")
        try client.expect(IRCNumeric.welcome, within: hashDeadline)
    }

    @Test("a SASL payload over 400 bytes arrives in 400-byte chunks; one of exactly 400 ends with `AUTHENTICATE +`")
    func saslChunks() throws {
        let server = try ChatServer.start()
        // \0alice\0 + 299 bytes: 408 in base64, one full chunk and a short one.
        let long = String(repeating: "y", count: 299)
        // \0bob\0 + 295 bytes is 300 bytes: exactly 400 in base64.
        let exact = String(repeating: "x", count: 295)
        for (name, password) in [("alice", long), ("bob", exact)] {
            let owner = try server.accountClient(name, password: password, caps: [])
            try owner.send("QUIT")
            try owner.expectClosed()
        }
        func authenticate(_ client: TestClient, account: String, password: String) throws -> IRCMessage {
            let payload = Data([0] + Array(account.utf8) + [0] + Array(password.utf8)).base64EncodedString()
            try client.send("AUTHENTICATE PLAIN")
            try client.expect("AUTHENTICATE", "+")
            var rest = Substring(payload)
            while rest.count >= 400 {
                try client.send("AUTHENTICATE \(rest.prefix(400))")
                rest = rest.dropFirst(400)
            }
            try client.send("AUTHENTICATE \(rest.isEmpty ? "+" : String(rest))")
            return try client.expect("903/904", within: hashDeadline) { [IRCNumeric.saslSuccess, IRCNumeric.saslFail].contains($0.command) }
        }
        for (name, password) in [("alice", long), ("bob", exact)] {
            let client = try server.saslReadyConnection(name)
            let reply = try authenticate(client, account: name, password: password)
            #expect(reply.command == IRCNumeric.saslSuccess, "\(name): \(reply.wireLine)")
            try client.send("CAP END")
            try client.expect(IRCNumeric.welcome, within: hashDeadline)
        }
    }

    @Test("account-tag and extended-join carry the sender's account")
    func accountTags() throws {
        let server = try ChatServer.start()
        let alice = try server.accountClient("alice", password: "correct-horse", caps: [])
        let bob = try server.client("bob", caps: ["account-tag", "extended-join"])
        try bob.send("JOIN #lobby")
        try bob.expect("JOIN")
        try alice.send("JOIN #lobby")
        let join = try bob.expect("alice's JOIN") { $0.command == "JOIN" && $0.source?.hasPrefix("alice!") == true }
        #expect(join.params == ["#lobby", "alice", "Test alice"])
        try alice.send("PRIVMSG bob :tagged")
        let message = try bob.expect("PRIVMSG", "bob")
        #expect(message.tag("account") == "alice")
    }
}
