import Testing
import Shared

/// Every line the server sends stays within 512 bytes outside its tags (RFC 1459 §2.3, Modern IRC
/// "Messages"), by splitting lists over several lines and refusing what cannot be split.
@Suite("Line length of server output")
struct LineLengthTests {
    /// The non-tag part of a received line, with CR LF, in bytes.
    private func bodyLength(_ raw: [UInt8]) -> Int {
        guard raw.first == UInt8(ascii: "@"), let space = raw.firstIndex(of: UInt8(ascii: " ")) else { return raw.count + 2 }
        return raw.count - space - 1 + 2
    }

    private func longestBody(_ client: TestClient) -> Int {
        client.rawLines.map(bodyLength).max() ?? 0
    }

    @Test("NAMES of a big room is split into 353 lines that fit, listing everyone once (also with userhost-in-names)")
    func namesChunking() throws {
        let server = try ChatServer.start()
        let nicks = (0..<30).map { "member\($0)_" + String(repeating: "n", count: 20) }
        for nick in nicks {
            let client = try server.client(nick)
            try client.send("JOIN #big")
            try client.expectNumeric("366", "#big")
        }
        for caps in [[], ["userhost-in-names", "multi-prefix"]] {
            let viewer = try server.client("viewer\(caps.count)", caps: caps)
            try viewer.send("NAMES #big")
            let lines = try viewer.collect(until: "366") { $0.command == "366" }.filter { $0.command == "353" }
            let listed = lines.flatMap { ($0.params.last ?? "").split(separator: " ") }
                .map { String($0.drop { "@+".contains($0) }.split(separator: "!")[0]) }
            #expect(lines.count >= 2)
            #expect(listed.sorted() == nicks.sorted())
            #expect(longestBody(viewer) <= 512, "a line of \(longestBody(viewer)) bytes")
        }
    }

    @Test("MONITOR replies for many nicks are split to fit")
    func monitorChunking() throws {
        let server = try ChatServer.start(["--monitor-limit", "100"])
        let alice = try server.client("alice")
        let targets = (0..<90).map { "target\($0)_" + String(repeating: "m", count: 15) }
        for start in stride(from: 0, to: targets.count, by: 15) {
            try alice.send("MONITOR + " + targets[start..<min(start + 15, targets.count)].joined(separator: ","))
        }
        try alice.send("MONITOR L")
        let listed = try alice.collect(until: "733") { $0.command == "733" }.filter { $0.command == "732" }.flatMap(\.targetNicks)
        #expect(Set(listed.map { $0.lowercased() }) == Set(targets.map { $0.lowercased() }))
        try alice.send("MONITOR S")
        try alice.sync()
        #expect(longestBody(alice) <= 512, "a line of \(longestBody(alice)) bytes")
    }

    @Test("WHOIS of someone in many rooms splits 319 to fit")
    func whoisChannels() throws {
        let server = try ChatServer.start()
        let busy = try server.client("busy")
        let rooms = (0..<40).map { "#room\($0)_" + String(repeating: "r", count: 12) }
        for chunk in stride(from: 0, to: rooms.count, by: 10) {
            try busy.send("JOIN " + rooms[chunk..<min(chunk + 10, rooms.count)].joined(separator: ","))
        }
        try busy.sync()
        let asker = try server.client("asker")
        try asker.send("WHOIS busy")
        let replies = try asker.collect(until: "318") { $0.command == "318" }
        let listed = replies.filter { $0.command == "319" }.flatMap { ($0.params.last ?? "").split(separator: " ").map { String($0.drop { "@+".contains($0) }) } }
        #expect(Set(listed) == Set(rooms))
        #expect(longestBody(asker) <= 512, "a line of \(longestBody(asker)) bytes")
    }

    @Test("a message that would not fit 512 bytes once the sender's prefix is added is refused (417), never relayed over-long or cut")
    func relayedMessageFits() throws {
        let server = try ChatServer.start()
        let sender = try server.client("a_rather_long_nickname_here")
        let bob = try server.client("bob")
        let prefix = "PRIVMSG bob :"
        let text = String(repeating: "word ", count: (510 - prefix.utf8.count) / 5)
        try sender.send(prefix + text)
        let senderSaw = try sender.sync()
        try bob.sync()
        let relayed = bob.rawLines.first { String(decoding: $0, as: UTF8.self).contains(" PRIVMSG bob ") }
        if let relayed {
            #expect(bodyLength(relayed) <= 512, "relayed as \(bodyLength(relayed)) bytes")
            let message = try IRCMessage.parse(relayed)
            #expect(message.params.last == text, "relayed text differs from what was sent")
        } else {
            #expect(senderSaw.contains { $0.command == "417" || $0.command == "FAIL" }, "neither relayed nor refused")
        }
    }
    @Test("a TOPIC at TOPICLEN, set by a NICKLEN nick in a CHANNELLEN room, is relayed within 512 bytes")
    func maximalTopicFits() throws {
        let server = try ChatServer.start()
        let nick = String(repeating: "n", count: 30)
        let setter = try server.client(nick)
        var isupport = ISupport()
        try setter.send("VERSION")
        for message in try setter.sync() where message.command == "005" { isupport.apply(message) }
        let roomLength = Int(isupport["CHANNELLEN"] ?? "") ?? 64
        let topicLength = Int(isupport["TOPICLEN"] ?? "") ?? 390
        let room = "#" + String(repeating: "r", count: roomLength - 1)
        let bob = try server.client("bob")
        for client in [setter, bob] {
            try client.send("JOIN \(room)")
            try client.expectNumeric("366", room)
        }
        try setter.send("TOPIC \(room) :" + String(repeating: "t", count: topicLength))
        let reply = try setter.expect("TOPIC or a refusal") { $0.command == "TOPIC" || $0.command == "417" || $0.command == "FAIL" }
        if reply.command == "TOPIC" {
            try bob.expect("TOPIC", room)
            #expect(longestBody(bob) <= 512, "the relayed TOPIC is \(longestBody(bob)) bytes")
        }
    }
}
