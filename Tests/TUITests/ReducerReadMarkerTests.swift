import Foundation
import Shared
import Testing
@testable import ChatTUI

@Suite("Reducer: read markers (draft/read-marker)")
struct ReducerReadMarkerTests {
    static let caps = "sasl=PLAIN draft/read-marker draft/chathistory batch server-time message-tags echo-message"
    /// What the server acknowledges: the names, without their values.
    static let acked = caps.replacingOccurrences(of: "=PLAIN", with: "")

    /// alice, logged in to her account over SASL, registered and past the MOTD.
    func loggedIn() -> Harness {
        var harness = Harness(caps: "server-time")
        harness.state.identity.password = "pw"
        harness.feed(.network(.disconnected(reason: "test", retryAt: harness.now)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :\(Self.caps)")
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server("AUTHENTICATE +")
        harness.server(":srv 900 alice alice!a@h alice :You are now logged in as alice")
        harness.server(":srv 903 alice :SASL authentication successful")
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 005 alice CHATHISTORY=50 :are supported")
        harness.server(":srv 376 alice :End")
        harness.sent.removeAll()
        return harness
    }

    /// bob's two messages from while alice was away, in a history batch.
    func replayOffline(_ harness: inout Harness) {
        harness.server(":srv BATCH +t draft/chathistory-targets")
        harness.server("@batch=t :srv CHATHISTORY TARGETS bob 2026-11-18T08:01:00.000Z")
        harness.server(":srv BATCH -t")
        harness.server(":srv BATCH +h chathistory bob")
        harness.server("@batch=h;msgid=m1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :first")
        harness.server("@batch=h;msgid=m2;time=2026-11-18T08:01:00.000Z :bob!b@h PRIVMSG alice :second")
        harness.server(":srv BATCH -h")
    }

    @Test("A DM found by TARGETS asks for its marker; with none set, its history counts as unread with the line before it")
    func offlineMessagesAreUnread() {
        var harness = loggedIn()
        replayOffline(&harness)
        #expect(harness.sentLines.contains("MARKREAD bob"))
        #expect(harness.conversation("bob")?.unread == 0, "history alone is not unread until the marker is known")
        harness.server(":srv MARKREAD bob *")
        #expect(harness.conversation("bob")?.unread == 2)
        #expect(harness.conversation("bob")?.highlights == 2)
        #expect(harness.conversation("bob")?.firstUnread == 0)
        #expect(harness.sidebar.contains("Conversations:bob(2)"))
        #expect(!harness.sentLines.contains { $0.hasPrefix("MARKREAD bob timestamp") }, "nothing was looked at")
    }

    @Test("The marker may come before the history: the count follows when the batch ends")
    func markerBeforeHistory() {
        var harness = loggedIn()
        harness.server(":srv BATCH +t draft/chathistory-targets")
        harness.server("@batch=t :srv CHATHISTORY TARGETS bob 2026-11-18T08:01:00.000Z")
        harness.server(":srv BATCH -t")
        harness.server(":srv MARKREAD bob timestamp=2026-11-18T08:00:00.000Z")
        harness.server(":srv BATCH +h chathistory bob")
        harness.server("@batch=h;msgid=m1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :first")
        harness.server("@batch=h;msgid=m2;time=2026-11-18T08:01:00.000Z :bob!b@h PRIVMSG alice :second")
        harness.server(":srv BATCH -h")
        #expect(harness.conversation("bob")?.unread == 1)
        #expect(harness.conversation("bob")?.firstUnread == 1)
    }

    @Test("Another session reads: the count and the unread line follow its MARKREAD; an older marker never undoes it")
    func otherSessionReads() {
        var harness = loggedIn()
        replayOffline(&harness)
        harness.server(":srv MARKREAD bob *")
        harness.server(":srv MARKREAD bob timestamp=2026-11-18T08:00:00.000Z")
        #expect(harness.conversation("bob")?.unread == 1)
        #expect(harness.conversation("bob")?.firstUnread == 1)
        harness.server(":srv MARKREAD bob timestamp=2026-11-18T08:01:00.000Z")
        #expect(harness.conversation("bob")?.unread == 0)
        #expect(harness.conversation("bob")?.highlights == 0)
        #expect(harness.conversation("bob")?.firstUnread == nil)
        harness.server(":srv MARKREAD bob timestamp=2026-11-18T08:00:00.000Z")
        #expect(harness.conversation("bob")?.unread == 0)
        // A live message after the marker counts again.
        harness.server("@msgid=m3;time=2026-11-18T08:02:00.000Z :bob!b@h PRIVMSG alice :third")
        #expect(harness.conversation("bob")?.unread == 1)
    }

    @Test("Viewing a conversation sends one MARKREAD with its newest message; a batch of messages shown sends one more")
    func viewingMarksRead() {
        var harness = loggedIn()
        replayOffline(&harness)
        harness.server(":srv MARKREAD bob *")
        harness.sent.removeAll()
        harness.enter("/query bob")
        #expect(harness.sentLines == ["MARKREAD bob timestamp=2026-11-18T08:01:00.000Z"])
        #expect(harness.conversation("bob")?.unread == 0)
        harness.sent.removeAll()
        harness.key(.character("x"))
        #expect(harness.sent.isEmpty, "no new message, no new marker")
        let live = (3...5).map { index in
            AppEvent.network(.message(Harness.parse("@msgid=m\(index);time=2026-11-18T08:0\(index):00.000Z :bob!b@h PRIVMSG alice :live \(index)")))
        }
        harness.feed(batch: live)
        #expect(harness.sentLines == ["MARKREAD bob timestamp=2026-11-18T08:05:00.000Z"])
        // The server's answer (our own marker) changes nothing on screen.
        harness.server(":srv MARKREAD bob timestamp=2026-11-18T08:05:00.000Z")
        #expect(harness.conversation("bob")?.unread == 0)
    }

    @Test("Reading back (scrolled up) does not mark the newest lines read")
    func scrolledUpDoesNotMark() {
        var harness = loggedIn()
        replayOffline(&harness)
        harness.server(":srv MARKREAD bob *")
        harness.enter("/query bob")
        harness.state.conversations[harness.state.current]?.scrollRows = 5
        harness.sent.removeAll()
        harness.server("@msgid=m6;time=2026-11-18T08:06:00.000Z :bob!b@h PRIVMSG alice :while scrolled")
        #expect(!harness.sentLines.contains { $0.hasPrefix("MARKREAD") })
        harness.key(.end)
        #expect(harness.sentLines == ["MARKREAD bob timestamp=2026-11-18T08:06:00.000Z"])
    }

    @Test("A guest (no account) sends no MARKREAD")
    func guestSendsNothing() {
        var harness = Harness(caps: "draft/read-marker draft/chathistory batch server-time message-tags")
        harness.server("@msgid=g1;time=2026-11-18T08:00:00.000Z :bob!b@h PRIVMSG alice :hi")
        harness.enter("/query bob")
        #expect(!harness.sentLines.contains { $0.hasPrefix("MARKREAD") })
    }
}
