import Testing
import Shared

@Suite("Hostile input")
struct HostileInputTests {
    @Test("an over-long line gets 417, a following good line still works")
    func overlongLine() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("PRIVMSG bob :" + String(repeating: "z", count: 5000))
        try alice.expectNumeric("417")
        try alice.send("PRIVMSG bob :after")
        #expect(try bob.expect("PRIVMSG").params.last == "after")
    }

    @Test("an endless line with no newline gets one 417 and does not wedge the server")
    func endlessLine() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let chunk = [UInt8](repeating: UInt8(ascii: "w"), count: 8192)
        for _ in 0..<32 { try alice.sendRaw(chunk, record: false) }
        try alice.sendRaw(Array("\r\n".utf8))
        try alice.expectNumeric("417")
        let rest = try alice.sync()
        #expect(rest.filter { $0.command == "417" }.isEmpty, "one endless line must be reported once")
        try bob.send("PRIVMSG alice :still alive")
        #expect(try alice.expect("PRIVMSG").params.last == "still alive")
    }

    @Test("invalid UTF-8 is rejected with a clear reply and never forwarded")
    func invalidUTF8() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("JOIN #r")
        try bob.send("JOIN #r")
        try bob.expectNumeric("366")
        try alice.sync()
        for target in ["bob", "#r"] {
            try alice.sendRaw(Array("PRIVMSG \(target) :bad ".utf8) + [0xC3, 0x28, 0xFF] + Array(" bytes\r\n".utf8))
            let reply = try alice.expect("a reply to invalid UTF-8") { $0.command == "FAIL" || $0.command.first == "4" || $0.command == "NOTICE" }
            #expect(reply.wireLine.uppercased().contains("UTF"), "the reply should say what was wrong: \(reply.wireLine)")
        }
        try bob.expectNone("a message carrying invalid UTF-8") { $0.command == "PRIVMSG" }
        #expect(bob.rawLines.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
    }

    @Test("invalid UTF-8 in a nick, topic or room name is refused too")
    func invalidUTF8Elsewhere() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let watcher = try server.client("watcher", caps: [IRCCapability.roster])
        try alice.send("JOIN #r")
        try watcher.send("JOIN #r")
        try watcher.expectNumeric("366")
        try alice.sendRaw(Array("NICK bad".utf8) + [0xFF] + [0x0D, 0x0A])
        try alice.sendRaw(Array("TOPIC #r :".utf8) + [0xFE, 0x41] + [0x0D, 0x0A])
        try alice.sendRaw(Array("JOIN #".utf8) + [0xC0, 0xAF] + [0x0D, 0x0A])
        try alice.sync()
        try watcher.sync()
        #expect(watcher.rawLines.allSatisfy { String(validating: $0, as: UTF8.self) != nil })
    }

    @Test("a bare CR inside a message cannot start a second command on the recipient's stream")
    func bareCR() throws {
        let server = try ChatServer.start()
        let mallory = try server.client("mallory")
        let bob = try server.client("bob")
        try mallory.sendRaw(Array("PRIVMSG bob :hi\rKILL bob :pwned\r\n".utf8))
        try mallory.expect("a rejection of the CR") { $0.command == "FAIL" || $0.command.first == "4" || $0.command == "NOTICE" }
        try bob.sync()
        #expect(bob.rawLines.allSatisfy { !$0.contains(0x0D) && !$0.contains(0) })
        #expect(!bob.transcript.contains { $0.contains("KILL") })
    }

    @Test("a NUL inside a message is refused and never reaches anyone")
    func nul() throws {
        let server = try ChatServer.start()
        let mallory = try server.client("mallory")
        let bob = try server.client("bob")
        try mallory.sendRaw(Array("PRIVMSG bob :a".utf8) + [0] + Array("b\r\n".utf8))
        try mallory.expect("a rejection of the NUL") { $0.command == "FAIL" || $0.command.first == "4" || $0.command == "NOTICE" }
        try bob.expectNone("a message with a NUL") { $0.command == "PRIVMSG" }
        #expect(bob.rawLines.allSatisfy { !$0.contains(0) })
    }

    @Test("LF inside a message only ever splits it into the sender's own lines; the recipient sees whole messages")
    func lfSplits() throws {
        let server = try ChatServer.start()
        let mallory = try server.client("mallory")
        let bob = try server.client("bob")
        // The LF ends mallory's first line; "QUIT :x" is then mallory's own second command, not bob's.
        try mallory.sendRaw(Array("PRIVMSG bob :line one\nPRIVMSG bob :line two\r\n".utf8))
        let one = try bob.expect("PRIVMSG", "bob")
        let two = try bob.expect("PRIVMSG", "bob")
        #expect(one.params.last == "line one")
        #expect(two.params.last == "line two")
        #expect(one.sourceNick == "mallory" && two.sourceNick == "mallory")
    }

    @Test("escaped CR LF in a client tag value stays escaped on the recipient's line")
    func tagValueInjection() throws {
        let server = try ChatServer.start()
        let mallory = try server.client("mallory", caps: ["message-tags"])
        let bob = try server.client("bob", caps: ["message-tags"])
        try mallory.send("@+x=a\\r\\nQUIT\\s:y PRIVMSG bob :tagged")
        let got = try bob.expect("PRIVMSG", "bob")
        #expect(got.tag("+x") == "a\r\nQUIT :y")
        #expect(bob.rawLines.allSatisfy { !$0.contains(0x0D) })
    }

    @Test("a client that connects and sends nothing is cut at the registration timeout; others are unaffected")
    func silentConnection() throws {
        let server = try ChatServer.start(["--registration-timeout", "1"])
        let alice = try server.client("alice")
        let silent = try server.connection("silent")
        try silent.expectClosed(within: 6)
        try alice.sync()
    }

    @Test("binary garbage does not crash the server")
    func garbage() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice")
        let junk = try server.connection("junk")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<64 {
            var bytes = (0..<200).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.append(0x0A)
            try junk.sendRaw(bytes, record: false)
        }
        try alice.sync()
        let fresh = try server.client("fresh")
        try fresh.sync()
    }

    @Test("sixteen parameters are refused with a clear error")
    func tooManyParams() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("PRIVMSG " + (1...16).map { "p\($0)" }.joined(separator: " "))
        try alice.expect("an error for 16 params") { $0.command == "461" || $0.command == "FAIL" || $0.command == "417" }
    }
    @Test("a maximal message is relayed whole or refused, never cut short")
    func noSilentTruncation() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let prefix = "PRIVMSG bob :"
        let text = String(repeating: "é", count: (510 - prefix.utf8.count) / 2)
        try alice.send(prefix + text)
        // alice's PONG proves the server handled her message; only then does bob's PONG prove delivery.
        let senderSaw = try alice.sync()
        let bobSaw = try bob.sync()
        let relayed = bobSaw.first { $0.command == "PRIVMSG" }
        let refused = senderSaw.contains { $0.command == "417" || $0.command == "FAIL" || $0.command == "404" }
        if let relayed {
            #expect(relayed.params.last == text, "relayed \(relayed.params.last?.utf8.count ?? 0) of \(text.utf8.count) bytes")
        } else {
            #expect(refused, "the message was neither relayed nor refused")
        }
    }

    @Test("CTCP ACTION and formatting codes pass through untouched")
    func ctcpAction() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("PRIVMSG bob :\u{01}ACTION waves \u{02}bold\u{0F} \u{03}4,1colour\u{01}")
        #expect(try bob.expect("PRIVMSG", "bob").params.last == "\u{01}ACTION waves \u{02}bold\u{0F} \u{03}4,1colour\u{01}")
    }
}
