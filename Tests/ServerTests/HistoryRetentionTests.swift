import Testing
import Shared

@Suite("History retention (--history-days)")
struct HistoryRetentionTests {
    @Test("with --history-days, recent messages are served by every form and by TARGETS")
    func recentMessagesKept() throws {
        let server = try ChatServer.start(["--history-days", "1"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        let start = IRCTime.nowMilliseconds() - 1
        let sent = try alice.sendAndCollectEchoes(to: "bob", ["kept 1", "kept 2", "kept 3"])
        try bob.expect("PRIVMSG", "bob", "kept 3")
        #expect(try bob.history("LATEST alice * 10") == sent)
        #expect(try bob.history("AFTER alice \(timestampBound(start)) 10") == sent)
        #expect(try bob.history("BEFORE alice \(sent[2].msgidBound) 10") == Array(sent[0..<2]))
        #expect(try bob.history("AROUND alice \(sent[1].msgidBound) 3") == sent)
        // A window that starts two days ago still finds them.
        let twoDaysAgo = IRCTime.nowMilliseconds() - 2 * 86_400_000
        let targets = try bob.historyTargets(from: timestampBound(twoDaysAgo), to: timestampBound(IRCTime.nowMilliseconds() + 1000))
        #expect(targets.map(\.name) == ["alice"])
        #expect(try bob.history("AFTER alice \(timestampBound(twoDaysAgo)) 10") == sent)
    }
}
