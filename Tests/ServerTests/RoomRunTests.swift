import Foundation
import Testing
import Shared

/// Plain room messages that arrive together are relayed as a run (one walk of the room for all
/// of them): what members, the sender and history see must not differ from one at a time.
@Suite("Room message runs")
struct RoomRunTests {
    /// The number at the start of a test text (`"12 …"`), or -1.
    private func number(_ message: IRCMessage) -> Int {
        (message.params.last ?? "").split(separator: " ").first.flatMap { Int($0) } ?? -1
    }

    private func burst(_ lines: [String]) -> [UInt8] {
        Array(lines.map { $0 + "\r\n" }.joined().utf8)
    }

    /// Joins every client to #run, then waits until each has seen all of it (the others' JOINs).
    private func joinRun(_ clients: [TestClient]) throws {
        for client in clients {
            try client.send("JOIN #run")
            try client.expectNumeric("366")
        }
        for client in clients { try client.sync() }
    }

    @Test("a burst of room messages in one write: every member gets each whole and in order with its own msgid and time; the echoes and history match")
    func burstInOneWrite() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: ["message-tags", "server-time", "batch", "draft/chathistory"])
        let carol = try server.client("carol")
        for client in [alice, bob, carol] {
            try client.send("JOIN #run")
            try client.expectNumeric("366")
        }
        try alice.sync()
        try bob.sync()

        let texts = (0..<100).map { "\($0) run text" }
        try alice.sendRaw(burst(texts.map { "PRIVMSG #run :\($0)" }))

        let echoes = try alice.collectEchoes(to: "#run", count: texts.count)
        #expect(echoes.map(\.text) == texts)
        var bobSeen: [SeenMessage] = []
        while bobSeen.count < texts.count {
            let message = try bob.expect("PRIVMSG \(bobSeen.count)") { $0.command == "PRIVMSG" }
            bobSeen.append(try #require(SeenMessage(message), "no msgid/time on \(message.wireLine)"))
        }
        #expect(bobSeen.map(\.text) == texts)
        #expect(Set(bobSeen.map(\.msgid)).count == texts.count, "msgids repeat within the run")
        #expect(bobSeen.map(\.msgid) == echoes.map(\.msgid), "members and the sender's echoes disagree on msgids")
        #expect(bobSeen.map(\.timeMs) == bobSeen.map(\.timeMs).sorted())
        var carolSeen: [IRCMessage] = []
        while carolSeen.count < texts.count {
            carolSeen.append(try carol.expect("PRIVMSG \(carolSeen.count)") { $0.command == "PRIVMSG" })
        }
        #expect(carolSeen.map { $0.params.last ?? "" } == texts)
        #expect(carolSeen.allSatisfy { $0.tags.isEmpty && $0.sourceNick == "alice" && $0.params.first == "#run" },
                "a client without tag capabilities got tags or a wrong line")

        let stored = try bob.history("LATEST #run * 100")
        #expect(stored.map(\.text) == texts)
        #expect(stored.map(\.msgid) == echoes.map(\.msgid))
    }

    @Test("other lines inside a burst keep their place: a KICK ends the kicked member's messages there; DMs, NOTICEs and another spelling of the room stay in order")
    func interleavedCommands() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let carol = try server.client("carol")
        try joinRun([alice, bob, carol])

        var lines = (0..<10).map { "PRIVMSG #run :\($0) before" }
        lines.append("KICK #run bob :out")
        lines += (10..<20).map { "PRIVMSG #run :\($0) after" }
        lines += ["PRIVMSG carol :21 direct", "NOTICE #run :22 notice", "PRIVMSG #RUN :23 other spelling", "PRIVMSG #run :24 last"]
        try alice.sendRaw(burst(lines))

        let carolLines = try carol.collect(until: "PRIVMSG 24") { $0.command == "PRIVMSG" && $0.params.last == "24 last" }
            .filter { ["PRIVMSG", "NOTICE", "KICK"].contains($0.command) }
        let expected = (0..<10).map { "PRIVMSG \($0)" } + ["KICK"] + (10..<20).map { "PRIVMSG \($0)" }
            + ["PRIVMSG 21", "NOTICE 22", "PRIVMSG 23", "PRIVMSG 24"]
        #expect(carolLines.map { $0.command == "KICK" ? "KICK" : "\($0.command) \(number($0))" } == expected)
        #expect(carolLines.filter { $0.command != "KICK" && number($0) != 21 }.allSatisfy { $0.params.first == "#run" })

        let bobLines = try bob.collect(until: "KICK") { $0.command == "KICK" }.filter { $0.command == "PRIVMSG" }
        #expect(bobLines.map(number) == Array(0..<10))
        try bob.expectNone("room messages after the KICK", within: 1) { $0.command == "PRIVMSG" || $0.command == "NOTICE" }
    }

    @Test("flood control still counts every line of a burst: the lines over the bucket come later, in order, none lost")
    func floodControlInsideBurst() throws {
        let server = try ChatServer.start(["--flood-rate", "20", "--flood-burst", "5"])
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try joinRun([alice, bob])
        // Registration and JOIN used part of the bucket: whatever is left of it, at most 6 of the
        // 25 lines pass at once, so the rest need at least 19 / 20 s however full it is now.

        let started = Date()
        try alice.sendRaw(burst((0..<25).map { "PRIVMSG #run :\($0) flood" }))
        var numbers: [Int] = []
        while numbers.count < 25 {
            numbers.append(number(try bob.expect("PRIVMSG \(numbers.count)", within: 10) { $0.command == "PRIVMSG" }))
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(numbers == Array(0..<25))
        // 25 lines with a bucket of 5 (+1) at 20 per second: about 1 s; a run that skipped flood control takes none.
        #expect(elapsed >= 0.7, "25 lines relayed in \(elapsed) s: flood control was bypassed")
    }

    @Test("a reading member is not cut when one burst to the room is bigger than its SendQ: it takes the lines one at a time")
    func burstBiggerThanSendQ() throws {
        let server = try ChatServer.start(["--sendq", "8192", "--flood-rate", "0"])
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try joinRun([alice, bob])
        let text = String(repeating: "r", count: 400)
        // 40 lines, about 18 KiB relayed, in one write: the server reads them in one turn.
        try alice.sendRaw(burst((0..<40).map { "PRIVMSG #run :\($0) \(text)" }))
        try alice.sync()
        var numbers: [Int] = []
        while numbers.count < 40 {
            let message = try bob.expect("PRIVMSG \(numbers.count)", within: 5) { $0.command == "PRIVMSG" || $0.command == "ERROR" }
            try #require(message.command == "PRIVMSG", "the reading member was cut: \(message.wireLine)")
            numbers.append(number(message))
        }
        #expect(numbers == Array(0..<40))
    }
}
