import Glibc
import Testing
import Shared

@Suite("Crash durability: kill -9 loses no echoed message")
struct CrashDurabilityTests {
    /// DMs the sender tries to push in all.
    private static let total = 10_000
    /// The server is killed once the sender has seen this many echoes.
    private static let killAfterEchoes = 3_000
    /// At most this many messages are sent ahead of their echoes, so the sender's SendQ stays small.
    private static let window = 2_000
    private static let chunk = 100

    @Test("10,000 DMs in flight, SIGKILL mid-stream, restart: every echoed message is in history exactly once",
          .timeLimit(.minutes(2)), arguments: ["normal", "full"])
    func killMidStream(durability: String) throws {
        let folder = try TemporaryFolder("chat-crash")
        let db = folder.file("chat.db")
        let flags = ["--flood-rate", "0", "--sendq", String(64 * 1024 * 1024), "--durability", durability]
        let started = Deadline(seconds: 60)
        let firstRun = try ChatServer.start(database: db, flags)
        let alice = try firstRun.accountClient("alice", password: "correct-horse", caps: ["echo-message", "server-time", "message-tags"])
        let bob = try firstRun.accountClient("bob", password: "battery-staple", caps: ["server-time", "message-tags"])
        let startMs = IRCTime.nowMilliseconds() - 1

        var sent = 0
        var seen: [SeenMessage] = []
        func record(_ message: IRCMessage) throws {
            guard message.command == "PRIVMSG", message.param(0) == "bob" else { return }
            guard let echo = SeenMessage(message) else { throw alice.failure("echo without msgid/time: \(message.wireLine)") }
            seen.append(echo)
        }
        func pushChunk() throws {
            let count = min(Self.chunk, Self.total - sent)
            var bytes: [UInt8] = []
            for index in sent..<sent + count { bytes += Array("PRIVMSG bob :crash \(index)\r\n".utf8) }
            try alice.sendRaw(bytes, record: false)
            sent += count
        }
        let pushDeadline = Deadline(seconds: 40)
        while seen.count < Self.killAfterEchoes {
            guard !pushDeadline.hasPassed else {
                throw alice.failure("only \(seen.count) echoes of \(sent) DMs within 40 s")
            }
            let maySend = sent < Self.total && sent - seen.count < Self.window
            if maySend { try pushChunk() }
            // Wait for an echo only when nothing more may be sent; otherwise take what has arrived.
            if let message = try alice.nextMessage(within: maySend ? 0 : 5) { try record(message) }
            while let message = try alice.nextMessage(within: 0) { try record(message) }
        }
        // The server keeps up with a single sender, so put a few more chunks on the wire and kill it
        // while they are being read, stored and echoed.
        for _ in 0..<10 where sent < Self.total { try pushChunk() }
        let sentAtKill = sent
        let seenAtKill = seen.count
        firstRun.send(signal: SIGKILL)
        #expect(firstRun.waitForExit(within: 10) == 128 + SIGKILL)
        // Echoes already on their way before the kill count as seen too.
        while let message = try alice.nextMessage(within: 5) { try record(message) }
        #expect(sentAtKill < Self.total && sentAtKill > seenAtKill, "the kill did not land mid-stream: sent \(sentAtKill), echoed \(seenAtKill)")
        _ = bob

        let secondRun = try ChatServer.start(database: db, flags)
        let reader = try secondRun.saslClient("bob", password: "battery-staple")
        var history: [SeenMessage] = []
        var bound = timestampBound(startMs)
        for _ in 0..<(Self.total / 1000 + 3) {
            let page = try reader.history("AFTER alice \(bound) 1000", within: 20)
            guard let last = page.last else { break }
            history += page
            bound = last.msgidBound
        }

        let seenIDs = Set(seen.map(\.msgid))
        #expect(seenIDs.count == seen.count, "the sender saw an echo twice")
        let historyIDs = history.map(\.msgid)
        #expect(Set(historyIDs).count == historyIDs.count, "a msgid is in history twice")
        let historyTexts = history.map(\.text)
        #expect(Set(historyTexts).count == historyTexts.count, "a text is in history twice")
        let stored = Dictionary(history.map { ($0.msgid, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = seen.filter { stored[$0.msgid] == nil }
        #expect(missing.isEmpty, """
            \(missing.count) echoed messages lost (sent \(sentAtKill), echoed \(seen.count), stored \(history.count)), \
            first: \(missing.prefix(5))
            """)
        let altered = seen.filter { echo in stored[echo.msgid].map { $0.text != echo.text } ?? false }
        #expect(altered.isEmpty, "stored text differs from the echo: \(altered.prefix(5))")
        // History holds only what was sent, in sending order.
        let indices = historyTexts.compactMap { Int($0.dropFirst("crash ".count)) }
        #expect(indices.count == history.count && indices == indices.sorted() && (indices.last ?? 0) < sentAtKill)
        #expect(history.count >= seen.count)

        // The restarted server keeps working on the same file.
        let again = try secondRun.saslClient("alice", password: "correct-horse", caps: historyCaps)
        let after = try again.sendAndCollectEchoes(to: "bob", ["after the restart"])
        try reader.expect("PRIVMSG", "bob", "after the restart")
        #expect(try reader.history("LATEST alice * 1") == after)
        #expect(!started.hasPassed, "the crash test took over 60 s")
    }
}
