import Testing
import Shared

/// A room of three: alice creates it (and is its operator), bob and carol join.
@Suite("Rooms")
struct RoomTests {
    struct Room {
        let server: ServerProcess
        let alice: TestClient
        let bob: TestClient
        let carol: TestClient
    }

    private func roomOfThree(_ name: String = "#room", aliceCaps: [String] = []) throws -> Room {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: aliceCaps)
        let bob = try server.client("bob")
        let carol = try server.client("carol")
        try alice.send("JOIN \(name)")
        try alice.expect("JOIN", name)
        try alice.expectNumeric("366")
        for client in [bob, carol] {
            try client.send("JOIN \(name)")
            try client.expectNumeric("366")
        }
        try alice.sync()
        try bob.sync()
        return Room(server: server, alice: alice, bob: bob, carol: carol)
    }

    private func names(_ client: TestClient, _ room: String) throws -> [String] {
        try client.send("NAMES \(room)")
        let lines = try client.collect(until: "366") { $0.command == "366" }
        return lines.filter { $0.command == "353" }.flatMap { ($0.params.last ?? "").split(separator: " ").map(String.init) }
    }

    @Test("JOIN is seen by everyone in the room; the joiner gets topic state and NAMES; the creator is operator")
    func joinAndNames() throws {
        let room = try roomOfThree()
        let members = try names(room.carol, "#room")
        #expect(Set(members) == ["@alice", "bob", "carol"])
        let server = room.server
        let dave = try server.client("dave")
        try dave.send("JOIN #room")
        let join = try dave.expect("JOIN", "#room")
        #expect(join.sourceNick == "dave")
        let joinBurst = try dave.collect(until: "366") { $0.command == "366" }
        #expect(joinBurst.contains { $0.command == "353" })
        for peer in [room.alice, room.bob, room.carol] {
            #expect(try peer.expect("JOIN", "#room").sourceNick == "dave")
        }
    }

    @Test("JOIN several rooms at once, with keys")
    func joinSeveral() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +k sesame")
        try room.alice.expect("MODE", "#room")
        let server = room.server
        let dave = try server.client("dave")
        try dave.send("JOIN #room,#other,#third sesame")
        var joined: Set<String> = []
        while joined.count < 3 {
            joined.insert(try dave.expect("JOIN") { $0.command == "JOIN" }.param(0) ?? "")
        }
        #expect(joined == ["#room", "#other", "#third"])
    }

    @Test("room messages go to the other members, not back to the sender, not to outsiders")
    func roomMessage() throws {
        let room = try roomOfThree()
        let outsider = try room.server.client("outsider")
        try room.bob.send("PRIVMSG #room :hello room")
        #expect(try room.alice.expect("PRIVMSG", "#room").params.last == "hello room")
        #expect(try room.carol.expect("PRIVMSG", "#room").sourceNick == "bob")
        try room.bob.expectNone("own room message without echo-message") { $0.command == "PRIVMSG" }
        try outsider.expectNone("a room message to a non-member") { $0.command == "PRIVMSG" }
    }

    @Test("a new room is +nt; MODE #room shows 324")
    func defaultModes() throws {
        let room = try roomOfThree()
        try room.bob.send("MODE #room")
        let modes = try room.bob.expectNumeric("324", "#room")
        #expect(modes.param(2).map { $0.hasPrefix("+") && $0.contains("n") && $0.contains("t") } == true, "\(modes.wireLine)")
    }

    @Test("+n: outsiders cannot send (404); after -n they can")
    func noExternal() throws {
        let room = try roomOfThree()
        let outsider = try room.server.client("outsider")
        try room.alice.send("MODE #room -n")
        try room.bob.expect("MODE", "#room", "-n")
        try outsider.send("PRIVMSG #room :from outside")
        #expect(try room.bob.expect("PRIVMSG", "#room").params.last == "from outside")
        try room.alice.send("MODE #room +n")
        try room.bob.expect("MODE", "#room", "+n")
        try outsider.send("PRIVMSG #room :from outside again")
        try outsider.expectNumeric("404", "#room")
        try room.bob.expectNone("a message from outside a +n room") { $0.command == "PRIVMSG" }
    }

    @Test("+t: only operators set the topic (482); TOPIC shows 332/333 to joiners and queries")
    func topic() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room -t")
        try room.alice.expect("MODE", "#room", "-t")
        try room.bob.send("TOPIC #room :bob may")
        try room.carol.expect("TOPIC", "#room", "bob may")
        try room.alice.send("MODE #room +t")
        try room.alice.expect("MODE", "#room", "+t")
        try room.bob.send("TOPIC #room :bob's topic")
        try room.bob.expectNumeric("482", "#room")
        try room.alice.send("TOPIC #room :The topic, with spaces")
        for client in [room.alice, room.bob, room.carol] {
            #expect(try client.expect("TOPIC", "#room").params.last == "The topic, with spaces")
        }
        try room.carol.send("TOPIC #room")
        #expect(try room.carol.expectNumeric("332", "#room").params.last == "The topic, with spaces")
        #expect(try room.carol.expectNumeric("333", "#room").param(2)?.hasPrefix("alice") == true)
        let dave = try room.server.client("dave")
        try dave.send("JOIN #room")
        #expect(try dave.expectNumeric("332", "#room").params.last == "The topic, with spaces")
        try room.alice.send("MODE #room -t")
        try room.alice.expect("MODE", "#room", "-t")
        try room.bob.send("TOPIC #room :now anyone")
        try room.carol.expect("TOPIC", "#room", "now anyone")
    }

    @Test("a topic over TOPICLEN is refused or cut to it, never more")
    func topicLength() throws {
        let server = try ChatServer.start(["--topic-length", "20"])
        let alice = try server.client("alice")
        try alice.send("JOIN #t")
        try alice.expectNumeric("366")
        try alice.send("TOPIC #t :\(String(repeating: "x", count: 40))")
        let reply = try alice.expect("TOPIC or an error") { $0.command == "TOPIC" || $0.command.first == "4" || $0.command == "FAIL" }
        if reply.command == "TOPIC" { #expect((reply.params.last ?? "").utf8.count <= 20) }
    }

    @Test("+k: JOIN without the key or with a wrong one is 475; with it works")
    func key() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +k sesame")
        try room.bob.expect("MODE", "#room", "+k")
        let dave = try room.server.client("dave")
        try dave.send("JOIN #room")
        try dave.expectNumeric("475", "#room")
        try dave.send("JOIN #room wrong")
        try dave.expectNumeric("475", "#room")
        try dave.send("JOIN #room sesame")
        try dave.expect("JOIN", "#room")
    }

    @Test("+l: a full room is 471")
    func limit() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +l 3")
        try room.bob.expect("MODE", "#room", "+l")
        let dave = try room.server.client("dave")
        try dave.send("JOIN #room")
        try dave.expectNumeric("471", "#room")
        try room.carol.send("PART #room")
        try room.alice.expect("PART", "#room")
        try dave.send("JOIN #room")
        try dave.expect("JOIN", "#room")
    }

    @Test("+i: JOIN is 473 until an operator INVITEs (341, INVITE to the target, invite-notify to ops)")
    func inviteOnly() throws {
        let room = try roomOfThree(aliceCaps: ["invite-notify"])
        try room.alice.send("MODE #room +i")
        try room.bob.expect("MODE", "#room", "+i")
        let dave = try room.server.client("dave")
        try dave.send("JOIN #room")
        try dave.expectNumeric("473", "#room")
        try room.bob.send("INVITE dave #room")
        try room.bob.expectNumeric("482", "#room")
        try room.carol.send("MODE #room +o bob")
        try room.carol.expectNumeric("482", "#room")
        try room.alice.send("MODE #room +o bob")
        try room.bob.expect("MODE", "#room", "+o", "bob")
        try room.bob.send("INVITE dave #room")
        try room.bob.expectNumeric("341", "dave", "#room")
        let invite = try dave.expect("INVITE", "dave", "#room")
        #expect(invite.sourceNick == "bob")
        let notify = try room.alice.expect("invite-notify") { $0.command == "INVITE" }
        #expect(notify.param(0) == "dave")
        try dave.send("JOIN #room")
        try dave.expect("JOIN", "#room")
        try room.bob.send("INVITE dave #room")
        try room.bob.expectNumeric("443", "dave", "#room")
        try room.bob.send("INVITE nobody #room")
        try room.bob.expectNumeric("401", "nobody")
    }

    @Test("+m: only voiced or operator members speak; +v gives a voice, NAMES shows it")
    func moderated() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +m")
        try room.carol.expect("MODE", "#room", "+m")
        try room.bob.send("PRIVMSG #room :muted")
        try room.bob.expectNumeric("404", "#room")
        try room.alice.send("MODE #room +v bob")
        try room.carol.expect("MODE", "#room", "+v", "bob")
        try room.bob.send("PRIVMSG #room :voiced now")
        #expect(try room.carol.expect("PRIVMSG", "#room").params.last == "voiced now")
        try room.alice.send("PRIVMSG #room :op speaks")
        #expect(try room.carol.expect("PRIVMSG", "#room").params.last == "op speaks")
        #expect(Set(try names(room.carol, "#room")) == ["@alice", "+bob", "carol"])
    }

    @Test("+s: a secret room is hidden from LIST and NAMES for outsiders, visible to members")
    func secret() throws {
        let room = try roomOfThree()
        try room.alice.send("TOPIC #room :secret stuff")
        try room.alice.send("MODE #room +s")
        try room.bob.expect("MODE", "#room", "+s")
        let outsider = try room.server.client("outsider")
        try outsider.send("JOIN #visible")
        try outsider.expectNumeric("366")
        try outsider.send("LIST")
        let listed = try outsider.collect(until: "323") { $0.command == "323" }.filter { $0.command == "322" }
        #expect(listed.map { $0.param(1) } == ["#visible"])
        #expect(try names(outsider, "#room").isEmpty)
        try room.bob.send("LIST")
        let forMember = try room.bob.collect(until: "323") { $0.command == "323" }.filter { $0.command == "322" }
        #expect(Set(forMember.compactMap { $0.param(1) }) == ["#room", "#visible"])
    }

    @Test("LIST shows member count and topic")
    func list() throws {
        let room = try roomOfThree()
        try room.alice.send("TOPIC #room :hello topic")
        try room.carol.expect("TOPIC", "#room")
        try room.carol.send("LIST")
        let entries = try room.carol.collect(until: "323") { $0.command == "323" }.filter { $0.command == "322" }
        let entry = try #require(entries.first { $0.param(1) == "#room" })
        #expect(entry.param(2) == "3")
        #expect(entry.params.last?.hasSuffix("hello topic") == true)
        try room.carol.send("LIST #room")
        #expect(try room.carol.collect(until: "323") { $0.command == "323" }.filter { $0.command == "322" }.count == 1)
    }

    @Test("MODE #room shows 324 with the set modes; unknown modes are 472; non-ops cannot change modes")
    func modeQuery() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +ms")
        try room.bob.expect("MODE", "#room")
        try room.bob.send("MODE #room")
        let modes = try room.bob.expectNumeric("324", "#room")
        #expect(modes.param(2).map { Set($0).isSuperset(of: "mnst") } == true)
        try room.alice.send("MODE #room +Z")
        try room.alice.expectNumeric("472")
        try room.bob.send("MODE #room +m")
        try room.bob.expectNumeric("482", "#room")
        try room.alice.send("MODE #room +o nobody")
        try room.alice.expect("401 or 441") { $0.command == "401" || $0.command == "441" }
    }

    @Test("+o gives operator rights; -o takes them away")
    func operatorGrant() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +o bob")
        try room.carol.expect("MODE", "#room", "+o", "bob")
        try room.bob.send("MODE #room -t")
        try room.carol.expect("MODE", "#room", "-t")
        try room.alice.send("MODE #room -o bob")
        try room.carol.expect("MODE", "#room", "-o", "bob")
        try room.bob.send("MODE #room +t")
        try room.bob.expectNumeric("482", "#room")
    }

    @Test("KICK: ops remove a member with a reason everyone sees; non-ops get 482; unknown target 441")
    func kick() throws {
        let room = try roomOfThree()
        try room.bob.send("KICK #room carol :nope")
        try room.bob.expectNumeric("482", "#room")
        try room.alice.send("KICK #room carol :behave")
        for client in [room.alice, room.bob, room.carol] {
            let kick = try client.expect("KICK", "#room", "carol")
            #expect(kick.params.last == "behave")
            #expect(kick.sourceNick == "alice")
        }
        try room.carol.send("PRIVMSG #room :still here?")
        try room.carol.expect("404 or 442") { $0.command == "404" || $0.command == "442" }
        try room.alice.send("KICK #room carol")
        try room.alice.expectNumeric("441")
        #expect(Set(try names(room.bob, "#room")) == ["@alice", "bob"])
    }

    @Test("PART with a reason reaches the room; PART of a room one is not in is 442; of a missing room 403")
    func part() throws {
        let room = try roomOfThree()
        try room.carol.send("PART #room :see you")
        let part = try room.bob.expect("PART", "#room")
        #expect(part.sourceNick == "carol" && part.params.last == "see you")
        try room.carol.send("PART #room")
        try room.carol.expectNumeric("442", "#room")
        try room.carol.send("PART #nowhere")
        try room.carol.expectNumeric("403", "#nowhere")
    }

    @Test("an emptied room disappears")
    func emptiedRoom() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("JOIN #gone")
        try alice.expectNumeric("366")
        try alice.send("PART #gone")
        try alice.expect("PART", "#gone")
        try alice.send("LIST")
        #expect(try alice.collect(until: "323") { $0.command == "323" }.filter { $0.command == "322" }.isEmpty)
    }

    @Test("multi-prefix shows every prefix; userhost-in-names shows nick!user@host")
    func namesCapabilities() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +v alice")
        try room.bob.expect("MODE", "#room", "+v")
        let viewer = try room.server.client("viewer", caps: ["multi-prefix", "userhost-in-names"])
        let members = try names(viewer, "#room")
        let alice = try #require(members.first { $0.contains("alice") })
        #expect(alice.hasPrefix("@+alice!"))
        #expect(alice.contains("@") && alice.dropFirst(2).contains("@"))
        #expect(members.contains { $0.hasPrefix("bob!") })
        let plain = try names(room.carol, "#room")
        #expect(plain.contains("@alice"), "without multi-prefix only the highest prefix: \(plain)")
    }

    @Test("QUIT reason reaches room peers once, and not clients sharing no room")
    func quitReason() throws {
        let room = try roomOfThree()
        let stranger = try room.server.client("stranger")
        try room.carol.send("QUIT :off to bed")
        for peer in [room.alice, room.bob] {
            let quit = try peer.expect("QUIT") { $0.command == "QUIT" }
            #expect(quit.sourceNick == "carol")
            #expect(quit.params.last?.contains("off to bed") == true)
            try peer.expectNone("a second QUIT") { $0.command == "QUIT" }
        }
        let closing = try room.carol.expectClosed()
        #expect(closing.contains { $0.command == "ERROR" })
        try stranger.expectNone("QUIT of someone sharing no room") { $0.command == "QUIT" }
    }

    @Test("a room name over CHANNELLEN or without # is refused")
    func badRoomNames() throws {
        let server = try ChatServer.start(["--room-length", "10"])
        let alice = try server.client("alice")
        try alice.send("JOIN #\(String(repeating: "r", count: 20))")
        try alice.expect("an error for a long room name") { ["403", "476", "479"].contains($0.command) }
        try alice.send("JOIN noHash")
        try alice.expect("an error for a room without #") { ["403", "476", "479"].contains($0.command) }
    }
    @Test("room names are case-insensitive: #Room and #room are one room, shown as created")
    func roomCaseInsensitive() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("JOIN #Room")
        try alice.expectNumeric("366")
        try bob.send("JOIN #ROOM")
        try bob.expectNumeric("366")
        try bob.send("PRIVMSG #room :one room")
        let got = try alice.expect("PRIVMSG") { $0.command == "PRIVMSG" }
        #expect(got.params.last == "one room")
        #expect(Set(try names(bob, "#room")).contains("@alice"))
    }

    @Test("echo-message echoes room messages to the sender with the same msgid the members get")
    func roomEcho() throws {
        let room = try roomOfThree(aliceCaps: ["echo-message", "message-tags"])
        try room.alice.send("PRIVMSG #room :echoed")
        let echo = try room.alice.expect("PRIVMSG", "#room")
        #expect(echo.params.last == "echoed" && echo.sourceNick == "alice")
        #expect(echo.tag("msgid") != nil)
        try room.bob.expect("PRIVMSG", "#room", "echoed")
    }

    @Test("TOPIC with an empty text clears it; the query then says 331")
    func clearTopic() throws {
        let room = try roomOfThree()
        try room.alice.send("TOPIC #room :something")
        try room.bob.expect("TOPIC", "#room", "something")
        try room.alice.send("TOPIC #room :")
        try room.bob.expect("TOPIC", "#room", "")
        try room.carol.send("TOPIC #room")
        try room.carol.expectNumeric("331", "#room")
    }

    @Test("--max-rooms: joining one room too many is 405")
    func tooManyRooms() throws {
        let server = try ChatServer.start(["--max-rooms", "2"])
        let alice = try server.client("alice")
        try alice.send("JOIN #a,#b")
        try alice.expect("JOIN", "#b")
        try alice.send("JOIN #c")
        try alice.expectNumeric("405", "#c")
    }

    @Test("TAGMSG to a room reaches message-tags members only")
    func roomTagmsg() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["message-tags"])
        let bob = try server.client("bob", caps: ["message-tags"])
        let plain = try server.client("plain")
        for client in [alice, bob, plain] {
            try client.send("JOIN #t")
            try client.expectNumeric("366")
        }
        try plain.sync()
        try alice.send("@+typing=active TAGMSG #t")
        #expect(try bob.expect("TAGMSG", "#t").tag("+typing") == "active")
        try plain.expectNone("TAGMSG without message-tags") { $0.command == "TAGMSG" }
    }
    @Test("+b: a banned mask cannot join (474) or speak; MODE #room +b lists bans with 367/368; -b lifts it")
    func bans() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +b carol!*@*")
        try room.bob.expect("MODE", "#room", "+b")
        try room.carol.send("PRIVMSG #room :can I speak?")
        try room.carol.expectNumeric("404", "#room")
        try room.alice.send("MODE #room +b")
        let list = try room.alice.collect(until: "368") { $0.command == "368" }.filter { $0.command == "367" }
        #expect(list.map { $0.param(2) } == ["carol!*@*"])
        try room.carol.send("PART #room")
        try room.bob.expect("PART", "#room")
        try room.carol.send("JOIN #room")
        try room.carol.expectNumeric("474", "#room")
        try room.alice.send("MODE #room -b carol!*@*")
        try room.bob.expect("MODE", "#room", "-b")
        try room.carol.send("JOIN #room")
        try room.carol.expect("JOIN", "#room")
    }

    @Test("a peer sharing two rooms sees one QUIT and one NICK, not one per room")
    func oneQuitPerPeer() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        for client in [alice, bob] {
            try client.send("JOIN #one,#two")
            try client.expect("JOIN", "#two")
            try client.expectNumeric("366", "#two")
        }
        try alice.sync()
        try bob.send("NICK robert")
        try bob.expect("NICK") { $0.command == "NICK" }
        try bob.send("QUIT :leaving both")
        try bob.expectClosed()
        let seen = try alice.collect(until: "QUIT") { $0.command == "QUIT" }
        #expect(seen.filter { $0.command == "NICK" }.count == 1)
        try alice.expectNone("a second QUIT") { $0.command == "QUIT" || $0.command == "NICK" }
    }

    @Test("mode arguments are checked: +k and +l without an argument, +l with garbage")
    func modeArguments() throws {
        let room = try roomOfThree()
        try room.alice.send("MODE #room +l many")
        try room.alice.send("MODE #room +k")
        try room.alice.send("MODE #room +l")
        try room.alice.sync()
        try room.bob.send("MODE #room")
        let modes = try room.bob.expectNumeric("324", "#room")
        #expect(modes.param(2).map { !$0.contains("l") && !$0.contains("k") } == true, "\(modes.wireLine)")
    }
}
