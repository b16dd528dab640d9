import Testing
import Shared

@Suite("Direct messages and IRCv3 message capabilities")
struct DirectMessageTests {
    @Test("PRIVMSG and NOTICE reach the other nick, both ways, with the sender's full mask")
    func bothWays() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("PRIVMSG bob :hello bob, ünïcödé 👋")
        let got = try bob.expect("PRIVMSG", "bob")
        #expect(got.params.last == "hello bob, ünïcödé 👋")
        #expect(got.source?.hasPrefix("alice!") == true && got.source?.contains("@") == true)
        try bob.send("PRIVMSG alice :hi alice")
        #expect(try alice.expect("PRIVMSG", "alice").params.last == "hi alice")
        try bob.send("NOTICE alice :a notice")
        #expect(try alice.expect("NOTICE", "alice").params.last == "a notice")
    }

    @Test("nick targets are case-insensitive")
    func caseInsensitiveTarget() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("Bob")
        try alice.send("PRIVMSG bOB :case")
        #expect(try bob.expect("PRIVMSG").params.last == "case")
    }

    @Test("a message to several targets reaches each of them")
    func multipleTargets() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let carol = try server.client("carol")
        try alice.send("PRIVMSG bob,carol :to both")
        #expect(try bob.expect("PRIVMSG").params.last == "to both")
        #expect(try carol.expect("PRIVMSG").params.last == "to both")
    }

    @Test("echo-message sends the sender its own message back; without it, nothing comes back")
    func echoMessage() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["echo-message"])
        let plain = try server.client("plain")
        let bob = try server.client("bob")
        try alice.send("PRIVMSG bob :echo me")
        let echo = try alice.expect("echoed PRIVMSG") { $0.command == "PRIVMSG" }
        #expect(echo.param(0) == "bob")
        #expect(echo.params.last == "echo me")
        #expect(echo.source?.hasPrefix("alice!") == true)
        try bob.expect("PRIVMSG", "bob")
        try plain.send("PRIVMSG bob :no echo")
        try plain.expectNone("an echo without echo-message") { $0.command == "PRIVMSG" }
    }

    @Test("server-time tags relayed messages with YYYY-MM-DDThh:mm:ss.sssZ")
    func serverTime() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob", caps: ["server-time"])
        let before = IRCTime.nowMilliseconds()
        try alice.send("PRIVMSG bob :timed")
        let got = try bob.expect("PRIVMSG", "bob")
        let time = try #require(got.tag("time"))
        #expect(time.utf8.count == 24 && time.hasSuffix("Z"))
        let millis = try #require(IRCTime.parse(time))
        #expect(abs(millis - before) < 10_000)
    }

    @Test("msgid is on every relayed message, unique, and the echo carries the same one")
    func msgid() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["message-tags", "echo-message"])
        let bob = try server.client("bob", caps: ["message-tags"])
        var ids: [String] = []
        for index in 0..<5 {
            try alice.send("PRIVMSG bob :n\(index)")
            let got = try bob.expect("PRIVMSG", "bob")
            let echo = try alice.expect("echo") { $0.command == "PRIVMSG" }
            let id = try #require(got.tag("msgid"))
            #expect(!id.isEmpty)
            #expect(echo.tag("msgid") == id)
            ids.append(id)
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test("client-only tags are relayed to message-tags clients and stripped for others; TAGMSG needs the cap")
    func clientOnlyTags() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["message-tags"])
        let bob = try server.client("bob", caps: ["message-tags"])
        let plain = try server.client("plain")
        try alice.send("@+draft/reply=abc;+example.com/x=sp\\sace;notclient=1 PRIVMSG bob,plain :tagged")
        let got = try bob.expect("PRIVMSG", "bob")
        #expect(got.tag("+draft/reply") == "abc")
        #expect(got.tag("+example.com/x") == "sp ace")
        #expect(got.tag("notclient") == nil, "a non-client tag from a client must not be relayed")
        let plainGot = try plain.expect("PRIVMSG", "plain")
        #expect(plainGot.tags.isEmpty)

        try alice.send("@+typing=active TAGMSG bob")
        let tagmsg = try bob.expect("TAGMSG", "bob")
        #expect(tagmsg.tag("+typing") == "active")
        try alice.send("@+typing=active TAGMSG plain")
        try alice.sync()
        try plain.expectNone("TAGMSG to a client without message-tags") { $0.command == "TAGMSG" }
    }

    @Test("client tags over 4094 bytes are refused with 417, not relayed")
    func clientTagsTooLong() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["message-tags"])
        let bob = try server.client("bob", caps: ["message-tags"])
        try alice.send("@+big=\(String(repeating: "v", count: 4100)) PRIVMSG bob :hi")
        try alice.expectNumeric("417")
        try bob.expectNone("the oversized message") { $0.command == "PRIVMSG" }
    }

    @Test("labeled-response: one reply carries the label, several come in a labeled batch, none gives ACK")
    func labeledResponse() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["labeled-response", "batch", "echo-message", "message-tags"])
        _ = try server.client("bob")

        try alice.send("@label=one PRIVMSG bob :labelled")
        let echo = try alice.expect("labelled echo") { $0.command == "PRIVMSG" }
        #expect(echo.tag("label") == "one")

        try alice.send("@label=many WHOIS bob")
        let start = try alice.expect("BATCH +") { $0.command == "BATCH" && $0.param(0)?.hasPrefix("+") == true }
        #expect(start.tag("label") == "many")
        #expect(start.param(1) == "labeled-response")
        let reference = String(start.param(0)?.dropFirst() ?? "")
        let inside = try alice.collect(until: "BATCH -\(reference)") { $0.command == "BATCH" && $0.param(0) == "-" + reference }
        let replies = inside.dropLast()
        #expect(replies.count >= 2)
        #expect(replies.allSatisfy { $0.tag("batch") == reference })
        #expect(replies.contains { $0.command == "318" })

        try alice.send("@label=err PRIVMSG ghost :anyone?")
        let error = try alice.expect("labelled 401") { $0.command == "401" }
        #expect(error.tag("label") == "err")

        try alice.send("@label=ping PING token")
        #expect(try alice.expect("labelled PONG") { $0.command == "PONG" }.tag("label") == "ping")

        try alice.send("@label=quiet PONG :nothing")
        let ack = try alice.expect("ACK") { $0.command == "ACK" }
        #expect(ack.tag("label") == "quiet")
    }

    @Test("AWAY: 306/305, 301 to whoever messages the away nick, away-notify to those who share a room")
    func away() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob", caps: ["away-notify"])
        let plain = try server.client("plain")
        for client in [alice, bob, plain] {
            try client.send("JOIN #hang")
            try client.expectNumeric("366", "#hang")
        }
        try alice.send("AWAY :gone fishing")
        try alice.expectNumeric("306")
        let notify = try bob.expect("AWAY", within: 5)
        #expect(notify.sourceNick == "alice" && notify.params.last == "gone fishing")
        try plain.expectNone("AWAY without away-notify") { $0.command == "AWAY" }
        try bob.send("PRIVMSG alice :are you there?")
        let autoReply = try bob.expectNumeric("301", "alice")
        #expect(autoReply.params.last == "gone fishing")
        try alice.send("AWAY")
        try alice.expectNumeric("305")
        let back = try bob.expect("AWAY back") { $0.command == "AWAY" }
        #expect(back.params.isEmpty)
    }
    @Test("server tags a client tries to supply (time, msgid, account, batch) are replaced or dropped, never relayed")
    func spoofedServerTags() throws {
        let server = try ChatServer.start()
        let mallory = try server.client("mallory", caps: ["message-tags"])
        let bob = try server.client("bob", caps: ["message-tags", "server-time", "account-tag", "batch"])
        try mallory.send("@time=2000-01-01T00:00:00.000Z;msgid=fake;account=admin;batch=b1 PRIVMSG bob :trust me")
        let got = try bob.expect("PRIVMSG", "bob")
        #expect(got.tag("time") != "2000-01-01T00:00:00.000Z")
        #expect(got.tag("msgid") != "fake")
        #expect(got.tag("account") != "admin")
        #expect(got.tag("batch") == nil)
    }

    @Test("STATUSMSG: @#room reaches operators only")
    func statusMessage() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let carol = try server.client("carol")
        for client in [alice, bob, carol] {
            try client.send("JOIN #r")
            try client.expectNumeric("366", "#r")
        }
        try bob.send("PRIVMSG @#r :ops only")
        let got = try alice.expect("PRIVMSG") { $0.command == "PRIVMSG" }
        #expect(got.param(0) == "@#r" && got.params.last == "ops only")
        try carol.expectNone("a STATUSMSG for ops") { $0.command == "PRIVMSG" }
    }
    @Test("away-notify: an away user joining a room is announced with AWAY after the JOIN")
    func awayOnJoin() throws {
        let server = try ChatServer.start()
        let bob = try server.client("bob", caps: ["away-notify"])
        try bob.send("JOIN #r")
        try bob.expectNumeric("366", "#r")
        let alice = try server.client("alice")
        try alice.send("AWAY :lunch")
        try alice.expectNumeric("306")
        try alice.send("JOIN #r")
        let seen = try bob.collect(until: "AWAY") { $0.command == "AWAY" }
        #expect(seen.contains { $0.command == "JOIN" && $0.sourceNick == "alice" })
        #expect(seen.last?.sourceNick == "alice" && seen.last?.params.last == "lunch")
    }

    @Test("extended-join: JOIN carries the account (* for a guest) and the realname")
    func extendedJoin() throws {
        let server = try ChatServer.start()
        let bob = try server.client("bob", caps: ["extended-join"])
        try bob.send("JOIN #r")
        try bob.expectNumeric("366", "#r")
        let alice = try server.client("alice")
        try alice.send("JOIN #r")
        let join = try bob.expect("JOIN from alice") { $0.command == "JOIN" && $0.sourceNick == "alice" }
        #expect(join.params == ["#r", "*", "Test alice"])
    }
}
