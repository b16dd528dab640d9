import Testing
import Shared

@Suite("Queries: WHOIS, WHO, ISON, USERHOST, LUSERS, NICK, SETNAME")
struct QueryTests {
    @Test("WHOIS shows user, server, rooms and ends with 318")
    func whois() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let connecting = IRCTime.nowMilliseconds() / 1000
        let bob = try server.client("bob")
        try bob.send("JOIN #room")
        try bob.expectNumeric("366")
        try alice.send("WHOIS bob")
        let replies = try alice.collect(until: "318") { $0.command == "318" }
        let answered = IRCTime.nowMilliseconds() / 1000
        // 317: seconds idle, then the signon time, in seconds since 1970, from bob's connect.
        let idle = try #require(replies.first { $0.command == "317" })
        let signon = try #require(idle.param(3).flatMap { Int64($0) }, "\(idle.wireLine)")
        #expect((connecting...answered).contains(signon), "signon \(signon) outside \(connecting)...\(answered)")
        let user = try #require(replies.first { $0.command == "311" })
        #expect(user.param(1) == "bob")
        #expect(user.params.last == "Test bob")
        #expect(replies.contains { $0.command == "312" })
        #expect(replies.first { $0.command == "319" }?.params.last?.contains("#room") == true)
    }

    @Test("WHO #room lists members with 352 and ends with 315; WHOX answers 354")
    func who() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        for client in [alice, bob] {
            try client.send("JOIN #room")
            try client.expectNumeric("366")
        }
        try alice.send("WHO #room")
        let replies = try alice.collect(until: "315") { $0.command == "315" }
        #expect(Set(replies.filter { $0.command == "352" }.compactMap { $0.param(5) }) == ["alice", "bob"])
        try alice.send("WHO #room %tnf,42")
        let whox = try alice.collect(until: "315") { $0.command == "315" }.filter { $0.command == "354" }
        #expect(whox.count == 2)
        #expect(whox.allSatisfy { $0.param(1) == "42" })
    }

    @Test("ISON and USERHOST report who is online")
    func isonUserhost() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        _ = try server.client("bob")
        try alice.send("ISON bob ghost alice")
        let ison = try alice.expectNumeric("303")
        #expect(Set((ison.params.last ?? "").split(separator: " ").map(String.init)) == ["bob", "alice"])
        try alice.send("USERHOST bob ghost")
        let userhost = try alice.expectNumeric("302")
        #expect(userhost.params.last?.hasPrefix("bob=") == true)
        #expect(userhost.params.last?.contains("ghost") == false)
    }

    @Test("LUSERS counts users")
    func lusers() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        _ = try server.client("bob")
        try alice.send("LUSERS")
        let replies = try alice.collect(until: "255 or 266") { $0.command == "266" }
        let client = try #require(replies.first { $0.command == "251" })
        #expect(client.params.last?.contains("2") == true)
    }

    @Test("NICK change is seen by the user and by room peers; the old nick becomes free")
    func nickChange() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        for client in [alice, bob] {
            try client.send("JOIN #room")
            try client.expectNumeric("366")
        }
        try alice.send("NICK alicia")
        let own = try alice.expect("NICK") { $0.command == "NICK" }
        #expect(own.sourceNick == "alice" && own.params.last == "alicia")
        let seen = try bob.expect("NICK") { $0.command == "NICK" }
        #expect(seen.sourceNick == "alice" && seen.params.last == "alicia")
        try bob.send("PRIVMSG alicia :new name")
        #expect(try alice.expect("PRIVMSG", "alicia").params.last == "new name")
        let newcomer = try server.connection("newcomer")
        try newcomer.register(nick: "alice")
        try bob.send("NICK alicia")
        try bob.expect("433") { $0.command == "433" }
    }

    @Test("SETNAME changes the realname and tells setname peers")
    func setname() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice", caps: ["setname"])
        let bob = try server.client("bob", caps: ["setname"])
        for client in [alice, bob] {
            try client.send("JOIN #room")
            try client.expectNumeric("366")
        }
        try alice.send("SETNAME :Alice Liddell")
        #expect(try bob.expect("SETNAME") { $0.command == "SETNAME" }.params.last == "Alice Liddell")
        try bob.send("WHOIS alice")
        #expect(try bob.expectNumeric("311", "alice").params.last == "Alice Liddell")
    }
}
