import Glibc
import Testing
import Shared

@Suite("Crash durability: kill -9 loses no echoed message")
struct CrashDurabilityTests {
    /// DMs the sender would push in all.
    private static let total = 10_000
    /// The server is stopped once the sender has seen this many echoes.
    private static let stopAfterEchoes = 3_000
    private static let senderCaps = ["echo-message", "server-time", "message-tags"]

    private static func flags(durability: String) -> [String] {
        ["--flood-rate", "0", "--sendq", String(64 * 1024 * 1024), "--durability", durability]
    }

    @Test("10,000 DMs in flight, SIGKILL mid-stream, restart: every echoed message is in history exactly once",
          .timeLimit(.minutes(2)), arguments: ["normal", "full"])
    func killMidStream(durability: String) throws {
        let folder = try TemporaryFolder("chat-crash")
        let db = folder.file("chat.db")
        let firstRun = try ChatServer.start(database: db, Self.flags(durability: durability))
        let alice = try firstRun.accountClient("alice", password: "correct-horse", caps: Self.senderCaps)
        _ = try firstRun.accountClient("bob", password: "battery-staple", caps: ["server-time", "message-tags"])
        let startMs = IRCTime.nowMilliseconds() - 1

        let stream = EchoStream(sender: alice, target: "bob", total: Self.total)
        try stream.run(untilEchoes: Self.stopAfterEchoes, within: 40)
        // The server keeps up with a single sender, so put more chunks on the wire and kill it
        // while they are being read, stored and echoed.
        for _ in 0..<10 { try stream.pushChunk() }
        let (sentAtKill, seenAtKill) = (stream.sent, stream.seen.count)
        firstRun.send(signal: SIGKILL)
        #expect(firstRun.waitForExit(within: 10) == 128 + SIGKILL)
        // Echoes already on their way before the kill count as seen too.
        try stream.drain()
        #expect(sentAtKill < Self.total && sentAtKill > seenAtKill, "the kill did not land mid-stream: sent \(sentAtKill), echoed \(seenAtKill)")

        let secondRun = try ChatServer.start(database: db, Self.flags(durability: durability))
        let reader = try secondRun.saslClient("bob", password: "battery-staple")
        let history = try reader.wholeHistory(with: "alice", after: startMs, maxPages: Self.total / 1000 + 3)
        let problems = durabilityViolations(seen: stream.seen, history: history, sent: sentAtKill)
        #expect(problems.isEmpty, "\(problems)")
        #expect(history.count >= stream.seen.count)

        // The restarted server keeps working on the same file.
        let again = try secondRun.saslClient("alice", password: "correct-horse", caps: historyCaps)
        let after = try again.sendAndCollectEchoes(to: "bob", ["after the restart"])
        try reader.expect("PRIVMSG", "bob", "after the restart")
        #expect(try reader.history("LATEST alice * 1") == after)
    }

    @Test("SIGTERM mid-stream: the server exits 0, and every echoed message is in history exactly once after a restart",
          .timeLimit(.minutes(1)))
    func terminateMidStream() throws {
        let folder = try TemporaryFolder("chat-term")
        let db = folder.file("chat.db")
        let firstRun = try ChatServer.start(database: db, Self.flags(durability: "normal"))
        let alice = try firstRun.accountClient("alice", password: "correct-horse", caps: Self.senderCaps)
        _ = try firstRun.accountClient("bob", password: "battery-staple", caps: ["server-time", "message-tags"])
        let startMs = IRCTime.nowMilliseconds() - 1

        let stream = EchoStream(sender: alice, target: "bob", total: Self.total)
        try stream.run(untilEchoes: Self.stopAfterEchoes, within: 40)
        for _ in 0..<10 { try stream.pushChunk() }
        let sentAtStop = stream.sent
        firstRun.send(signal: SIGTERM)
        #expect(firstRun.waitForExit(within: 15) == 0)
        try stream.drain()

        let secondRun = try ChatServer.start(database: db, Self.flags(durability: "normal"))
        let reader = try secondRun.saslClient("bob", password: "battery-staple")
        let history = try reader.wholeHistory(with: "alice", after: startMs, maxPages: Self.total / 1000 + 3)
        let problems = durabilityViolations(seen: stream.seen, history: history, sent: sentAtStop)
        #expect(problems.isEmpty, "\(problems)")
    }
}
