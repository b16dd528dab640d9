import Testing
import Shared

/// The harness checked against a reference server (Debian's ngircd), so a failure in the chat-server
/// suites points at chat-server, not at the harness.
@Suite("Harness against ngircd", .enabled(if: Ngircd.isInstalled, "needs Debian's ngircd"))
struct HarnessAgainstNgircdTests {
    @Test("registers, reads the burst, and syncs with PING/PONG")
    func registers() throws {
        let server = try Ngircd.start()
        let alice = try TestClient(port: server.port, label: "alice")
        let burst = try alice.register(nick: "alice")
        #expect(burst.first(where: { $0.command == "001" })?.param(0) == "alice")
        #expect(burst.contains { $0.command == "005" })
        #expect(burst.last?.command == "376" || burst.last?.command == "422")
        try alice.sync()
    }

    @Test("negotiates capabilities and exchanges a DM both ways")
    func directMessages() throws {
        let server = try Ngircd.start()
        let alice = try TestClient(port: server.port, label: "alice")
        let bob = try TestClient(port: server.port, label: "bob")
        try alice.register(nick: "alice", caps: ["multi-prefix"])
        try bob.register(nick: "bob")
        try alice.send("PRIVMSG bob :hello bob")
        let received = try bob.expect("PRIVMSG", "bob")
        #expect(received.params.last == "hello bob")
        #expect(received.sourceNick == "alice")
        try bob.send("PRIVMSG alice :hi alice")
        #expect(try alice.expect("PRIVMSG", "alice").params.last == "hi alice")
    }

    @Test("a missing reply times out with the transcript instead of hanging")
    func timeoutReports() throws {
        let server = try Ngircd.start()
        let alice = try TestClient(port: server.port, label: "alice")
        try alice.register(nick: "alice")
        let error = #expect(throws: HarnessError.self) {
            try alice.expect("a reply that never comes", within: 0.3) { $0.command == "NEVER" }
        }
        #expect(error?.description.contains("alice -> USER alice") == true)
    }

    @Test("nick in use is reported and registration fails cleanly")
    func nickInUse() throws {
        let server = try Ngircd.start()
        let first = try TestClient(port: server.port, label: "first")
        try first.register(nick: "taken")
        let second = try TestClient(port: server.port, label: "second")
        #expect(throws: HarnessError.self) { try second.register(nick: "taken") }
    }
}
