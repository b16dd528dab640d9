import Testing
import Shared

/// Room relays walk the room's member list in place: a member cut for SendQ in the middle of
/// one must leave the others' deliveries whole and in order.
@Suite("Room fan-out: SendQ cuts during a relay")
struct RoomFanOutTests {
    /// Reads `client` until the PRIVMSG numbered `last` from `sender`, appending the numbers seen
    /// and noting a QUIT of `quitter` with its reason.
    private func read(_ client: TestClient, until last: Int, from sender: String, numbers: inout [Int],
                      quitter: String, quitReason: inout String?) throws {
        while numbers.last != last {
            guard let message = try client.nextMessage(within: 10) else {
                throw client.failure("no PRIVMSG \(last) within 10 s (last seen \(numbers.last ?? -1))")
            }
            if message.command == "QUIT" && message.sourceNick == quitter { quitReason = message.params.last ?? "" }
            guard message.command == "PRIVMSG", message.sourceNick == sender else { continue }
            let number = (message.params.last ?? "").split(separator: " ").first.flatMap { Int($0) } ?? -1
            numbers.append(number)
        }
    }

    @Test("a member cut for SendQ mid-relay gets ERROR; the members after it in the room still get every message, in order")
    func memberCutMidRelay() throws {
        let server = try ChatServer.start(["--sendq", "8192", "--flood-rate", "0"])
        let talker = try server.client("talker")
        let alice = try server.client("alice")
        let sink = try server.connection("sink", receiveBuffer: 4096)
        try sink.register(nick: "sink")
        let bob = try server.client("bob")
        // Join order is the room's member order: the sink sits between alice and bob.
        for client in [talker, alice, sink, bob] {
            try client.send("JOIN #fan")
            try client.expectNumeric("366")
        }
        try talker.sync()
        try alice.sync()
        try bob.sync()

        let text = String(repeating: "y", count: 400)
        var sent = 0
        var aliceNumbers: [Int] = []
        var bobNumbers: [Int] = []
        var aliceSawQuit: String?
        var bobSawQuit: String?
        // Bounded: 20 000 lines of about 430 bytes is far beyond a 4 KiB receive buffer plus an 8 KiB SendQ.
        while (aliceSawQuit == nil || bobSawQuit == nil) && sent < 20_000 {
            var burst: [UInt8] = []
            for _ in 0..<100 {
                burst += Array("PRIVMSG #fan :\(sent) \(text)\r\n".utf8)
                sent += 1
            }
            try talker.sendRaw(burst, record: false)
            try read(alice, until: sent - 1, from: "talker", numbers: &aliceNumbers, quitter: "sink", quitReason: &aliceSawQuit)
            try read(bob, until: sent - 1, from: "talker", numbers: &bobNumbers, quitter: "sink", quitReason: &bobSawQuit)
        }
        #expect(aliceSawQuit?.contains("SendQ exceeded") == true, "alice saw no QUIT of the sink after \(sent) messages")
        #expect(bobSawQuit?.contains("SendQ exceeded") == true, "bob saw no QUIT of the sink after \(sent) messages")
        #expect(aliceNumbers == Array(0..<sent), "alice missed or reordered messages")
        #expect(bobNumbers == Array(0..<sent), "bob missed or reordered messages")

        let received = try sink.expectClosed(within: 20)
        #expect(received.last?.command == "ERROR", "ERROR must be the last line the sink reads")
        #expect(received.last?.params.last?.contains("SendQ exceeded") == true)

        // The room goes on without the sink.
        try talker.send("NAMES #fan")
        let names = try talker.collect(until: "366") { $0.command == "366" }
            .filter { $0.command == "353" }.flatMap { ($0.params.last ?? "").split(separator: " ").map(String.init) }
        #expect(Set(names.map { $0.trimmingPrefix(while: { $0 == "@" || $0 == "+" }) }.map(String.init)) == ["talker", "alice", "bob"])
        try talker.send("PRIVMSG #fan :after the cut")
        #expect(try alice.expect("PRIVMSG", "#fan", "after the cut").sourceNick == "talker")
        #expect(try bob.expect("PRIVMSG", "#fan", "after the cut").sourceNick == "talker")
    }

    @Test("a sender cut for SendQ by its own echo: every member gets the message before the sender's QUIT, none after")
    func senderCutByEcho() throws {
        // Without history the echo goes out at once, in the relay itself, after the members.
        let server = try ChatServer.start(["--sendq", "8192", "--flood-rate", "0", "--no-history"])
        let loud = try server.connection("loud", receiveBuffer: 4096)
        try loud.register(nick: "loud", caps: ["echo-message"])
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        for client in [loud, alice, bob] {
            try client.send("JOIN #echo")
            try client.expectNumeric("366")
        }
        try alice.sync()
        try bob.sync()

        let text = String(repeating: "e", count: 400)
        var numbers: [String: [Int]] = [:]
        var quits: [String: String] = [:]
        var sent = 0
        // Bounded: 20 000 lines of about 430 bytes; the echoes alone are far beyond any kernel
        // buffer plus the 8 KiB SendQ, while alice and bob read everything.
        while quits.count < 2 && sent < 20_000 {
            var burst: [UInt8] = []
            for _ in 0..<200 {
                burst += Array("PRIVMSG #echo :\(sent) \(text)\r\n".utf8)
                sent += 1
            }
            // Once cut, the sender's writes fail: what the server took is what the members must get.
            let written = (try? loud.sendRaw(burst, record: false, within: 10)) != nil
            for member in [alice, bob] where quits[member.label] == nil {
                while quits[member.label] == nil && numbers[member.label, default: []].last != sent - 1 {
                    guard let message = try member.nextMessage(within: written ? 10 : 2) else {
                        if written { throw member.failure("no PRIVMSG \(sent - 1) nor QUIT from loud within 10 s") }
                        break
                    }
                    guard message.sourceNick == "loud" else { continue }
                    if message.command == "QUIT" { quits[member.label] = message.params.last ?? "" }
                    if message.command == "PRIVMSG" {
                        let number = (message.params.last ?? "").split(separator: " ").first.flatMap { Int($0) } ?? -1
                        numbers[member.label, default: []].append(number)
                    }
                }
            }
            if !written { break }
        }
        for member in [alice, bob] {
            if quits[member.label] == nil {
                let quit = try member.expect("QUIT from loud", within: 10) { $0.command == "QUIT" && $0.sourceNick == "loud" }
                quits[member.label] = quit.params.last ?? ""
            }
            #expect(quits[member.label]?.contains("SendQ exceeded") == true, "\(member.label): \(quits[member.label] ?? "no QUIT")")
            let seen = numbers[member.label, default: []]
            #expect(!seen.isEmpty && seen == Array(0..<seen.count), "\(member.label) got gaps or disorder before the QUIT")
            // Nothing from the sender after its QUIT.
            try member.expectNone("PRIVMSG from loud after its QUIT", within: 1) { $0.command == "PRIVMSG" && $0.sourceNick == "loud" }
        }
    }
}
