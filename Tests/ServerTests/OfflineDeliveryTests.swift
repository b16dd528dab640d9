import Testing
import Shared

@Suite("Offline delivery to registered accounts")
struct OfflineDeliveryTests {
    @Test("a DM to an offline account is stored and echoed, the sender is told, and it is there at the next login")
    func deliveredAtNextLogin() throws {
        let server = try ChatServer.start()
        let bob = try server.accountClient("bob", password: "correct-horse")
        try bob.send("QUIT :gone")
        try bob.expectClosed()

        let alice = try server.client("alice", caps: historyCaps)
        let start = IRCTime.nowMilliseconds() - 1
        try alice.send("PRIVMSG bob :are you there? ünïcödé 👋")
        let burst = try alice.collect(until: "the delivery NOTICE") { $0.command == "NOTICE" && $0.param(0) == "alice" }
        #expect(!burst.contains { $0.command == IRCNumeric.noSuchNick }, "\(burst.map(\.wireLine))")
        let echo = try #require(burst.first { $0.command == "PRIVMSG" }.flatMap(SeenMessage.init))
        #expect(echo.text == "are you there? ünïcödé 👋")
        let notice = try #require(burst.last)
        #expect(notice.params.last?.contains("bob") == true && notice.params.last?.contains("deliver") == true)
        try alice.send("NOTICE bob :a notice too")
        let noticeEcho = try alice.expect("echoed NOTICE") { $0.command == "NOTICE" && $0.param(0) == "bob" }
        try alice.expectNone("a 401 for an offline account") { $0.command == IRCNumeric.noSuchNick }

        let back = try server.saslClient("bob", password: "correct-horse")
        let targets = try back.historyTargets(from: timestampBound(start), to: timestampBound(IRCTime.nowMilliseconds() + 1000))
        #expect(targets.map(\.name) == ["alice"])
        #expect(targets.first?.timeMs == SeenMessage(noticeEcho)?.timeMs)
        let lines = try back.historyLines("LATEST alice * 10")
        #expect(lines.map(\.command) == ["PRIVMSG", "NOTICE"])
        #expect(lines.compactMap(SeenMessage.init).first == echo)
        #expect(lines.allSatisfy { $0.source?.hasPrefix("alice!") == true && $0.param(0) == "bob" })
        #expect(lines.last?.param(1) == "a notice too")
    }

    @Test("a message from a logged-in sender to an offline account is filed under the sender's account")
    func betweenAccounts() throws {
        let server = try ChatServer.start()
        let bob = try server.accountClient("bob", password: "correct-horse")
        try bob.send("QUIT")
        try bob.expectClosed()
        let alice = try server.accountClient("alice", password: "battery-staple")
        let sent = try alice.sendAndCollectEchoes(to: "bob", ["stored for bob"])
        // alice changes nick; the conversation still belongs to her account.
        try alice.send("NICK alice_away")
        try alice.expect("NICK")

        let back = try server.saslClient("bob", password: "correct-horse", caps: historyCaps + ["account-tag"])
        #expect(try back.history("LATEST alice * 10") == sent)
        let replayed = try back.historyLines("LATEST alice * 10")
        #expect(replayed.first?.tag("account") == "alice")
        // And bob's reply reaches alice live under her new nick's account conversation.
        let reply = try back.sendAndCollectEchoes(to: "alice_away", ["got it"])
        #expect(try alice.history("LATEST bob * 10") == sent + reply)
    }

    @Test("a labeled DM to an offline account gets its label on the echo, which comes only after the commit")
    func labeledOfflineEcho() throws {
        let server = try ChatServer.start()
        let bob = try server.accountClient("bob", password: "correct-horse")
        try bob.send("QUIT")
        try bob.expectClosed()
        let alice = try server.client("alice", caps: historyCaps + ["labeled-response"])
        try alice.send("@label=off1 PRIVMSG bob :labeled while away")
        let echo = try alice.expect("labeled echo") { $0.command == "PRIVMSG" }
        #expect(echo.tag("label") == "off1")
        let stored = try #require(SeenMessage(echo))
        #expect(try alice.history("LATEST bob * 5") == [stored])
    }

    @Test("a DM to an offline nick with no account still gets 401, and nothing is stored")
    func unknownNick() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: historyCaps)
        try alice.send("PRIVMSG nobody :hello?")
        let missing = try alice.expect(IRCNumeric.noSuchNick)
        #expect(missing.param(1) == "nobody")
        #expect(try alice.history("LATEST nobody * 10").isEmpty)
    }
}
