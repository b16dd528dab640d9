import Testing
import Shared

@Suite("History turned off (--no-history)")
struct HistoryOffTests {
    @Test("messages still flow and echo, CHATHISTORY answers empty batches, TARGETS is empty")
    func flowsButNotStored() throws {
        let server = try ChatServer.start(["--no-history"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        let start = IRCTime.nowMilliseconds() - 1
        let sent = try alice.sendAndCollectEchoes(to: "bob", ["not kept 1", "not kept 2"])
        let got = try bob.expect("PRIVMSG", "bob", "not kept 2")
        #expect(SeenMessage(got) == sent[1])
        for client in [alice, bob] {
            try client.send("JOIN #room")
            try client.expect("JOIN")
        }
        _ = try alice.sendAndCollectEchoes(to: "#room", ["room line"])
        try bob.expect("PRIVMSG", "#room", "room line")

        #expect(try bob.historyLines("LATEST alice * 10").isEmpty)
        #expect(try bob.historyLines("AFTER alice \(timestampBound(start)) 10").isEmpty)
        #expect(try bob.historyLines("LATEST #room * 10").isEmpty)
        #expect(try bob.historyTargets(from: timestampBound(start), to: timestampBound(IRCTime.nowMilliseconds() + 1000)).isEmpty)
    }

    @Test("accounts still work, but a DM to an offline account is refused with 401 rather than promised")
    func offlineAccountWithoutHistory() throws {
        let server = try ChatServer.start(["--no-history"])
        let bob = try server.accountClient("bob", password: "correct-horse")
        try bob.send("QUIT")
        try bob.expectClosed()
        let alice = try server.client("alice", caps: historyCaps)
        try alice.send("PRIVMSG bob :will this keep?")
        let refused = try alice.expect(IRCNumeric.noSuchNick)
        #expect(refused.param(1) == "bob")
        try alice.expectNone("an echo or a delivery promise") { $0.command == "PRIVMSG" || $0.command == "NOTICE" }
        let back = try server.saslClient("bob", password: "correct-horse")
        #expect(try back.historyLines("LATEST alice * 10").isEmpty)
    }
}
