import Foundation
import Testing
import Shared

@Suite("Limits: SendQ, flood control, connection caps")
struct LimitsTests {
    @Test("a client that never reads is cut at its SendQ with ERROR :SendQ exceeded while others keep chatting")
    func sendQ() throws {
        let server = try ChatServer.start(["--sendq", "8192", "--flood-rate", "0"])
        let sink = try TestClient(port: server.port, label: "sink", receiveBuffer: 4096)
        try sink.register(nick: "sink")
        let talker = try server.client("talker")
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let watcher = try server.client("watcher")
        try watcher.send("MONITOR + sink")
        try watcher.expect("730 sink") { $0.command == "730" }

        let text = String(repeating: "x", count: 400)
        var sent = 0
        var sinkGone = false
        // Bounded: 20 000 lines of about 430 bytes is far beyond any kernel buffer plus an 8 KiB SendQ.
        while !sinkGone && sent < 20_000 {
            for _ in 0..<200 { try talker.send("PRIVMSG sink :\(sent) \(text)"); sent += 1 }
            // Others are served while the sink's queue is full.
            try alice.send("PRIVMSG bob :still here \(sent)")
            #expect(try bob.expect("PRIVMSG", "bob", within: 5).params.last == "still here \(sent)")
            while let message = try watcher.nextMessage(within: 0) {
                if message.command == "731" && message.targetNicks == ["sink"] { sinkGone = true }
            }
        }
        #expect(sinkGone, "sink was never disconnected after \(sent) messages")
        if !sinkGone { try watcher.expect("731 sink", within: 5) { $0.command == "731" } }

        // What the sink finally reads: whole lines, then the ERROR, then the close.
        let received = try sink.expectClosed(within: 20)
        let error = try #require(received.last { $0.command == "ERROR" }, "no ERROR line before the close")
        #expect(error.params.last?.contains("SendQ exceeded") == true)
        #expect(received.last?.command == "ERROR", "ERROR must be the last line")
        // Every message that got through is whole and in order: the cut never leaves half a line.
        let numbers = received.filter { $0.command == "PRIVMSG" }.map { message -> Int in
            let parts = (message.params.last ?? "").split(separator: " ")
            return parts.count == 2 && parts[1] == Substring(text) ? Int(parts[0]) ?? -1 : -1
        }
        #expect(!numbers.contains(-1), "a relayed line arrived damaged")
        #expect(numbers == numbers.sorted())

        try bob.send("PRIVMSG alice :after the cut")
        #expect(try alice.expect("PRIVMSG", "alice").params.last == "after the cut")
    }

    @Test("a client that reads is not cut when one burst to it is bigger than its SendQ: the kernel buffer takes it")
    func burstToReadingClient() throws {
        let server = try ChatServer.start(["--sendq", "8192", "--flood-rate", "0"])
        let reader = try server.client("reader")
        let talker = try server.client("talker")
        let text = String(repeating: "b", count: 400)
        // 40 lines, about 17 KiB, written at once: the server reads them in one turn of its loop.
        var burst: [UInt8] = []
        for index in 0..<40 { burst += Array("PRIVMSG reader :\(index) \(text)\r\n".utf8) }
        try talker.sendRaw(burst)
        try talker.sync()
        var received: [String] = []
        while received.count < 40 {
            let message = try reader.expect("PRIVMSG \(received.count)", within: 5) { $0.command == "PRIVMSG" || $0.command == "ERROR" }
            try #require(message.command == "PRIVMSG", "the reading client was cut: \(message.wireLine)")
            received.append(String((message.params.last ?? "").prefix { $0 != " " }))
        }
        #expect(received == (0..<40).map(String.init))
    }

    @Test("flood control holds lines beyond the burst and releases them at the rate, in order, none lost")
    func floodThrottles() throws {
        let server = try ChatServer.start(["--flood-rate", "4", "--flood-burst", "4"])
        let flooder = try server.client("flooder")
        let calm = try server.client("calm")
        // Registration used part of the burst; wait for it to refill so the measurement starts from a full bucket.
        try flooder.sync()
        let started = Date()
        for index in 0..<16 { try flooder.send("PING n\(index)") }
        // Another client is not slowed down by the flooder.
        let calmStart = Date()
        try calm.sync()
        // The flooder's lines take ~3 s to be let through; a calm client's answer is not behind them.
        #expect(Date().timeIntervalSince(calmStart) < 2.0)
        var tokens: [String] = []
        while tokens.count < 16 {
            let pong = try flooder.expect("PONG", within: 10) { $0.command == "PONG" }
            tokens.append(pong.params.last ?? "")
        }
        let elapsed = Date().timeIntervalSince(started)
        #expect(tokens == (0..<16).map { "n\($0)" })
        // 16 lines, at most 4+1 from the bucket at once, the rest at 4/s: at least ~2.5 s.
        #expect(elapsed >= 2.5, "16 lines answered in \(elapsed)s: no throttling")
        #expect(elapsed < 8, "throttled far below the configured rate: \(elapsed)s")
    }

    @Test("a client that floods past its receive buffer is disconnected for Excess Flood")
    func excessFlood() throws {
        let server = try ChatServer.start(["--flood-rate", "1", "--flood-burst", "1", "--recvq", "1024"])
        let flooder = try server.client("flooder")
        let other = try server.client("other")
        let line = "PRIVMSG other :" + String(repeating: "f", count: 100) + "\r\n"
        // One write: sent line by line, the server may cut the connection while the test still writes (EPIPE).
        try flooder.sendRaw(Array(String(repeating: line, count: 40).utf8))
        let last = try flooder.expectClosed(within: 10)
        #expect(last.contains { $0.command == "ERROR" && ($0.params.last ?? "").localizedCaseInsensitiveContains("flood") })
        try other.sync()
    }

    @Test("--flood-rate 0 turns flood control off")
    func floodOff() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let client = try server.client("fast")
        let started = Date()
        for index in 0..<200 { try client.send("PING f\(index)") }
        _ = try client.collect(until: "PONG f199", within: 10) { $0.command == "PONG" && $0.params.last == "f199" }
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test("--max-clients: one connection too many gets ERROR and is closed; a freed slot is reusable")
    func maxClients() throws {
        let server = try ChatServer.start(["--max-clients", "2"])
        let first = try server.client("first")
        _ = try server.client("second")
        let third = try server.connection("third")
        let refused = try third.expectClosed()
        #expect(refused.contains { $0.command == "ERROR" })
        try first.send("QUIT")
        try first.expectClosed()
        let fourth = try server.connection("fourth")
        try fourth.register(nick: "fourth")
    }

    @Test("--max-clients-per-ip counts per address: a third from 127.0.0.1 is refused, 127.0.0.2 still gets in")
    func maxClientsPerIP() throws {
        let server = try ChatServer.start(["--max-clients-per-ip", "2"])
        _ = try server.client("one")
        _ = try server.client("two")
        let three = try server.connection("three")
        let refused = try three.expectClosed()
        #expect(refused.contains { $0.command == "ERROR" })
        let elsewhere = try TestClient(port: server.port, label: "elsewhere", sourceAddress: "127.0.0.2")
        try elsewhere.register(nick: "elsewhere")
    }

    @Test("--nick-length is enforced: longer nicks get 432")
    func nickLength() throws {
        let server = try ChatServer.start(["--nick-length", "9"])
        let client = try server.connection("c")
        try client.send("NICK abcdefghij")
        try client.expect("432") { $0.command == "432" }
        try client.register(nick: "abcdefghi")
    }
}
