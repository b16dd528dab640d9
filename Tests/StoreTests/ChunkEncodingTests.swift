@testable import ChatStore
import Shared
import Testing

/// The chunk body is stored on disk (schema v4, body version 1): whatever makes the encoder
/// cheaper must leave every byte of it as it was. These tests compare ``ChunkBuilder`` with the
/// encoder as first written (``ReferenceChunkEncoder``) over many generated chunks, read every
/// body back through ``DecodedChunk``, and pin one body byte for byte.
@Suite("Chunk encoding")
struct ChunkEncodingTests {
    /// A deterministic generator, so a failing seed can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    /// The same text in a String of its own storage: equal to the original, not identical.
    static func copy(_ text: String) -> String {
        String(decoding: Array(text.utf8), as: UTF8.self)
    }

    static func text(_ random: inout SplitMix, maxLength: Int) -> String {
        let alphabet: [String] = ["a", "b", "z", " ", ";", "\\", "é", "日", "👋🏽", "0", "~", "\u{0}"]
        let length = Int.random(in: 0...maxLength, using: &random)
        return (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }.joined()
    }

    /// One conversation's messages as a busy server hands them over: a few senders (sometimes
    /// more than the string table's search window), rising or equal times, sequences with gaps,
    /// ranged and literal msgids, texts from empty to long, with and without account and tags.
    static func messages(seed: UInt64, count: Int) -> [(message: NewMessage, sequence: Int64, counter: Int64?)] {
        var random = SplitMix(state: seed)
        let senderCount = [1, 2, 3, 20, 40][Int(seed % 5)]
        let senders: [(source: String, nick: String, account: String?)] = (0..<senderCount).map { index in
            let nick = index % 7 == 6 ? "n\(index)" + String(repeating: "x", count: 140) : "nick\(index)"
            return ("\(nick)!user\(index)@127.0.0.\(index % 200)", nick, index % 3 == 2 ? nil : "account\(index)")
        }
        let targets = ["#room", "Bob", "bob", "#" + String(repeating: "r", count: 200)]
        let commands = ["PRIVMSG", "NOTICE"]
        var time = Int64.random(in: -5_000...1_800_000_000_000, using: &random)
        var sequence = Int64.random(in: 1...1_000_000, using: &random)
        var counter = Int64.random(in: 0...5_000, using: &random)
        var result: [(NewMessage, Int64, Int64?)] = []
        for index in 0..<count {
            let sender = senders[Int.random(in: 0..<senders.count, using: &random)]
            let fresh = Int.random(in: 0..<4, using: &random) == 0
            time += [0, 0, 1, 3, 250][Int.random(in: 0..<5, using: &random)]
            sequence += [1, 1, 1, 2, 200][Int.random(in: 0..<5, using: &random)]
            counter += [1, 1, 2, 1_296, 100_000][Int.random(in: 0..<5, using: &random)]
            let ranged = Int.random(in: 0..<5, using: &random) != 0
            let msgid = ranged ? "k3x9q0za" + String(counter, radix: 36)
                : ["literal-\(index)", "", text(&random, maxLength: 70)][Int.random(in: 0..<3, using: &random)]
            var tags: [IRCTag] = []
            switch Int.random(in: 0..<8, using: &random) {
            case 0: tags = [IRCTag("+draft/reply", "id \(index);x\\y"), IRCTag("+typing")]
            case 1: tags = [IRCTag("+example.com/k", "é\r\n日 ;\\"), IRCTag("+b", String(text(&random, maxLength: 30).filter { $0 != "\u{0}" }))]
            default: break
            }
            let target = targets[Int(seed % UInt64(targets.count))]
            let command = commands[Int.random(in: 0..<4, using: &random) == 0 ? 1 : 0]
            let message = NewMessage(
                msgid: msgid, timeMs: time, senderSource: fresh ? copy(sender.source) : sender.source,
                senderNick: fresh ? copy(sender.nick) : sender.nick, senderAccount: sender.account.map { fresh ? copy($0) : $0 },
                destination: target.hasPrefix("#") ? .room(target) : .direct(.nick(target)),
                targetName: fresh ? copy(target) : target, command: fresh ? copy(command) : command,
                text: text(&random, maxLength: index % 9 == 0 ? 400 : 40), tags: tags)
            result.append((message, sequence, ranged ? counter : nil))
        }
        return result
    }

    /// Encodes `messages` as the chunk writer does (a new chunk whenever the format's rules say
    /// so), with both encoders, and checks that every body is the same and reads back whole.
    static func checkEncodings(_ messages: [(message: NewMessage, sequence: Int64, counter: Int64?)], isRoom: Bool) throws -> Int {
        let prefix = MsgidShape.packedPrefix("k3x9q0za")
        var builder = ChunkBuilder(targetKey: "key", isRoom: isRoom)
        var reference = ReferenceChunkEncoder(isRoom: isRoom)
        var inChunk: [(message: NewMessage, sequence: Int64, counter: Int64?)] = []
        var chunks = 0
        func finish() throws {
            guard builder.count > 0 else { return }
            chunks += 1
            let body = builder.body()
            #expect(body == reference.body(), "chunk \(chunks): body differs from the reference encoding")
            #expect(builder.withBody { Array($0) } == body, "chunk \(chunks): withBody differs from body()")
            #expect(builder.count == reference.count && builder.rangedCount == reference.rangedCount)
            #expect(builder.minMs == reference.minMs && builder.maxMs == reference.maxMs)
            #expect(builder.firstSequence == reference.firstSequence && builder.lastSequence == reference.lastSequence)
            let decoded = try DecodedChunk(body: body)
            #expect(decoded.entries.count == inChunk.count)
            for (entry, sent) in zip(decoded.entries, inChunk) {
                let message = decoded.message(entry)
                let expected = StoredMessage(
                    sequence: sent.sequence, msgid: sent.message.msgid, timeMs: sent.message.timeMs,
                    senderSource: sent.message.senderSource, senderNick: sent.message.senderNick,
                    senderAccount: sent.message.senderAccount, isRoom: isRoom, targetName: sent.message.targetName,
                    command: sent.message.command, text: sent.message.text, tags: sent.message.tags)
                #expect(message == expected)
            }
            builder = ChunkBuilder(targetKey: "key", isRoom: isRoom)
            reference = ReferenceChunkEncoder(isRoom: isRoom)
            inChunk = []
        }
        for item in messages {
            if !builder.accepts(timeMs: item.message.timeMs) { try finish() }
            if item.counter != nil, builder.rangePrefix == nil {
                builder.adoptRangePrefix(prefix)
                reference.rangePrefix = prefix
            }
            builder.append(item.message, sequence: item.sequence, counter: item.counter)
            reference.append(item.message, sequence: item.sequence, counter: item.counter)
            inChunk.append(item)
        }
        try finish()
        return chunks
    }

    @Test("generated chunks encode exactly as the original encoder did and read back whole", arguments: 0..<40)
    func matchesReference(seed: Int) throws {
        let messages = Self.messages(seed: UInt64(seed), count: 150 + seed * 20)
        let chunks = try Self.checkEncodings(messages, isRoom: seed % 2 == 0)
        #expect(chunks >= 1)
    }

    @Test("a chunk past the size cap, and one of many distinct senders, match the original encoder")
    func largeChunks() throws {
        // 300 messages of ~400 bytes cross the 64 KiB record cap; 120 senders cycle the string table.
        var messages = Self.messages(seed: 7, count: 600)
        for index in messages.indices {
            messages[index].message.text = String(repeating: "é", count: 200)
            messages[index].message.senderSource = "sender\(index % 120)!u@127.0.0.1"
            messages[index].message.timeMs = messages[0].message.timeMs
        }
        #expect(try Self.checkEncodings(messages, isRoom: true) >= 3)
    }

    @Test("chunks of one or two messages (a quiet server's commits) encode as before")
    func smallChunks() throws {
        let messages = Self.messages(seed: 5, count: 120)
        for size in 1...2 {
            for start in stride(from: 0, to: messages.count, by: size) {
                let slice = Array(messages[start..<min(start + size, messages.count)])
                #expect(try Self.checkEncodings(slice, isRoom: false) == 1)
            }
        }
    }

    @Test("times and sequences at the ends of Int64 encode as before")
    func extremeValues() throws {
        let base = Self.messages(seed: 3, count: 4)
        var messages = base
        let times: [Int64] = [.min, .min, -1, .max]
        let sequences: [Int64] = [1, .max / 2, .max - 1, .max]
        for index in messages.indices {
            messages[index].message.timeMs = times[index]
            messages[index].sequence = sequences[index]
        }
        // Each time is its own chunk where the span rule says so; none may trap or differ.
        #expect(try Self.checkEncodings(messages, isRoom: false) >= 2)
    }

    @Test("a copy of a builder is a value: appending to one leaves the other as it was")
    func builderIsAValue() throws {
        let messages = Self.messages(seed: 11, count: 6)
        var first = ChunkBuilder(targetKey: "key", isRoom: true)
        for item in messages[0..<3] { first.append(item.message, sequence: item.sequence, counter: nil) }
        let copy = first
        let before = copy.body()
        for item in messages[3...] { first.append(item.message, sequence: item.sequence, counter: nil) }
        #expect(copy.body() == before)
        #expect(try DecodedChunk(body: copy.body()).entries.count == 3)
        #expect(try DecodedChunk(body: first.body()).entries.count == 6)
    }

    @Test("one body, byte for byte: the stored format of version 1")
    func pinnedBody() {
        var builder = ChunkBuilder(targetKey: "#chat", isRoom: true)
        builder.adoptRangePrefix(MsgidShape.packedPrefix("k3x9q0za"))
        let alice = "alice!alice@127.0.0.1"
        builder.append(
            NewMessage(msgid: "k3x9q0za1f", timeMs: 1_700_000_000_000, senderSource: alice, senderNick: "alice",
                       senderAccount: "alice", destination: .room("#chat"), targetName: "#Chat", command: "PRIVMSG", text: "hi é"),
            sequence: 41, counter: 51)
        builder.append(
            NewMessage(msgid: "other-id", timeMs: 1_700_000_000_200, senderSource: "bob!b@127.0.0.1", senderNick: "bob",
                       senderAccount: nil, destination: .room("#chat"), targetName: "#Chat", command: "NOTICE", text: "",
                       tags: [IRCTag("+typing", "active")]),
            sequence: 43, counter: nil)
        builder.append(
            NewMessage(msgid: "k3x9q0za1h", timeMs: 1_700_000_000_200, senderSource: alice, senderNick: "alice",
                       senderAccount: "alice", destination: .room("#chat"), targetName: "#Chat", command: "PRIVMSG", text: "x"),
            sequence: 44, counter: 53)
        let hex = builder.body().map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == Self.pinnedHex)
    }

    /// Written by the encoder as first committed (schema v4): version, room flag, zigzag time,
    /// first sequence 41, three messages, prefix `k3x9q0za` from counter 51, seven strings (the
    /// account "alice" shares the nick's entry), then the three records.
    static let pinnedHex = [
        "010180a0abfef9622903086b33783971307a61330715616c69636521616c696365403132372e302e302e3105616c6963",
        "6505234368617407505249564d53470f626f622162403132372e302e302e3103626f62064e4f54494345030000000001",
        "01020305686920c3a904c80102086f746865722d696404050206000e2b747970696e673d616374697665030001020001",
        "0102030178",
    ].joined()

    @Test("msgid shapes parse as the original parser did", arguments: 0..<8)
    func msgidShapes(seed: Int) {
        var random = SplitMix(state: UInt64(seed) &* 7919)
        let fixed = [
            "k3x9q0za0", "k3x9q0za00", "k3x9q0za1", "k3x9q0zazzzzzzzzzzzz", "k3x9q0za1y2p0ij32e8e7", "k3x9q0za1y2p0ij32e8e8",
            "k3x9q0za", "k3x9q0z", "", "K3X9Q0ZA1f", "k3x9q0za1F", "k3x9q0-a1f", "k3x9q0za1-", "日本語日本語日本語",
            "k3x9q0za日", "ZZZZZZZZ1", "00000000z", "k3x9q0za1f ", " k3x9q0za1f",
        ]
        let alphabet = Array("abcxyzAZ09-_é/ ".utf8)
        var samples = fixed
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...24, using: &random)
            var bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
            if Bool.random(using: &random) {
                // Mostly-valid shapes, where a single wrong byte matters.
                bytes = Array("q0za1y2p".utf8) + Array(String(Int64.random(in: 0...Int64.max, using: &random) >> Int.random(in: 0...63, using: &random), radix: 36).utf8)
                if Int.random(in: 0..<4, using: &random) == 0 { bytes[Int.random(in: 0..<bytes.count, using: &random)] = alphabet.randomElement(using: &random) ?? 0 }
            }
            samples.append(String(decoding: bytes, as: UTF8.self))
        }
        for sample in samples {
            let shape = MsgidShape(sample)
            let expected = ReferenceMsgidShape.parse(sample)
            #expect(shape?.prefix == expected?.prefix && shape?.counter == expected?.counter, "msgid \(sample.debugDescription)")
            if let shape { #expect(shape.msgid == sample) }
            #expect(MsgidShape(Self.copy(sample)) == shape)
            let bytes = Array(sample.utf8)
            #expect(bytes.withUnsafeBufferPointer { MsgidShape(utf8: $0) } == shape, "bytes of \(sample.debugDescription)")
        }
    }

    @Test("tags are written as TagCoding.encode writes them, escapes and dropped NULs included", arguments: 0..<4)
    func tags(seed: Int) {
        var random = SplitMix(state: UInt64(seed) &+ 99)
        for _ in 0..<500 {
            let tags = (0..<Int.random(in: 1...4, using: &random)).map { index in
                IRCTag("+k\(index)", Self.text(&random, maxLength: Int.random(in: 0...1, using: &random) == 0 ? 0 : 40))
            }
            let expected = Array(TagCoding.encode(tags).utf8)
            let count = ChunkTagEncoding.encodedCount(tags)
            #expect(count == expected.count)
            var writer = ByteWriter()
            writer.write(reserving: ByteCursor.maxVarintBytes + count) { ChunkTagEncoding.write(tags, count: count, into: &$0) }
            var prefixed = ByteWriter()
            prefixed.write(reserving: ByteCursor.maxVarintBytes) { $0.varint(expected.count) }
            let written = writer.withUnsafeBytes { Array($0) }
            #expect(written == prefixed.withUnsafeBytes { Array($0) } + expected, "tags \(tags)")
        }
    }

    @Test("prefixes pack and print back")
    func prefixes() {
        #expect(MsgidShape.packedPrefix("k3x9q0za").map(MsgidShape.prefixText) == "k3x9q0za")
        #expect(MsgidShape.packedPrefix("k3x9q0za") == 0x6B33_7839_7130_7A61)
        for bad in ["k3x9q0z", "k3x9q0zab", "k3x9-0za", "", "k3x9q0zé"] {
            #expect(MsgidShape.packedPrefix(bad) == nil, "prefix \(bad)")
        }
    }
}
