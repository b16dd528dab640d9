import Foundation
import Testing
import Shared

@Suite("Registration")
struct RegistrationTests {
    @Test("CAP LS 302 offers the profile's capabilities, including the roster")
    func capLS() throws {
        let server = try ChatServer.start()
        let client = try server.connection("alice")
        try client.send("CAP LS 302")
        let offered = try client.capLS()
        for cap in [IRCCapability.roster, "message-tags", "server-time", "echo-message", "batch", "cap-notify",
                    "labeled-response", "away-notify", "multi-prefix", "userhost-in-names", "invite-notify", "setname"] {
            #expect(offered[cap] != nil, "CAP LS lacks \(cap): \(offered.keys.sorted())")
        }
    }

    @Test("CAP REQ is ACKed as a whole, CAP LIST shows it, an unknown cap NAKs the whole request")
    func capReqListNak() throws {
        let server = try ChatServer.start()
        let client = try server.connection("alice")
        try client.send("CAP LS 302")
        _ = try client.capLS()
        try client.send("CAP REQ :server-time echo-message")
        let ack = try client.expect("CAP", "*", "ACK")
        #expect(Set((ack.params.last ?? "").split(separator: " ")) == ["server-time", "echo-message"])
        try client.send("CAP REQ :message-tags no-such-cap")
        let nak = try client.expect("CAP", "*", "NAK")
        #expect(nak.params.last == "message-tags no-such-cap")
        try client.send("CAP LIST")
        let list = try client.expect("CAP", "*", "LIST")
        // cap-notify is implied by CAP LS 302 and may be listed.
        #expect(Set((list.params.last ?? "").split(separator: " ")).subtracting(["cap-notify"]) == ["server-time", "echo-message"],
                "the NAKed request must not have enabled message-tags")
        try client.send("CAP REQ :-echo-message")
        try client.expect("CAP", "*", "ACK")
        try client.send("CAP LIST")
        #expect(Set(try client.expect("CAP", "*", "LIST").params.last?.split(separator: " ") ?? []).subtracting(["cap-notify"]) == ["server-time"])
    }

    @Test("registration waits for CAP END once negotiation started")
    func capEndGatesRegistration() throws {
        let server = try ChatServer.start()
        let client = try server.connection("alice")
        try client.send("CAP LS 302")
        _ = try client.capLS()
        try client.send("NICK alice")
        try client.send("USER alice 0 * :Alice")
        try client.expectNone("001 before CAP END") { $0.command == "001" }
        try client.send("CAP END")
        try client.expectNumeric("001")
    }

    @Test("001 to 005 arrive in order with the ISUPPORT tokens the profile promises")
    func welcomeBurst() throws {
        let server = try ChatServer.start(["--network", "TestNet", "--nick-length", "24", "--room-length", "40", "--topic-length", "300"])
        let client = try server.connection("alice")
        let burst = try client.register(nick: "alice")
        let numerics = burst.map(\.command).filter { ["001", "002", "003", "004", "005"].contains($0) }
        #expect(Array(numerics.prefix(4)) == ["001", "002", "003", "004"])
        #expect(numerics.dropFirst(4).allSatisfy { $0 == "005" } && numerics.count >= 5)
        #expect(burst.first?.command == "001")
        #expect(burst.first?.param(0) == "alice")
        var isupport = ISupport()
        for message in burst where message.command == "005" {
            isupport.apply(message)
            #expect(message.wireBytes.count <= 512, "005 line over 512 bytes")
        }
        #expect(isupport["CASEMAPPING"] != nil)
        #expect(isupport["CHANTYPES"] == "#")
        #expect(isupport["PREFIX"] == "(ov)@+")
        #expect(isupport["CHANMODES"].map { $0.split(separator: ",", omittingEmptySubsequences: false).count == 4 } == true)
        #expect(Set(isupport["CHANMODES"] ?? "").isSuperset(of: "klimnst"))
        #expect(isupport["NICKLEN"] == "24")
        #expect(isupport["CHANNELLEN"] == "40")
        #expect(isupport["TOPICLEN"] == "300")
        #expect(isupport["LINELEN"] == "512")
        #expect(isupport.monitorLimit != nil)
        #expect(isupport["UTF8ONLY"] != nil)
        #expect(isupport["NETWORK"] == "TestNet")
    }

    @Test("the MOTD file is sent as 375/372…/376")
    func motdFromFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("motd-\(UUID().uuidString).txt")
        try "Welcome to the test server\nSecond line: ünïcödé\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try ChatServer.start(["--motd", file.path])
        let client = try server.connection("alice")
        let burst = try client.register(nick: "alice")
        #expect(burst.contains { $0.command == "375" })
        let lines = burst.filter { $0.command == "372" }.compactMap(\.params.last)
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix("Welcome to the test server") == true)
        #expect(lines.last?.hasSuffix("Second line: ünïcödé") == true)
        #expect(burst.last?.command == "376")
    }

    @Test("without a MOTD file the server says 422")
    func noMotd() throws {
        let server = try ChatServer.start()
        let burst = try server.connection("alice").register(nick: "alice")
        #expect(burst.last?.command == "422")
        #expect(!burst.contains { $0.command == "372" })
    }

    @Test("MOTD command after registration repeats it")
    func motdCommand() throws {
        let server = try ChatServer.start()
        let client = try server.client("alice")
        try client.send("MOTD")
        try client.expectNumeric("422")
    }

    @Test("--password: the right PASS registers")
    func passwordAccepted() throws {
        let server = try ChatServer.start(["--password", "s3cret"])
        let client = try server.connection("alice")
        try client.register(nick: "alice", password: "s3cret")
    }

    @Test("--password: a wrong or missing PASS gets 464 and the connection is closed", arguments: ["wrong", nil] as [String?])
    func passwordRefused(_ password: String?) throws {
        let server = try ChatServer.start(["--password", "s3cret"])
        let client = try server.connection("alice")
        if let password { try client.send("PASS \(password)") }
        try client.send("NICK alice")
        try client.send("USER alice 0 * :Alice")
        try client.expectNumeric("464")
        let rest = try client.expectClosed()
        #expect(!rest.contains { $0.command == "001" })
    }

    @Test("PASS after registration is 462")
    func passAfterRegistration() throws {
        let server = try ChatServer.start()
        let client = try server.client("alice")
        try client.send("PASS whatever")
        try client.expectNumeric("462")
        try client.send("USER again 0 * :Again")
        try client.expectNumeric("462")
    }

    @Test("a nick in use gets 433, case-insensitively, and the client can pick another")
    func nickInUse() throws {
        let server = try ChatServer.start()
        _ = try server.client("alice")
        let second = try server.connection("second")
        try second.send("NICK ALICE")
        try second.send("USER second 0 * :Second")
        let reply = try second.expect("433") { $0.command == "433" }
        #expect(reply.param(1) == "ALICE")
        try second.send("NICK alice2")
        try second.expectNumeric("001")
    }

    @Test("an erroneous nick gets 432", arguments: ["1digit", "has space", "#room", "a,b", "ünï", String(repeating: "n", count: 31)])
    func erroneousNick(_ nick: String) throws {
        let server = try ChatServer.start()
        let client = try server.connection("c")
        try client.send("NICK \(nick.contains(" ") ? ":" + nick : nick)")
        try client.expect("432") { $0.command == "432" }
    }

    @Test("NICK without a nick is 431")
    func noNickGiven() throws {
        let server = try ChatServer.start()
        let client = try server.client("alice")
        try client.send("NICK")
        try client.expect("431 or 461") { $0.command == "431" || $0.command == "461" }
    }

    @Test("a connection that does not register is cut at the registration timeout")
    func registrationTimeout() throws {
        let server = try ChatServer.start(["--registration-timeout", "1"])
        // Taken before the connect, so the measured wait can only be longer than the server's.
        let started = Date()
        let silent = try server.connection("silent")
        let last = try silent.expectClosed(within: 6)
        #expect(last.contains { $0.command == "ERROR" }, "expected an ERROR line before the close")
        #expect(Date().timeIntervalSince(started) >= 0.9)
        // A half-registered client (NICK only) is cut too.
        let half = try server.connection("half")
        try half.send("NICK half")
        try half.expectClosed(within: 6)
    }

    @Test("PING gets a PONG carrying the token, before and after registration")
    func pingPong() throws {
        let server = try ChatServer.start()
        let client = try server.connection("alice")
        try client.send("PING :early token")
        #expect(try client.expect("PONG") { $0.command == "PONG" }.params.last == "early token")
        try client.register(nick: "alice")
        try client.send("PING later")
        #expect(try client.expect("PONG") { $0.command == "PONG" }.params.last == "later")
    }

    @Test("the server PINGs an idle client, and cuts one that never answers")
    func serverPing() throws {
        let server = try ChatServer.start(["--ping-interval", "1", "--idle-timeout", "1"])
        let answering = try server.client("answering")
        let silent = try server.client("silent")
        silent.autoPong = false
        // Both are read in turns so the answering one keeps answering while the silent one is timed out.
        var answeringPings = 0
        var silentMessages: [IRCMessage] = []
        let deadline = Deadline(seconds: 10)
        while !silent.isClosed && !deadline.hasPassed {
            if let message = try answering.nextMessage(within: 0.05), message.command == "PING" { answeringPings += 1 }
            if let message = try silent.nextMessage(within: 0.05) { silentMessages.append(message) }
        }
        #expect(silent.isClosed, "the silent client was not cut")
        #expect(silentMessages.contains { $0.command == "PING" })
        #expect(silentMessages.last?.command == "ERROR")
        #expect(answeringPings >= 1)
        // The one that answered is still there.
        try answering.sync()
    }

    @Test("commands before registration get 451")
    func notRegistered() throws {
        let server = try ChatServer.start()
        let client = try server.connection("c")
        for line in ["PRIVMSG bob :hi", "JOIN #room", "WHOIS bob", "MONITOR + bob"] {
            try client.send(line)
            try client.expect("451 for \(line)") { $0.command == "451" }
        }
    }
    @Test("nick uniqueness follows the advertised casemapping: [x] and {x} collide under rfc1459")
    func casemappingCollision() throws {
        let server = try ChatServer.start()
        let first = try server.connection("first")
        let burst = try first.register(nick: "[x]")
        var isupport = ISupport()
        for message in burst where message.command == "005" { isupport.apply(message) }
        let second = try server.connection("second")
        try second.send("NICK {X}")
        try second.send("USER second 0 * :Second")
        if isupport.caseMapping == .ascii {
            try second.expectNumeric("001")
        } else {
            try second.expect("433") { $0.command == "433" }
        }
    }
    @Test("USER before NICK registers too, and a NICK change before registration is fine")
    func userThenNick() throws {
        let server = try ChatServer.start()
        let client = try server.connection("c")
        try client.send("USER late 0 * :Late Nick")
        try client.send("NICK first")
        let welcome = try client.expectNumeric("001")
        #expect(welcome.param(0) == "first")
        #expect(welcome.params.last?.contains("first!") == true)
    }

    @Test("PING without a token is 409 or 461, not a crash")
    func pingWithoutToken() throws {
        let server = try ChatServer.start()
        let client = try server.client("alice")
        try client.send("PING")
        try client.expect("409 or 461") { $0.command == "409" || $0.command == "461" }
        try client.sync()
    }

    @Test("a connection closed in the middle of a line is cleaned up; its nick becomes free")
    func halfLineThenClose() throws {
        let server = try ChatServer.start()
        let watcher = try server.client("watcher")
        try watcher.send("MONITOR + ghost")
        try watcher.expect("731 ghost") { $0.command == "731" }
        let ghost = try server.client("ghost")
        try watcher.expect("730 ghost") { $0.command == "730" }
        try ghost.sendRaw(Array("PRIVMSG watcher :half a li".utf8))
        ghost.disconnect()
        try watcher.expect("731 ghost after the drop") { $0.command == "731" }
        try watcher.expectNone("the half line") { $0.command == "PRIVMSG" }
        _ = try server.client("ghost")
    }
    @Test("a client stuck in CAP negotiation (no CAP END) is cut at the registration timeout too")
    func stuckInCapNegotiation() throws {
        let server = try ChatServer.start(["--registration-timeout", "1"])
        let client = try server.connection("stuck")
        try client.send("CAP LS 302")
        try client.send("NICK stuck")
        try client.send("USER stuck 0 * :Stuck")
        let seen = try client.expectClosed(within: 6)
        #expect(!seen.contains { $0.command == "001" })
        #expect(seen.last?.command == "ERROR")
    }

    @Test("room names follow the casemapping too: #[a] and #{a} are one room under rfc1459")
    func roomCasemapping() throws {
        let server = try ChatServer.start()
        let alice = try server.connection("alice")
        let burst = try alice.register(nick: "alice")
        var isupport = ISupport()
        for message in burst where message.command == "005" { isupport.apply(message) }
        let bob = try server.client("bob")
        try alice.send("JOIN #[a]")
        try alice.expectNumeric("366")
        try bob.send("JOIN #{a}")
        try bob.expectNumeric("366")
        try bob.send("NAMES #{a}")
        let names = try bob.collect(until: "366") { $0.command == "366" }.filter { $0.command == "353" }
            .flatMap { ($0.params.last ?? "").split(separator: " ").map(String.init) }
        if isupport.caseMapping == .ascii {
            #expect(Set(names) == ["@bob"])
        } else {
            #expect(Set(names) == ["@alice", "bob"])
        }
    }
}
