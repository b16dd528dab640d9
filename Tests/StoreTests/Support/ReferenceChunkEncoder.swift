@testable import ChatStore
import Shared

/// The chunk encoder as first written (schema v4, body version 1), kept byte for byte so the fast
/// ``ChunkBuilder`` can be checked against it: stored bodies must never change shape.
///
/// Deliberately simple: per-byte appends, `String ==` against the recent table entries, a header
/// built first and the records appended to it.
struct ReferenceChunkEncoder {
    let isRoom: Bool
    var rangePrefix: UInt64?
    private(set) var minMs: Int64 = 0
    private(set) var maxMs: Int64 = 0
    private(set) var firstSequence: Int64 = 0
    private(set) var lastSequence: Int64 = 0
    private(set) var count = 0
    private(set) var rangedCount = 0
    private var firstCounter: Int64 = 0
    private var previousCounter: Int64 = 0
    private var records: [UInt8] = []
    private var strings: [String] = []

    init(isRoom: Bool) {
        self.isRoom = isRoom
    }

    mutating func append(_ message: NewMessage, sequence: Int64, counter: Int64?) {
        if count == 0 {
            minMs = message.timeMs
            maxMs = message.timeMs
            firstSequence = sequence
            lastSequence = sequence
        }
        var flags: UInt8 = 0
        if counter != nil { flags |= 1 }
        if message.senderAccount != nil { flags |= 2 }
        if !message.tags.isEmpty { flags |= 4 }
        records.append(flags)
        Self.varint(UInt64(bitPattern: message.timeMs - maxMs), into: &records)
        Self.varint(UInt64(bitPattern: sequence - lastSequence), into: &records)
        if let counter {
            if rangedCount == 0 {
                firstCounter = counter
                previousCounter = counter
            }
            Self.varint(UInt64(bitPattern: counter - previousCounter), into: &records)
            previousCounter = counter
            rangedCount += 1
        } else {
            Self.string(message.msgid, into: &records)
        }
        Self.varint(UInt64(index(of: message.senderSource)), into: &records)
        Self.varint(UInt64(index(of: message.senderNick)), into: &records)
        if let account = message.senderAccount { Self.varint(UInt64(index(of: account)), into: &records) }
        Self.varint(UInt64(index(of: message.targetName)), into: &records)
        Self.varint(UInt64(index(of: message.command)), into: &records)
        Self.string(message.text, into: &records)
        if !message.tags.isEmpty { Self.string(TagCoding.encode(message.tags), into: &records) }
        maxMs = message.timeMs
        lastSequence = sequence
        count += 1
    }

    func body() -> [UInt8] {
        var header: [UInt8] = [1, isRoom ? 1 : 0]
        let zigzag = (minMs << 1) ^ (minMs >> 63)
        Self.varint(UInt64(bitPattern: zigzag), into: &header)
        Self.varint(UInt64(bitPattern: firstSequence), into: &header)
        Self.varint(UInt64(count), into: &header)
        if rangedCount > 0, let rangePrefix {
            var prefix: [UInt8] = []
            for shift in stride(from: 56, through: 0, by: -8) { prefix.append(UInt8(truncatingIfNeeded: rangePrefix >> UInt64(shift))) }
            Self.varint(UInt64(prefix.count), into: &header)
            header += prefix
            Self.varint(UInt64(bitPattern: firstCounter), into: &header)
        } else {
            header.append(0)
        }
        Self.varint(UInt64(strings.count), into: &header)
        for string in strings { Self.string(string, into: &header) }
        return header + records
    }

    private mutating func index(of value: String) -> Int {
        let lowest = max(strings.count - 16, 0)
        var position = strings.count
        while position > lowest {
            position -= 1
            if strings[position] == value { return position }
        }
        strings.append(value)
        return strings.count - 1
    }

    static func varint(_ value: UInt64, into bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func string(_ value: String, into bytes: inout [UInt8]) {
        let utf8 = Array(value.utf8)
        varint(UInt64(utf8.count), into: &bytes)
        bytes += utf8
    }
}

/// The msgid parser as first written, for comparison with the fast ``MsgidShape``.
enum ReferenceMsgidShape {
    static func parse(_ msgid: String) -> (prefix: UInt64, counter: Int64)? {
        let bytes = Array(msgid.utf8)
        guard bytes.count > 8, bytes.count <= 20 else { return nil }
        var prefix: UInt64 = 0
        for byte in bytes[0..<8] {
            guard isAlphanumeric(byte) else { return nil }
            prefix = prefix << 8 | UInt64(byte)
        }
        if bytes[8] == UInt8(ascii: "0"), bytes.count > 9 { return nil }
        var counter: Int64 = 0
        for byte in bytes[8...] {
            let digit: Int64
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = Int64(byte - UInt8(ascii: "a") + 10)
            default: return nil
            }
            let (times, overflow) = counter.multipliedReportingOverflow(by: 36)
            guard !overflow else { return nil }
            let (sum, carry) = times.addingReportingOverflow(digit)
            guard !carry else { return nil }
            counter = sum
        }
        return (prefix, counter)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
