import Shared
import Testing
@testable import ChatTUI

@Suite("Reducer: history catch-up")
struct ReducerHistoryTests {
    func historyHarness() -> Harness {
        Harness(caps: "chat.localhost/roster echo-message server-time message-tags batch labeled-response draft/chathistory",
                isupport: "NETWORK=chat CHATHISTORY=50")
    }

    @Test("After registration the client lists history targets; a target becomes a DM and is fetched")
    func targets() {
        var harness = Harness(caps: "batch server-time draft/chathistory message-tags", isupport: "NETWORK=chat CHATHISTORY=50")
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :batch server-time draft/chathistory message-tags")
        harness.server(":srv CAP alice ACK :batch server-time draft/chathistory message-tags")
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 005 alice CHATHISTORY=50 :are supported")
        harness.sent.removeAll()
        harness.server(":srv 376 alice :End")
        #expect(harness.sent.contains { $0.command == "CHATHISTORY" && $0.params.first == "TARGETS" && $0.params.last == "50" })
        #expect(harness.sent.contains { $0.params.first == "TARGETS" && $0.params.dropFirst(2).first == "timestamp=1970-01-01T00:00:00.000Z" },
                "a fresh client lists every target")
        harness.server(":srv BATCH +t draft/chathistory-targets")
        harness.server("@batch=t :srv CHATHISTORY TARGETS bob 2026-11-18T08:00:00.000Z")
        harness.server(":srv BATCH -t")
        #expect(harness.conversation("bob") != nil)
        #expect(harness.sentLines.last == "CHATHISTORY LATEST bob * 50")
        harness.server(":srv BATCH +h chathistory bob")
        harness.server("@batch=h;msgid=x1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :while you were away")
        harness.server("@batch=h;msgid=x2;time=2026-11-18T08:01:00.000Z :alice!a@h PRIVMSG bob :my old reply")
        harness.server(":srv BATCH -h")
        let lines = harness.conversation("bob")?.lines ?? []
        #expect(lines.map(\.text) == ["while you were away", "my old reply"])
        #expect(lines.allSatisfy { $0.isFromHistory })
        #expect(harness.conversation("bob")?.unread == 0)
    }

    @Test("After a reconnect a conversation asks for what came after its newest line; replays are not duplicated")
    func catchUpAfterReconnect() {
        var harness = historyHarness()
        harness.server("@msgid=a1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :one")
        harness.feed(.network(.disconnected(reason: "gone", retryAt: harness.now + 1000)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :draft/chathistory batch server-time message-tags")
        harness.server(":srv CAP alice ACK :draft/chathistory batch server-time message-tags")
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 005 alice CHATHISTORY=50 :are supported")
        harness.sent.removeAll()
        harness.server(":srv 376 alice :End")
        #expect(harness.sentLines.contains("CHATHISTORY AFTER bob timestamp=2026-11-18T08:00:00.000Z 50"))
        #expect(harness.sent.contains { $0.params.first == "TARGETS" && $0.params.dropFirst(2).first == "timestamp=2026-11-18T08:00:00.000Z" },
                "TARGETS since the newest message held")
        harness.server(":srv BATCH +r chathistory bob")
        harness.server("@batch=r;msgid=a1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :one")
        harness.server("@batch=r;msgid=a2;time=2026-11-18T08:05:00.000Z :bob!b@h PRIVMSG alice :two, missed")
        harness.server(":srv BATCH -r")
        #expect(harness.conversation("bob")?.lines.map(\.text) == ["one", "two, missed"])
    }

    @Test("A room catches up once the server confirms the JOIN")
    func roomCatchUp() {
        var harness = historyHarness()
        harness.server(":alice!a@h JOIN #dev")
        #expect(harness.sentLines.last == "CHATHISTORY LATEST #dev * 50")
    }

    @Test("Pending lines wait for the catch-up: one the server already has is confirmed by its token, the other is re-sent once")
    func pendingAfterHistory() {
        var harness = historyHarness()
        harness.enter("/query bob")
        harness.enter("reached the server")
        guard let token = harness.sent.last?.tag(Reducer.pendingTag) else {
            Issue.record("no pending token on the PRIVMSG")
            return
        }
        harness.feed(.network(.disconnected(reason: "gone", retryAt: harness.now + 1000)))
        harness.enter("typed while offline")
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :draft/chathistory batch server-time message-tags echo-message")
        harness.server(":srv CAP alice ACK :draft/chathistory batch server-time message-tags echo-message")
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 005 alice CHATHISTORY=50 :are supported")
        harness.sent.removeAll()
        harness.server(":srv 376 alice :End")
        #expect(!harness.sent.contains { $0.command == "PRIVMSG" }, "nothing is re-sent before the catch-up")
        #expect(harness.sentLines.contains("CHATHISTORY LATEST bob * 50"))
        harness.server(":srv BATCH +c chathistory bob")
        harness.server("@batch=c;msgid=s1;time=2026-11-18T08:00:00.000Z;+chat.localhost/pending=\(token) :alice!a@h PRIVMSG bob :reached the server")
        harness.server(":srv BATCH -c")
        let resent = harness.sent.filter { $0.command == "PRIVMSG" }.map { $0.params.last ?? "" }
        #expect(resent == ["typed while offline"])
        let lines = (harness.conversation("bob")?.lines ?? []).filter { $0.kind == .message }
        #expect(lines.count == 2)
        #expect(lines.first { $0.text == "reached the server" }?.isPending == false)
    }

    @Test("Opening a DM with nothing from the server loads its latest page, once")
    func openLoadsLatest() {
        var harness = historyHarness()
        harness.enter("/query carol")
        #expect(harness.sentLines.filter { $0.hasPrefix("CHATHISTORY") } == ["CHATHISTORY LATEST carol * 50"])
        harness.server(":srv BATCH +e chathistory carol")
        harness.server(":srv BATCH -e")
        harness.key(.character("x"))
        harness.enter("/query carol")
        #expect(harness.sentLines.filter { $0.hasPrefix("CHATHISTORY") }.count == 1)
    }

    @Test("PgUp past the top asks for the page before the oldest line, once at a time, and stops at the start")
    func olderPages() {
        var harness = historyHarness()
        harness.server("@msgid=n1;time=2026-11-18T09:00:00.000Z :bob!b@h PRIVMSG alice :newest")
        harness.enter("/query bob")
        harness.sent.removeAll()
        harness.key(.pageUp)
        #expect(harness.sentLines == ["CHATHISTORY BEFORE bob timestamp=2026-11-18T09:00:00.000Z 50"])
        harness.key(.pageUp)
        #expect(harness.sent.count == 1, "no second request while one is on its way")
        harness.server(":srv BATCH +o chathistory bob")
        harness.server("@batch=o;msgid=o1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :older")
        harness.server(":srv BATCH -o")
        #expect(harness.conversation("bob")?.lines.filter { $0.kind == .message }.map(\.text) == ["older", "newest"])
        #expect(harness.conversation("bob")?.unread == 0)
        harness.sent.removeAll()
        harness.key(.pageUp)
        #expect(harness.sentLines == ["CHATHISTORY BEFORE bob timestamp=2026-11-18T08:00:00.000Z 50"])
        harness.server(":srv BATCH +p chathistory bob")
        harness.server(":srv BATCH -p")
        harness.sent.removeAll()
        harness.key(.pageUp)
        #expect(harness.sent.isEmpty, "the server had nothing older")
    }

    @Test("The server's JOIN carries a msgid: the first join loads the latest page, a rejoin asks for what came after the last line seen")
    func joinWithMsgid() {
        var harness = historyHarness()
        harness.server("@msgid=j1;time=2026-11-18T08:00:00.000Z :alice!a@h JOIN #dev")
        #expect(harness.sentLines.last == "CHATHISTORY LATEST #dev * 50")
        harness.server("@msgid=r1;time=2026-11-18T08:10:00.000Z :bob!b@h PRIVMSG #dev :last seen")
        harness.feed(.network(.disconnected(reason: "gone", retryAt: harness.now + 1000)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :draft/chathistory batch server-time message-tags")
        harness.server(":srv CAP alice ACK :draft/chathistory batch server-time message-tags")
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 005 alice CHATHISTORY=50 :are supported")
        harness.sent.removeAll()
        harness.server("@msgid=j2;time=2026-11-18T09:00:00.000Z :alice!a@h JOIN #dev")
        #expect(harness.sentLines.last == "CHATHISTORY AFTER #dev timestamp=2026-11-18T08:10:00.000Z 50")
    }
}
