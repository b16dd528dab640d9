import Shared
import Testing
@testable import ChatTUI

@Suite("Reducer: registration, roster, messages")
struct ReducerConnectionTests {
    @Test("Registration asks CAP LS 302 and requests only what is offered")
    func registration() {
        var state = AppState(identity: ServerIdentity(host: "h", port: 1, nick: "alice", user: "al", realname: "Alice A"))
        let effects = Reducer.reduce(&state, .network(.connected), now: 0)
        #expect(effects == [.send(IRCMessage("CAP", "LS", "302")), .send(IRCMessage("NICK", "alice")),
                            .send(IRCMessage("USER", "al", "0", "*", "Alice A"))])
        let ls = Reducer.reduce(&state, .network(.message(try! IRCMessage.parse(":s CAP * LS :echo-message foo sasl=PLAIN"))), now: 0)
        #expect(ls == [.send(IRCMessage("CAP", "REQ", "echo-message sasl"))])
        // No password: sasl is enabled (for a later /login) but registration does not wait for it.
        let ack = Reducer.reduce(&state, .network(.message(try! IRCMessage.parse(":s CAP alice ACK :echo-message sasl"))), now: 0)
        #expect(ack == [.send(IRCMessage("CAP", "END"))])
        #expect(state.hasCap("echo-message"))
    }

    @Test("Nick in use before registration tries NICK_ and says so")
    func nickInUse() {
        var state = AppState(identity: ServerIdentity(host: "h", port: 1, nick: "alice", user: "a", realname: "a"))
        _ = Reducer.reduce(&state, .network(.connected), now: 0)
        let effects = Reducer.reduce(&state, .network(.message(try! IRCMessage.parse(":s 433 * alice :Nickname is already in use"))), now: 0)
        #expect(effects == [.send(IRCMessage("NICK", "alice_"))])
        #expect(state.nick == "alice_")
        #expect(state.conversations[.server]?.lines.last?.text.contains("alice_") == true)
    }

    @Test("The roster fills Online from 730 and empties it on 731; a nick change moves the entry")
    func roster() {
        var harness = Harness()
        harness.server(":srv 730 alice :alice!a@h,bob!b@h,Carol!c@h")
        #expect(Sidebar.onlineNicks(harness.state) == ["bob", "Carol"])
        harness.server(":srv 731 alice :bob")
        harness.server(":srv 730 alice :dave!d@h")
        #expect(Sidebar.onlineNicks(harness.state) == ["Carol", "dave"])
    }

    @Test("A DM arriving elsewhere counts as unread and as a highlight")
    func directUnread() {
        var harness = Harness()
        harness.server(":srv 730 alice :bob!b@h")
        harness.server(":bob!b@h PRIVMSG alice :hi there")
        harness.server(":bob!b@h PRIVMSG alice :again")
        let dm = harness.conversation("bob")
        #expect(dm?.unread == 2)
        #expect(dm?.highlights == 2)
        #expect(dm?.firstUnread == 0)
        #expect(harness.sidebar.contains("Online:bob(2)"))
        #expect(harness.sidebar.contains("Conversations:bob(2)"))
    }

    @Test("Room messages count as unread; only a mention of my nick is a highlight")
    func roomHighlight() {
        var harness = Harness()
        harness.server(":alice!a@h JOIN #dev")
        harness.key(.alt("1"))
        harness.server(":bob!b@h PRIVMSG #dev :morning all")
        harness.server(":bob!b@h PRIVMSG #dev :alice: look")
        harness.server(":bob!b@h PRIVMSG #dev :malice is not a mention")
        #expect(harness.conversation("#dev")?.unread == 3)
        #expect(harness.conversation("#dev")?.highlights == 1)
        #expect(Reducer.mentions("hey \u{02}Alice\u{02}!", nick: "alice"))
        #expect(!Reducer.mentions("alicex", nick: "alice"))
    }

    @Test("Sending shows the line pending until the labelled echo confirms it")
    func echoConfirms() {
        var harness = Harness()
        harness.enter("/query bob")
        harness.enter("héllo 世界 👋🏽")
        guard let message = harness.sent.last else {
            Issue.record("nothing sent")
            return
        }
        #expect(message.command == "PRIVMSG")
        #expect(message.params == ["bob", "héllo 世界 👋🏽"])
        let label = message.tag("label")
        #expect(label != nil)
        #expect(harness.conversation("bob")?.lines.last?.isPending == true)
        harness.server("@label=\(label ?? "");msgid=m1;time=2026-11-18T08:30:00.000Z :alice!a@h PRIVMSG bob :héllo 世界 👋🏽")
        let line = harness.conversation("bob")?.lines.last
        #expect(line?.isPending == false)
        #expect(line?.msgid == "m1")
        #expect(harness.conversation("bob")?.lines.count == 1)
        // A replay of the same msgid is not shown twice.
        harness.server("@msgid=m1 :alice!a@h PRIVMSG bob :héllo 世界 👋🏽")
        #expect(harness.conversation("bob")?.lines.count == 1)
    }

    @Test("Lines typed while disconnected stay pending and go out after the reconnect")
    func pendingSurvivesReconnect() {
        var harness = Harness()
        harness.enter("/query bob")
        harness.feed(.network(.disconnected(reason: "gone", retryAt: harness.now + 1000)))
        harness.enter("are you there?")
        #expect(harness.sent.isEmpty)
        #expect(harness.conversation("bob")?.lines.last?.isPending == true)
        harness.feed(.network(.connected))
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 376 alice :End")
        #expect(harness.sent.contains { $0.command == "PRIVMSG" && $0.params == ["bob", "are you there?"] })
    }

    @Test("Rooms are joined again after a reconnect")
    func rejoin() {
        var harness = Harness()
        harness.server(":alice!a@h JOIN #dev")
        harness.feed(.network(.disconnected(reason: "gone", retryAt: harness.now + 1000)))
        #expect(harness.state.phase == .waiting(retryAt: harness.now + 1000, reason: "gone"))
        harness.feed(.network(.connected))
        harness.sent.removeAll()
        harness.server(":srv 001 alice :Welcome")
        #expect(harness.sentLines.contains("JOIN #dev"))
    }

    @Test("Long text is split at spaces into lines that fit 512 bytes")
    func splitting() {
        let text = String(repeating: "wörd ", count: 200)
        let pieces = Reducer.splitForWire(text, target: "#room", nick: "alice", action: false)
        #expect(pieces.count > 1)
        #expect(pieces.joined(separator: " ").replacingOccurrences(of: "  ", with: " ").hasPrefix("wörd wörd"))
        for piece in pieces {
            // What the server relays: ":alice!<10-char user>@<63-char host> " before the line.
            #expect(IRCMessage("PRIVMSG", "#room", piece).wireBytes.count + 1 + 5 + 1 + 10 + 1 + 63 + 1 <= 512)
        }
        #expect(pieces.reduce(0) { $0 + $1.filter { $0 == "ö" }.count } == 200)
    }

    @Test("Without the roster, Online lists room members and DM partners seen by MONITOR")
    func plainServer() {
        var harness = Harness(caps: "multi-prefix", isupport: "NETWORK=plain MONITOR=100")
        harness.server(":alice!a@h JOIN #dev")
        harness.server(":srv 353 alice = #dev :@alice +bob carol")
        harness.server(":srv 366 alice #dev :End")
        #expect(Sidebar.onlineNicks(harness.state) == ["bob", "carol"])
        harness.enter("/query dave")
        #expect(harness.sentLines.contains("MONITOR + dave"))
        harness.server(":srv 730 alice :dave!d@h")
        #expect(Sidebar.onlineNicks(harness.state) == ["bob", "carol", "dave"])
        harness.server(":srv 731 alice :dave")
        #expect(Sidebar.entries(harness.state).first { $0.label == "dave" }?.isDimmed == true)
    }

    @Test("Without MONITOR, ISON polls on a deadline the loop can sleep until")
    func isonFallback() {
        var harness = Harness(caps: "", isupport: "NETWORK=plain")
        #expect(Reducer.nextDeadline(harness.state, now: harness.now) == nil)
        harness.enter("/query dave")
        #expect(Reducer.nextDeadline(harness.state, now: harness.now) != nil)
        harness.feed(.tick)
        #expect(harness.sentLines.contains("ISON dave"))
        harness.server(":srv 303 alice :dave")
        #expect(Sidebar.onlineNicks(harness.state) == ["dave"])
        #expect(Reducer.nextDeadline(harness.state, now: harness.now) == harness.now + 30_000)
    }

    @Test("Server PING is answered and starts a lag probe")
    func pingLag() {
        var harness = Harness()
        harness.state.lagProbe = nil
        harness.server("PING :abc")
        #expect(harness.sentLines.first == "PONG abc")
        guard let probe = harness.sent.last, probe.command == "PING", let token = probe.params.first else {
            Issue.record("no lag probe")
            return
        }
        harness.now += 42
        harness.server(":srv PONG srv :\(token)")
        #expect(harness.state.lag == 42)
    }
}
