import Testing
import Shared

@Suite("Roster capability (730/731)")
struct RosterTests {
    private let roster = [IRCCapability.roster]

    @Test("after registration a roster client gets the full online list, itself included")
    func fullListAfterRegistration() throws {
        let server = try ChatServer.start()
        _ = try server.client("alice")
        _ = try server.client("bob")
        let carol = try TestClient(port: server.port, label: "carol")
        let burst = try carol.register(nick: "carol", caps: roster)
        var online = Set(burst.filter { $0.command == "730" }.flatMap(\.targetNicks))
        if online.isEmpty {
            online = Set(try carol.expect("730") { $0.command == "730" }.targetNicks)
        }
        // The list may be split; collect until all three are seen or fail at the deadline.
        while !online.isSuperset(of: ["alice", "bob", "carol"]) {
            online.formUnion(try carol.expect("more 730") { $0.command == "730" }.targetNicks)
        }
        #expect(online == ["alice", "bob", "carol"])
    }

    @Test("entries in the full list are nick!user@host")
    func entriesAreMasks() throws {
        let server = try ChatServer.start()
        _ = try server.client("alice")
        let bob = try TestClient(port: server.port, label: "bob")
        try bob.register(nick: "bob", caps: roster)
        let list = try bob.expect("730") { $0.command == "730" && $0.targetNicks.contains("alice") }
        let entry = (list.params.last ?? "").split(separator: ",").first { $0.hasPrefix("alice!") }
        #expect(entry?.contains("@") == true, "expected alice!user@host in \(list.wireLine)")
    }

    @Test("a long roster is chunked into lines that fit 512 bytes, listing everyone exactly once")
    func chunking() throws {
        let server = try ChatServer.start()
        let nicks = (0..<24).map { "user\($0)_" + String(repeating: "x", count: 18) }
        var others: [TestClient] = []
        for nick in nicks { others.append(try server.client(nick)) }
        let watcher = try TestClient(port: server.port, label: "watcher")
        let burst = try watcher.register(nick: "watcher", caps: roster)
        var lines = burst.filter { $0.command == "730" }
        lines += try watcher.sync().filter { $0.command == "730" }
        let listed = lines.flatMap(\.targetNicks)
        #expect(lines.count >= 2, "24 long masks cannot fit one line")
        #expect(lines.allSatisfy { $0.wireBytes.count <= 512 })
        #expect(Set(listed) == Set(nicks + ["watcher"]))
        #expect(listed.count == nicks.count + 1, "someone was listed twice")
        _ = others
    }

    @Test("arrival, nick change and quit reach roster clients as 730 / 731+730 / 731")
    func deltas() throws {
        let server = try ChatServer.start()
        let watcher = try TestClient(port: server.port, label: "watcher")
        try watcher.register(nick: "watcher", caps: roster)
        try watcher.sync()

        let dave = try server.client("dave")
        let arrival = try watcher.expect("730 for dave") { $0.command == "730" && $0.targetNicks == ["dave"] }
        #expect(arrival.params.last?.hasPrefix("dave!") == true)

        try dave.send("NICK david")
        try dave.expect("NICK", within: 5)
        let gone = try watcher.expect("731 for dave") { $0.command == "731" }
        #expect(gone.targetNicks == ["dave"])
        let back = try watcher.expect("730 for david") { $0.command == "730" }
        #expect(back.targetNicks == ["david"])

        try dave.send("QUIT :bye")
        let left = try watcher.expect("731 for david") { $0.command == "731" }
        #expect(left.targetNicks == ["david"])
    }

    @Test("a dropped connection (no QUIT) is a departure too")
    func droppedConnection() throws {
        let server = try ChatServer.start()
        let watcher = try TestClient(port: server.port, label: "watcher")
        try watcher.register(nick: "watcher", caps: roster)
        let erin = try server.client("erin")
        try watcher.expect("730 for erin") { $0.command == "730" && $0.targetNicks == ["erin"] }
        erin.disconnect()
        try watcher.expect("731 for erin") { $0.command == "731" && $0.targetNicks == ["erin"] }
    }

    @Test("clients without the capability see no 730/731 at all")
    func plainClientsSeeNone() throws {
        let server = try ChatServer.start()
        let plain = try server.client("plain")
        let watcher = try TestClient(port: server.port, label: "watcher")
        try watcher.register(nick: "watcher", caps: roster)
        let frank = try server.client("frank")
        try watcher.expect("730 for frank") { $0.command == "730" && $0.targetNicks == ["frank"] }
        try frank.send("NICK franky")
        try watcher.expect("730 for franky") { $0.command == "730" && $0.targetNicks == ["franky"] }
        try frank.send("QUIT")
        try watcher.expect("731 for franky") { $0.command == "731" && $0.targetNicks == ["franky"] }
        try plain.expectNone("roster numeric on a plain client") { $0.command == "730" || $0.command == "731" }
    }

    @Test("enabling the capability after registration sends the full list then")
    func lateEnable() throws {
        let server = try ChatServer.start()
        _ = try server.client("alice")
        let late = try server.client("late")
        try late.send("CAP REQ :\(IRCCapability.roster)")
        try late.expect("CAP", "late", "ACK")
        let list = try late.expect("730") { $0.command == "730" }
        #expect(Set(list.targetNicks).isSuperset(of: ["alice"]))
    }
    @Test("a connection that leaves before registering never shows up in the roster, neither arriving nor leaving")
    func unregisteredNeverListed() throws {
        let server = try ChatServer.start()
        let watcher = try TestClient(port: server.port, label: "watcher")
        try watcher.register(nick: "watcher", caps: roster)
        try watcher.sync()
        let halfway = try server.connection("halfway")
        try halfway.send("NICK halfway")
        try halfway.send("QUIT :changed my mind")
        try halfway.expectClosed()
        let dropped = try server.connection("dropped")
        try dropped.send("NICK dropped")
        try dropped.sync()
        dropped.disconnect()
        let later = try server.client("later")
        let seen = try watcher.collect(until: "730 later") { $0.command == "730" && $0.targetNicks == ["later"] }
        let strays = seen.filter { ($0.command == "730" || $0.command == "731") && !$0.targetNicks.contains("later") }
        #expect(strays.isEmpty, "roster lines for unregistered connections: \(strays.map(\.wireLine))")
        _ = later
    }
    @Test("a connection reset (RST) is a departure: 731 to roster clients, QUIT to room peers, nick free again")
    func connectionReset() throws {
        let server = try ChatServer.start()
        let watcher = try TestClient(port: server.port, label: "watcher")
        try watcher.register(nick: "watcher", caps: roster)
        try watcher.send("JOIN #r")
        try watcher.expectNumeric("366", "#r")
        let crasher = try server.client("crasher")
        try crasher.send("JOIN #r")
        try crasher.expectNumeric("366", "#r")
        try watcher.expect("JOIN", "#r")
        crasher.reset()
        // QUIT and 731 may come in either order.
        var sawQuit = false
        var sawDeparture = false
        while !(sawQuit && sawDeparture) {
            let message = try watcher.expect("QUIT and 731 for crasher") { $0.command == "QUIT" || $0.command == "731" }
            if message.command == "QUIT" { sawQuit = message.sourceNick == "crasher" || sawQuit }
            if message.command == "731" { sawDeparture = message.targetNicks == ["crasher"] || sawDeparture }
        }
        _ = try server.client("crasher")
    }
}
