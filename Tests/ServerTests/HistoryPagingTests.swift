import Testing
import Shared

/// A direct conversation of `count` messages from alice to bob, both guests, with the times spread
/// over several milliseconds (two messages share each one, so millisecond edges are exercised too).
private struct Conversation {
    let server: ServerProcess
    let alice: TestClient
    let bob: TestClient
    /// Every message in the order it was sent, as alice's echoes showed it.
    let messages: [SeenMessage]

    init(count: Int = 25) throws {
        server = try ChatServer.start(["--flood-rate", "0"])
        alice = try server.client("alice", caps: historyCaps)
        bob = try server.client("bob", caps: historyCaps)
        var seen: [SeenMessage] = []
        var index = 0
        while index < count {
            let texts = (index..<min(index + 2, count)).map { "message \($0)" }
            seen += try alice.sendAndCollectEchoes(to: "bob", texts)
            index += texts.count
            waitForNextMillisecond()
        }
        messages = seen
        // bob has received them all, so their commits are done before any query.
        for text in seen.map(\.text) {
            try bob.expect("PRIVMSG \(text)") { $0.command == "PRIVMSG" && $0.param(1) == text }
        }
    }

    func after(_ timeMs: Int64) -> [SeenMessage] { messages.filter { $0.timeMs > timeMs } }
    func before(_ timeMs: Int64) -> [SeenMessage] { messages.filter { $0.timeMs < timeMs } }
}

@Suite("CHATHISTORY forms and paging")
struct HistoryPagingTests {
    @Test("ISUPPORT advertises CHATHISTORY=1000 and MSGREFTYPES; CAP LS offers draft/chathistory")
    func advertised() throws {
        let server = try ChatServer.start()
        let client = try server.connection("alice")
        let burst = try client.register(nick: "alice", caps: ["draft/chathistory"])
        let tokens = burst.filter { $0.command == IRCNumeric.isupport }.flatMap { $0.params.dropFirst().dropLast() }
        #expect(tokens.contains("CHATHISTORY=1000"))
        let reftypes = try #require(tokens.first { $0.hasPrefix("MSGREFTYPES=") })
        #expect(Set(reftypes.dropFirst(12).split(separator: ",")) == ["timestamp", "msgid"])
    }

    @Test("LATEST * returns the newest messages in ascending order, in a chathistory batch naming the target")
    func latest() throws {
        let chat = try Conversation()
        let (start, lines) = try chat.bob.historyBatch("LATEST alice * 10")
        #expect(start.param(1) == "chathistory")
        #expect(start.param(2) == "alice")
        #expect(lines.allSatisfy { $0.command == "PRIVMSG" && $0.param(0) == "bob" && $0.source?.hasPrefix("alice!") == true })
        #expect(lines.compactMap(SeenMessage.init) == Array(chat.messages.suffix(10)))
        #expect(try chat.bob.history("LATEST alice * 1") == [chat.messages[24]])
        #expect(try chat.bob.history("LATEST alice * 25") == chat.messages)
        // A limit above the count (and above the advertised maximum) is served, not refused.
        #expect(try chat.bob.history("LATEST alice * 1000") == chat.messages)
        #expect(try chat.bob.history("LATEST alice * 5000") == chat.messages)
    }

    @Test("both parties read the same conversation, whichever side asks and in whatever case")
    func bothSides() throws {
        let chat = try Conversation(count: 6)
        #expect(try chat.alice.history("LATEST bob * 50") == chat.messages)
        #expect(try chat.bob.history("LATEST alice * 50") == chat.messages)
        #expect(try chat.bob.history("LATEST ALICE * 50") == chat.messages)
    }

    @Test("LATEST with a bound returns only messages after it, newest first within the limit")
    func latestWithBound() throws {
        let chat = try Conversation()
        let m = chat.messages
        #expect(try chat.bob.history("LATEST alice \(m[19].msgidBound) 100") == Array(m[20...]))
        #expect(try chat.bob.history("LATEST alice \(m[10].msgidBound) 3") == Array(m.suffix(3)))
        #expect(try chat.bob.history("LATEST alice \(m[10].timestampBound) 100") == chat.after(m[10].timeMs))
        #expect(try chat.bob.history("LATEST alice \(m[24].msgidBound) 10").isEmpty)
        #expect(try chat.bob.history("LATEST alice \(timestampBound(m[0].timeMs - 1)) 4") == Array(m.suffix(4)))
    }

    @Test("BEFORE returns the messages just before the bound; before the first there is nothing")
    func before() throws {
        let chat = try Conversation()
        let m = chat.messages
        #expect(try chat.bob.history("BEFORE alice \(m[12].msgidBound) 5") == Array(m[7..<12]))
        #expect(try chat.bob.history("BEFORE alice \(m[3].msgidBound) 10") == Array(m[0..<3]))
        #expect(try chat.bob.history("BEFORE alice \(m[0].msgidBound) 10").isEmpty)
        // A timestamp excludes every message of its own millisecond.
        #expect(try chat.bob.history("BEFORE alice \(m[13].timestampBound) 100") == chat.before(m[13].timeMs))
        #expect(try chat.bob.history("BEFORE alice \(m[13].timestampBound) 2") == Array(chat.before(m[13].timeMs).suffix(2)))
        #expect(try chat.bob.history("BEFORE alice \(m[0].timestampBound) 10").isEmpty)
        #expect(try chat.bob.history("BEFORE alice \(timestampBound(m[24].timeMs + 1)) 100") == m)
    }

    @Test("AFTER returns the messages just after the bound; after the last there is nothing")
    func after() throws {
        let chat = try Conversation()
        let m = chat.messages
        #expect(try chat.bob.history("AFTER alice \(m[12].msgidBound) 5") == Array(m[13..<18]))
        #expect(try chat.bob.history("AFTER alice \(m[21].msgidBound) 10") == Array(m[22...]))
        #expect(try chat.bob.history("AFTER alice \(m[24].msgidBound) 10").isEmpty)
        #expect(try chat.bob.history("AFTER alice \(m[13].timestampBound) 100") == chat.after(m[13].timeMs))
        #expect(try chat.bob.history("AFTER alice \(m[13].timestampBound) 3") == Array(chat.after(m[13].timeMs).prefix(3)))
        #expect(try chat.bob.history("AFTER alice \(m[24].timestampBound) 10").isEmpty)
        #expect(try chat.bob.history("AFTER alice \(timestampBound(m[0].timeMs - 1)) 100") == m)
    }

    @Test("a BEFORE chain from LATEST reaches the first message, and an AFTER chain from the start the last, each exactly once")
    func pagingChains() throws {
        let chat = try Conversation()
        var backwards: [[SeenMessage]] = [try chat.bob.history("LATEST alice * 7")]
        for _ in 0..<10 {
            guard let oldest = backwards.last?.first else { break }
            backwards.append(try chat.bob.history("BEFORE alice \(oldest.msgidBound) 7"))
        }
        #expect(backwards.map(\.count) == [7, 7, 7, 4, 0])
        #expect(backwards.reversed().flatMap { $0 } == chat.messages)

        var forwards: [[SeenMessage]] = [try chat.bob.history("AFTER alice \(timestampBound(chat.messages[0].timeMs - 1)) 7")]
        for _ in 0..<10 {
            guard let newest = forwards.last?.last else { break }
            forwards.append(try chat.bob.history("AFTER alice \(newest.msgidBound) 7"))
        }
        #expect(forwards.map(\.count) == [7, 7, 7, 4, 0])
        #expect(forwards.flatMap { $0 } == chat.messages)
    }

    @Test("BETWEEN excludes both bounds and counts the limit from the first bound, in either order")
    func between() throws {
        let chat = try Conversation()
        let m = chat.messages
        #expect(try chat.bob.history("BETWEEN alice \(m[5].msgidBound) \(m[15].msgidBound) 100") == Array(m[6..<15]))
        #expect(try chat.bob.history("BETWEEN alice \(m[15].msgidBound) \(m[5].msgidBound) 100") == Array(m[6..<15]))
        #expect(try chat.bob.history("BETWEEN alice \(m[5].msgidBound) \(m[15].msgidBound) 3") == Array(m[6..<9]))
        #expect(try chat.bob.history("BETWEEN alice \(m[15].msgidBound) \(m[5].msgidBound) 3") == Array(m[12..<15]))
        #expect(try chat.bob.history("BETWEEN alice \(m[7].msgidBound) \(m[8].msgidBound) 10").isEmpty)
        #expect(try chat.bob.history("BETWEEN alice \(m[7].msgidBound) \(m[7].msgidBound) 10").isEmpty)
        let (low, high) = (m[4].timeMs, m[20].timeMs)
        let inside = m.filter { $0.timeMs > low && $0.timeMs < high }
        #expect(try chat.bob.history("BETWEEN alice \(timestampBound(low)) \(timestampBound(high)) 100") == inside)
        #expect(try chat.bob.history("BETWEEN alice \(timestampBound(high)) \(timestampBound(low)) 100") == inside)
        #expect(try chat.bob.history("BETWEEN alice \(timestampBound(high)) \(timestampBound(low)) 2") == Array(inside.suffix(2)))
        // Mixed bound kinds.
        #expect(try chat.bob.history("BETWEEN alice \(m[2].msgidBound) \(timestampBound(high)) 100")
            == m.indices.filter { $0 > 2 && m[$0].timeMs < high }.map { m[$0] })
        #expect(try chat.bob.history("BETWEEN alice \(timestampBound(m[0].timeMs - 1)) \(timestampBound(m[24].timeMs + 1)) 1000") == m)
    }

    @Test("AROUND a msgid centres a page of `limit` on it; at an end the page fills from the other side")
    func around() throws {
        let chat = try Conversation()
        let m = chat.messages
        #expect(try chat.bob.history("AROUND alice \(m[12].msgidBound) 6") == Array(m[9..<15]))
        #expect(try chat.bob.history("AROUND alice \(m[12].msgidBound) 1") == [m[12]])
        #expect(try chat.bob.history("AROUND alice \(m[1].msgidBound) 8") == Array(m[0..<8]))
        #expect(try chat.bob.history("AROUND alice \(m[23].msgidBound) 8") == Array(m[17...]))
        #expect(try chat.bob.history("AROUND alice \(m[12].msgidBound) 1000") == m)
        // Around a time: a contiguous page reaching both sides of that time.
        let centre = m[12].timeMs
        let page = try chat.bob.history("AROUND alice \(timestampBound(centre)) 6")
        #expect(page.count == 6)
        let first = try #require(page.first.flatMap { m.firstIndex(of: $0) })
        #expect(page == Array(m[first..<first + 6]))
        #expect(page.contains { $0.timeMs < centre } && page.contains { $0.timeMs >= centre })
    }

    @Test("an unknown msgid, or one from another conversation, gives an empty batch, never someone else's messages")
    func unknownMsgid() throws {
        let chat = try Conversation(count: 6)
        let carol = try chat.server.client("carol", caps: historyCaps)
        let foreign = try carol.sendAndCollectEchoes(to: "alice", ["carol's secret"])[0]
        for form in ["BEFORE", "AFTER", "AROUND", "LATEST"] {
            #expect(try chat.bob.history("\(form) alice msgid=no-such-id 10").isEmpty, "\(form)")
            #expect(try chat.bob.history("\(form) alice \(foreign.msgidBound) 10").isEmpty, "\(form) with a foreign msgid")
        }
        #expect(try chat.bob.history("BETWEEN alice msgid=no-such-id \(chat.messages[5].msgidBound) 10").isEmpty)
        #expect(try chat.bob.history("BETWEEN alice \(chat.messages[0].msgidBound) \(foreign.msgidBound) 10").isEmpty)
    }

    @Test("malformed CHATHISTORY commands get FAIL CHATHISTORY with the right code")
    func invalidParams() throws {
        let server = try ChatServer.start()
        let bob = try server.client("bob", caps: historyCaps)
        let cases: [(String, String)] = [
            ("FETCH alice * 10", "INVALID_PARAMS"),
            ("LATEST alice", "NEED_MORE_PARAMS"),
            ("BEFORE alice msgid=x", "NEED_MORE_PARAMS"),
            ("BETWEEN alice msgid=x 10", "NEED_MORE_PARAMS"),
            ("TARGETS timestamp=2024-01-01T00:00:00.000Z 10", "NEED_MORE_PARAMS"),
            ("LATEST alice * 0", "INVALID_PARAMS"),
            ("LATEST alice * -5", "INVALID_PARAMS"),
            ("LATEST alice * ten", "INVALID_PARAMS"),
            ("LATEST alice nonsense 10", "INVALID_PARAMS"),
            ("BEFORE alice * 10", "INVALID_PARAMS"),
            ("BEFORE alice id=abc 10", "INVALID_PARAMS"),
            ("AFTER alice timestamp=yesterday 10", "INVALID_PARAMS"),
            ("AFTER alice timestamp=2024-13-01T00:00:00.000Z 10", "INVALID_PARAMS"),
            ("AROUND alice msgid= 10", "INVALID_PARAMS"),
            ("BETWEEN alice msgid=a garbage 10", "INVALID_PARAMS"),
            ("TARGETS * * 10", "INVALID_PARAMS"),
            ("TARGETS msgid=a msgid=b 10", "INVALID_PARAMS"),
            ("LATEST #nowhere * 10", "INVALID_TARGET"),
            ("LATEST bad,nick * 10", "INVALID_TARGET"),
        ]
        for (arguments, code) in cases {
            let failure = try bob.historyFailure(arguments)
            #expect(failure.param(1) == code, "CHATHISTORY \(arguments) -> \(failure.wireLine)")
        }
        // The connection is still fine afterwards.
        try bob.sync()
    }

    @Test("a labeled CHATHISTORY gets its label on the batch; client tags and NOTICEs are replayed as sent")
    func labelsAndTags() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: historyCaps + ["labeled-response"])
        let bob = try server.client("bob", caps: historyCaps + ["labeled-response"])
        try alice.send("@label=send1;+example.com/mood=cheerful PRIVMSG bob :with a tag")
        let echo = try alice.expect("labeled echo") { $0.command == "PRIVMSG" }
        #expect(echo.tag("label") == "send1")
        #expect(echo.tag("+example.com/mood") == "cheerful")
        try alice.send("NOTICE bob :a notice")
        try alice.expect("NOTICE echo") { $0.command == "NOTICE" && $0.param(0) == "bob" }
        try bob.expect("NOTICE", "bob", "a notice")

        try bob.send("@label=hist1 CHATHISTORY LATEST alice * 10")
        let start = try bob.expect("BATCH +") { $0.command == "BATCH" && $0.param(0)?.hasPrefix("+") == true }
        #expect(start.tag("label") == "hist1")
        #expect(start.param(1) == "chathistory")
        let id = String(start.params[0].dropFirst())
        let body = try bob.collect(until: "BATCH -") { $0.command == "BATCH" && $0.param(0) == "-" + id }.dropLast()
        #expect(body.map(\.command) == ["PRIVMSG", "NOTICE"])
        #expect(body.first?.tag("+example.com/mood") == "cheerful")
        #expect(body.first?.tag("msgid") == echo.tag("msgid"))
        #expect(body.first?.tag("time") == echo.tag("time"))
        #expect(body.allSatisfy { $0.tag("label") == nil })

        try bob.send("@label=hist2 CHATHISTORY LATEST nobody * 10")
        let empty = try bob.expect("BATCH +") { $0.command == "BATCH" && $0.param(0)?.hasPrefix("+") == true }
        #expect(empty.tag("label") == "hist2")
        try bob.expect("BATCH -") { $0.command == "BATCH" && $0.param(0) == "-" + String(empty.params[0].dropFirst()) }
    }

    @Test("CHATHISTORY before registration gets 451, and without the batch cap the lines come unwrapped")
    func registrationAndNoBatch() throws {
        let chat = try Conversation(count: 3)
        let early = try chat.server.connection("early")
        try early.send("CHATHISTORY LATEST alice * 10")
        try early.expect(IRCNumeric.notRegistered)

        let plain = try chat.server.client("plain", caps: ["echo-message", "server-time", "message-tags"])
        let sent = try plain.sendAndCollectEchoes(to: "bob", ["no batch 1", "no batch 2"])
        try plain.send("CHATHISTORY LATEST bob * 10")
        let replayed = try plain.collect(until: "the second replayed line") { $0.command == "PRIVMSG" && $0.param(1) == "no batch 2" }
        #expect(!replayed.contains { $0.command == "BATCH" })
        #expect(replayed.filter { $0.command == "PRIVMSG" }.compactMap(SeenMessage.init) == sent)
    }
}
