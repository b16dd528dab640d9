import Testing
import Shared

@Suite("MONITOR")
struct MonitorTests {
    @Test("MONITOR + answers 730 for online and 731 for offline targets")
    func addReportsStatus() throws {
        let server = try ChatServer.start()
        _ = try server.client("bob")
        let alice = try server.client("alice")
        try alice.send("MONITOR + bob,carol")
        let online = try alice.expect("730") { $0.command == "730" }
        #expect(online.targetNicks == ["bob"])
        let offline = try alice.expect("731") { $0.command == "731" }
        #expect(offline.targetNicks == ["carol"])
    }

    @Test("monitored nicks signing on, changing nick and leaving are announced; others are not")
    func notifications() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("MONITOR + carol")
        try alice.expect("731 carol") { $0.command == "731" }
        let carol = try server.client("carol")
        try alice.expect("730 carol") { $0.command == "730" && $0.targetNicks == ["carol"] }
        _ = try server.client("unwatched")
        let afterUnwatched = try alice.sync()
        #expect(!afterUnwatched.contains { $0.targetNicks.contains("unwatched") }, "a notice about an unmonitored nick")
        try carol.send("NICK carla")
        try alice.expect("731 carol on nick change") { $0.command == "731" && $0.targetNicks == ["carol"] }
        try carol.send("NICK carol")
        try alice.expect("730 carol back") { $0.command == "730" && $0.targetNicks == ["carol"] }
        try carol.send("QUIT :gone")
        try alice.expect("731 carol on quit") { $0.command == "731" && $0.targetNicks == ["carol"] }
    }

    @Test("MONITOR - removes, C clears, L lists with 732/733, S reports status")
    func removeClearListStatus() throws {
        let server = try ChatServer.start()
        _ = try server.client("bob")
        let alice = try server.client("alice")
        try alice.send("MONITOR + bob,carol,dave")
        try alice.sync()

        try alice.send("MONITOR L")
        let listed = try alice.collect(until: "733") { $0.command == "733" }
        #expect(Set(listed.filter { $0.command == "732" }.flatMap(\.targetNicks)).map { $0.lowercased() }.sorted() == ["bob", "carol", "dave"])

        try alice.send("MONITOR - dave")
        try alice.send("MONITOR L")
        let afterRemove = try alice.collect(until: "733") { $0.command == "733" }
        #expect(Set(afterRemove.filter { $0.command == "732" }.flatMap(\.targetNicks)).map { $0.lowercased() }.sorted() == ["bob", "carol"])

        try alice.send("MONITOR S")
        let status = try alice.sync()
        #expect(status.filter { $0.command == "730" }.flatMap(\.targetNicks) == ["bob"])
        #expect(status.filter { $0.command == "731" }.flatMap(\.targetNicks).map { $0.lowercased() } == ["carol"])

        try alice.send("MONITOR C")
        try alice.send("MONITOR L")
        let empty = try alice.collect(until: "733") { $0.command == "733" }
        #expect(!empty.contains { $0.command == "732" })
        _ = try server.client("carol")
        try alice.expectNone("730 after MONITOR C") { $0.command == "730" }
    }

    @Test("going over the MONITOR limit gets 734 and the list stays within it")
    func limit() throws {
        let server = try ChatServer.start(["--monitor-limit", "3"])
        let alice = try server.client("alice")
        try alice.send("MONITOR + a1,a2,a3,a4,a5")
        let full = try alice.expect("734") { $0.command == "734" }
        #expect(full.param(1) == "3")
        try alice.send("MONITOR L")
        let listed = try alice.collect(until: "733") { $0.command == "733" }.filter { $0.command == "732" }.flatMap(\.targetNicks)
        #expect(listed.count <= 3)
    }

    @Test("MONITOR without a subcommand is 461; an unknown subcommand is refused")
    func badSubcommand() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("MONITOR")
        try alice.expectNumeric("461")
        try alice.send("MONITOR X bob")
        try alice.expect("an error for MONITOR X") { ["461", "421", "FAIL", "NOTICE"].contains($0.command) || $0.command.hasPrefix("4") }
    }
}
