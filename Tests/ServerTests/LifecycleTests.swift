import Foundation
import Glibc
import Testing
import Shared

@Suite("Lifecycle and command line")
struct LifecycleTests {
    @Test("SIGTERM and SIGINT: every client gets ERROR, then the server exits 0", arguments: [SIGTERM, SIGINT])
    func signalShutdown(_ signal: Int32) throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob", caps: ["server-time"])
        let unregistered = try server.connection("unregistered")
        try alice.send("JOIN #room")
        try alice.expectNumeric("366")
        server.send(signal: signal)
        for client in [alice, bob, unregistered] {
            let last = try client.expectClosed(within: 5)
            #expect(last.contains { $0.command == "ERROR" }, "\(client.label) got no ERROR before the close")
        }
        #expect(server.waitForExit(within: 5) == 0)
    }

    @Test("a flag that does not parse exits 64 with a usage message", arguments: [
        ["--no-such-flag"], ["--max-clients", "many"], ["--listen", "nonsense"], ["--sendq", "10"], ["--flood-rate", "-1"],
        ["--listen", "127.0.0.1:99999"], ["--log-level", "chatty"], ["--motd", "/nonexistent/motd.txt"], ["--max-clients", "0"],
        ["--registration-timeout", "-5"],
    ])
    func badFlag(_ arguments: [String]) throws {
        let (status, output) = try ChatServer.run(arguments)
        #expect(status == 64, "chat-server \(arguments.joined(separator: " ")) exited \(status): \(output)")
        #expect(output.localizedCaseInsensitiveContains("usage") || output.localizedCaseInsensitiveContains("error"), "\(output)")
    }

    @Test("--help lists the flags and exits 0")
    func help() throws {
        let (status, output) = try ChatServer.run(["--help"])
        #expect(status == 0)
        for flag in ["--listen", "--name", "--network", "--motd", "--password", "--max-clients", "--max-clients-per-ip", "--recvq",
                     "--sendq", "--flood-rate", "--flood-burst", "--nick-length", "--room-length", "--topic-length", "--log-level"] {
            #expect(output.contains(flag), "--help does not mention \(flag)")
        }
    }

    @Test("IPv6 loopback and IPv4 listeners side by side")
    func ipv6() throws {
        let server = try ChatServer.start(["--listen", "[::1]:0"])
        let v6Port = try #require(server.output.waitForLine(within: 5) { line -> UInt16? in
            line.contains("listening on [::1]:") ? ChatServer.listeningPort(in: line) : nil
        }, "no IPv6 listening line in: \(server.output.text)")
        let v4 = try server.client("four")
        let v6 = try TestClient(port: v6Port, host: "::1", label: "six")
        try v6.register(nick: "six")
        try v6.send("PRIVMSG four :over v6")
        #expect(try v4.expect("PRIVMSG", "four").params.last == "over v6")
    }

    @Test("a port already in use is a clear start-up error, not a hang")
    func portInUse() throws {
        let first = try ChatServer.start()
        let (status, output) = try ChatServer.run(["--listen", "127.0.0.1:\(first.port)", "--db", ":memory:"], within: 10)
        #expect(status != 0)
        #expect(output.localizedCaseInsensitiveContains("in use") || output.localizedCaseInsensitiveContains("bind"), "\(output)")
    }

    @Test("no per-message log lines at the default log level")
    func quietLogs() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        for index in 0..<20 { try alice.send("PRIVMSG bob :secret-\(index)") }
        try bob.expect("PRIVMSG", "bob")
        try alice.sync()
        #expect(!server.output.text.contains("secret-"), "message text in the log:\n\(server.output.text)")
        #expect(server.output.text.split(separator: "\n").count < 10, "chatty log:\n\(server.output.text)")
    }
    @Test("SIGTERM with a client that never reads still exits 0 promptly, and the others get ERROR")
    func shutdownWithStuckClient() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let stuck = try TestClient(port: server.port, label: "stuck", receiveBuffer: 4096)
        try stuck.register(nick: "stuck")
        let talker = try server.client("talker")
        let alice = try server.client("alice")
        let text = String(repeating: "s", count: 400)
        for index in 0..<300 { try talker.send("PRIVMSG stuck :\(index) \(text)") }
        try talker.sync()
        server.send(signal: SIGTERM)
        let last = try alice.expectClosed(within: 5)
        #expect(last.contains { $0.command == "ERROR" })
        #expect(server.waitForExit(within: 6) == 0)
    }

    @Test("two hundred connections at once are all served")
    func manyConnections() throws {
        let server = try ChatServer.start(["--max-clients-per-ip", "300"])
        var clients: [TestClient] = []
        for index in 0..<200 {
            let client = try server.connection("c\(index)")
            try client.send("NICK c\(index)")
            try client.send("USER c 0 * :c")
            clients.append(client)
        }
        for client in clients { try client.expectNumeric("001", within: 10) }
        let last = try #require(clients.last)
        // The welcome burst carries a 251 of its own, counted when this client registered, which
        // need not be last: an earlier connection whose USER was still in flight may register after
        // it. Everything up to the PONG is that burst, so the next 251 answers the LUSERS below.
        try last.sync(within: 10)
        try last.send("LUSERS")
        let count = try last.expectNumeric(IRCNumeric.luserClient)
        #expect(count.params.last == "There are 200 users and 0 invisible on 1 servers", "\(count.wireLine)")
    }
}
