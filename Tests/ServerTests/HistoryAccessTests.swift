import Testing
import Shared

@Suite("History access: DM privacy, rooms for members, TARGETS")
struct HistoryAccessTests {
    @Test("a third party cannot read a DM conversation by any form, bound or TARGETS")
    func directMessagePrivacy() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.accountClient("alice", password: "correct-horse")
        let bob = try server.client("bob", caps: historyCaps)
        let secrets = try alice.sendAndCollectEchoes(to: "bob", ["secret 1", "secret 2", "secret 3"])
        try bob.expect("PRIVMSG", "bob", "secret 3")
        #expect(try bob.history("LATEST alice * 10") == secrets)

        let carol = try server.client("carol", caps: historyCaps)
        let before = timestampBound(secrets[0].timeMs - 1)
        let after = timestampBound(secrets[2].timeMs + 1)
        for target in ["alice", "bob"] {
            for query in ["LATEST \(target) * 100", "AFTER \(target) \(before) 100", "BEFORE \(target) \(after) 100",
                          "AROUND \(target) \(secrets[1].msgidBound) 100", "BETWEEN \(target) \(before) \(after) 100",
                          "AFTER \(target) \(secrets[0].msgidBound) 100", "LATEST \(target) \(secrets[0].msgidBound) 100"] {
                let lines = try carol.historyLines(query)
                #expect(lines.isEmpty, "carol read \(query): \(lines.map(\.wireLine))")
            }
        }
        #expect(try carol.historyTargets(from: before, to: after).isEmpty)
        // carol's own conversation with alice is hers alone and does not mix in bob's.
        let own = try carol.sendAndCollectEchoes(to: "alice", ["hi alice, carol here"])
        #expect(try carol.history("LATEST alice * 100") == own)
        #expect(try alice.history("LATEST bob * 100") == secrets)
        #expect(try alice.history("LATEST carol * 100") == own)
    }

    @Test("a guest who later takes a departed guest's nick does not inherit that guest's DMs")
    func guestNickReuse() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        _ = try alice.sendAndCollectEchoes(to: "bob", ["for the first bob only"])
        try bob.expect("PRIVMSG", "bob")
        try bob.send("QUIT")
        try bob.expectClosed()
        // Times are in milliseconds: a guest accepted in the DM's own millisecond cannot be told
        // from one accepted before it, and is shown the DM.
        waitForNextMillisecond()
        let newcomer = try server.client("bob", caps: historyCaps)
        let lines = try newcomer.historyLines("LATEST alice * 100")
        #expect(lines.isEmpty, "the new bob read: \(lines.map(\.wireLine))")
    }

    @Test("a room's history is for its current members: outsiders and leavers get FAIL INVALID_TARGET")
    func roomMembersOnly() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        for client in [alice, bob] {
            try client.send("JOIN #team")
            try client.expect("JOIN")
        }
        let said = try alice.sendAndCollectEchoes(to: "#team", ["plan a", "plan b", "plan c"])
        try bob.expect("PRIVMSG", "#team", "plan c")
        #expect(try bob.history("LATEST #team * 10") == said)
        #expect(try bob.history("LATEST #TEAM * 10") == said)
        let (start, _) = try bob.historyBatch("LATEST #team * 10")
        #expect(start.param(2) == "#team")

        let outsider = try server.client("outsider", caps: historyCaps)
        for query in ["LATEST #team * 10", "AFTER #team \(timestampBound(said[0].timeMs - 1)) 10", "AROUND #team \(said[1].msgidBound) 10"] {
            let failure = try outsider.historyFailure(query)
            #expect(failure.param(1) == "INVALID_TARGET", "\(failure.wireLine)")
        }
        #expect(try outsider.historyTargets(from: timestampBound(said[0].timeMs - 1), to: timestampBound(said[2].timeMs + 1)).isEmpty)

        try outsider.send("JOIN #team")
        try outsider.expect("JOIN")
        #expect(try outsider.history("LATEST #team * 10") == said)

        try bob.send("PART #team")
        try bob.expect("PART")
        #expect(try bob.historyFailure("LATEST #team * 10").param(1) == "INVALID_TARGET")
        #expect(try outsider.historyFailure("LATEST #elsewhere * 10").param(1) == "INVALID_TARGET")
    }

    @Test("a message is in history once its sender sees the echo, as the recipient got it (DMs and rooms)")
    func committedBeforeEcho() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        for client in [alice, bob] {
            try client.send("JOIN #live")
            try client.expect("JOIN")
        }
        for index in 0..<20 {
            let target = index.isMultiple(of: 2) ? "bob" : "#live"
            try alice.send("PRIVMSG \(target) :live \(index)")
            let got = try bob.expect("PRIVMSG live \(index)") { $0.command == "PRIVMSG" && $0.param(1) == "live \(index)" }
            let received = try #require(SeenMessage(got))
            // Recipients need not wait for the disk; the echo is the promise that the message is stored.
            let echo = try #require(try alice.collectEchoes(to: target, count: 1).first)
            #expect(echo == received)
            #expect(try alice.history("AROUND \(target) \(echo.msgidBound) 1") == [echo], "message \(index)")
            let conversation = target == "bob" ? "alice" : "#live"
            #expect(try bob.history("AROUND \(conversation) \(received.msgidBound) 1") == [received], "message \(index)")
        }
    }

    @Test("a DM to an account that is online only under other nicks reaches those sessions, stored once")
    func accountOnlineUnderAnotherNick() throws {
        let server = try ChatServer.start()
        let owner = try server.accountClient("bob", password: "correct-horse")
        try owner.send("NICK bob_phone")
        try owner.expect("NICK")
        let laptop = try server.saslClient("bob_laptop", account: "bob", password: "correct-horse")
        let alice = try server.client("alice", caps: historyCaps)
        try alice.send("PRIVMSG bob :are you on your phone?")
        let echo = try #require(try alice.collectEchoes(to: "bob", count: 1).first)
        for (session, nick) in [(owner, "bob_phone"), (laptop, "bob_laptop")] {
            let live = try session.expect("the DM on \(nick)") { $0.command == "PRIVMSG" }
            #expect(live.param(0) == nick && live.param(1) == "are you on your phone?")
            #expect(SeenMessage(live) == echo, "the live copy carries the stored msgid and time")
        }
        try alice.expectNone("an 'offline' notice while bob is online") { $0.command == "NOTICE" }
        #expect(try owner.history("LATEST alice * 10") == [echo])
        #expect(try alice.history("LATEST bob * 10") == [echo])
    }

    @Test("whoever re-creates an emptied keyed room does not read what its earlier members said")
    func recreatedRoom() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        try alice.send("JOIN #secret")
        try alice.expect("JOIN")
        try alice.send("MODE #secret +k hunter2")
        try alice.expect("MODE")
        try bob.send("JOIN #secret hunter2")
        try bob.expect("JOIN")
        _ = try alice.sendAndCollectEchoes(to: "#secret", ["the launch code is 0000"])
        try bob.expect("PRIVMSG", "#secret")
        for client in [alice, bob] {
            try client.send("PART #secret")
            // bob has alice's PART queued already: wait for his own.
            try client.expect("own PART") { $0.command == "PART" && $0.sourceNick == client.nick }
        }
        let mallory = try server.client("mallory", caps: historyCaps)
        try mallory.send("JOIN #secret")
        try mallory.expect("JOIN")
        let lines = try mallory.historyLines("LATEST #secret * 10")
        // The documented policy (README, "History visibility"): room history belongs to the room
        // name and is readable by its current members; a room that empties can be re-created by anyone.
        #expect(lines.compactMap { $0.param(1) } == ["the launch code is 0000"])
    }

    @Test("TARGETS lists each conversation and joined room once with its latest time, sorted, windowed and limited")
    func targets() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let bob = try server.client("bob", caps: historyCaps)
        let alice = try server.client("alice", caps: historyCaps)
        let carol = try server.client("carol", caps: historyCaps)
        for client in [bob, alice] {
            try client.send("JOIN #room")
            try client.expect("JOIN")
        }
        let start = IRCTime.nowMilliseconds() - 1
        let fromAlice = try alice.sendAndCollectEchoes(to: "bob", ["a1", "a2"])
        waitForNextMillisecond()
        let inRoom = try alice.sendAndCollectEchoes(to: "#room", ["r1"])
        waitForNextMillisecond()
        let fromCarol = try carol.sendAndCollectEchoes(to: "bob", ["c1"])
        waitForNextMillisecond()
        let fromBob = try bob.sendAndCollectEchoes(to: "alice", ["b1"])
        let end = fromBob[0].timeMs + 1

        let all = try bob.historyTargets(from: timestampBound(start), to: timestampBound(end))
        #expect(all.map(\.name) == ["#room", "carol", "alice"])
        #expect(all.map(\.timeMs) == [inRoom[0].timeMs, fromCarol[0].timeMs, fromBob[0].timeMs])
        // The limit counts from the first bound: oldest first going forwards, newest first going backwards.
        #expect(try bob.historyTargets(from: timestampBound(start), to: timestampBound(end), limit: 1).map(\.name) == ["#room"])
        #expect(try bob.historyTargets(from: timestampBound(end), to: timestampBound(start), limit: 1).map(\.name) == ["alice"])
        // A window that ends before carol spoke.
        let early = try bob.historyTargets(from: timestampBound(start), to: timestampBound(fromCarol[0].timeMs))
        #expect(early.map(\.name) == ["alice", "#room"])
        #expect(early.first { $0.name == "alice" }?.timeMs == fromAlice[1].timeMs)
        // carol is in no room and talked only to bob.
        #expect(try carol.historyTargets(from: timestampBound(start), to: timestampBound(end)).map(\.name) == ["bob"])
    }
}
