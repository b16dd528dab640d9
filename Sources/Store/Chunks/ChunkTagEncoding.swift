import Shared

/// A message's stored tags written straight into a chunk record: the same bytes as
/// `TagCoding.encode` (`key` or `key=value`, values escaped as IRCv3 message-tags says, joined
/// by `;`), without building the intermediate Strings.
///
/// Escaping works on bytes: every character it changes is ASCII, and no byte of a multi-byte
/// UTF-8 sequence is ASCII, so byte by byte gives what character by character does.
enum ChunkTagEncoding {
    /// The length of the encoded tags.
    static func encodedCount(_ tags: [IRCTag]) -> Int {
        var total = Swift.max(tags.count - 1, 0)
        for tag in tags {
            total += tag.key.utf8.count
            if !tag.value.isEmpty { total += 1 + escapedCount(tag.value) }
        }
        return total
    }

    /// Writes the encoded tags, `count` (from ``encodedCount(_:)``) first, as a length-prefixed field.
    static func write(_ tags: [IRCTag], count: Int, into cursor: inout ByteCursor) {
        cursor.varint(count)
        for (position, tag) in tags.enumerated() {
            if position > 0 { cursor.byte(UInt8(ascii: ";")) }
            cursor.utf8(tag.key)
            guard !tag.value.isEmpty else { continue }
            cursor.byte(UInt8(ascii: "="))
            for byte in tag.value.utf8 {
                switch byte {
                case UInt8(ascii: ";"): cursor.pair(UInt8(ascii: "\\"), UInt8(ascii: ":"))
                case UInt8(ascii: " "): cursor.pair(UInt8(ascii: "\\"), UInt8(ascii: "s"))
                case UInt8(ascii: "\\"): cursor.pair(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                case UInt8(ascii: "\r"): cursor.pair(UInt8(ascii: "\\"), UInt8(ascii: "r"))
                case UInt8(ascii: "\n"): cursor.pair(UInt8(ascii: "\\"), UInt8(ascii: "n"))
                case 0: continue
                default: cursor.byte(byte)
                }
            }
        }
    }

    private static func escapedCount(_ value: String) -> Int {
        var count = 0
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\\"), UInt8(ascii: "\r"), UInt8(ascii: "\n"): count += 2
            case 0: continue
            default: count += 1
            }
        }
        return count
    }
}
