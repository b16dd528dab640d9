import Testing
@testable import ChatBench

/// The generator's shortcut for expected deliveries must agree with its general checks: it may
/// pass a line over (the general path then judges it), but never accept one the general path
/// would count as wrong, nor read another sequence number from it.
@Suite("ExpectedDelivery")
struct ExpectedDeliveryTests {
    let expected = ExpectedDelivery(sourceNick: Array("f0".utf8), target: Array("#bench".utf8), sender: 0)

    func sequence(_ text: String) -> Int? {
        Array(text.utf8).withUnsafeBufferPointer { expected.sequence(in: $0) }
    }

    /// What the general path makes of a line: the sequence number when every check passes.
    func generalSequence(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            let line = IRCLine(buffer)
            guard line.commandIs("PRIVMSG"), let target = line.param(0), line.equal(target, Array("#bench".utf8)),
                  line.equal(line.sourceNick, Array("f0".utf8)),
                  let text = line.param(1), let message = MessageText.parse(line, text: text), message.sender == 0
            else { return nil }
            return message.sequence
        }
    }

    @Test("a delivery as each server words it gives its sequence number")
    func accepts() {
        #expect(sequence(":f0!~f0@127.0.0.1 PRIVMSG #bench :0 41 123456789 xxxx") == 41)
        #expect(sequence(":f0!f0@localhost PRIVMSG #bench :0 0 7") == 0)
        #expect(sequence(":f0!user@host.example PRIVMSG #bench :0 9999 1 x") == 9999)
    }

    @Test("anything else is left to the general path", arguments: [
        "@time=2026-12-08T00:00:00.000Z :f0!u@h PRIVMSG #bench :0 1 2 x", // tags
        ":f01!u@h PRIVMSG #bench :0 1 2 x", // another source
        ":f!u@h PRIVMSG #bench :0 1 2 x",
        ":f0 PRIVMSG #bench :0 1 2 x", // no user@host
        ":f0!u@h PRIVMSG #bench2 :0 1 2 x", // another target
        ":f0!u@h PRIVMSG #benc :0 1 2 x",
        ":f0!u@h NOTICE #bench :0 1 2 x", // another command
        ":f0!u@h PRIVMSG #bench :1 1 2 x", // another sender
        ":f0!u@h PRIVMSG #bench :00 1 2 x",
        ":f0!u@h PRIVMSG #bench :0 1", // no send time
        ":f0!u@h PRIVMSG #bench :0 1 x",
        ":f0!u@h PRIVMSG #bench :0 x 2",
        ":f0!u@h PRIVMSG #bench :0 1234567890123456789 2", // too long to be a sequence number
        ":f0!u@h PRIVMSG  #bench :0 1 2", // other spacing
        ":f0!u@h PRIVMSG #bench 0 1 2", // no trailing colon
        ":f0!u@h",
        "",
    ])
    func rejects(_ line: String) {
        #expect(sequence(line) == nil)
    }

    @Test("it never accepts a line the general checks reject, nor reads another number (mutations of real lines)")
    func agreesWithTheGeneralPath() {
        var random = SplitMix64(seed: 0x5eed)
        let originals = [":f0!~f0@127.0.0.1 PRIVMSG #bench :0 1234 987654321 xxxx", ":f0!f0@localhost PRIVMSG #bench :0 7 5"]
        let alphabet = Array(":!@ #0123456789fPRIVMSGbench\r".utf8)
        var accepted = 0
        for original in originals {
            for _ in 0..<20_000 {
                var bytes = Array(original.utf8)
                for _ in 0..<(1 + Int(random.next() % 3)) {
                    let position = Int(random.next() % UInt64(bytes.count))
                    switch random.next() % 3 {
                    case 0: bytes[position] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                    case 1: bytes.remove(at: position)
                    default: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: position)
                    }
                    if bytes.isEmpty { bytes = [0x3A] }
                }
                let fast = bytes.withUnsafeBufferPointer { expected.sequence(in: $0) }
                guard let fast else { continue }
                accepted += 1
                #expect(generalSequence(bytes) == fast, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        // The mutations must exercise acceptance too, or the comparison above proves nothing.
        #expect(accepted > 1_000)
    }
}

/// A small seeded generator so the mutation test is the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
