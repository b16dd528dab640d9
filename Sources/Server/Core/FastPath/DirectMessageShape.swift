import Shared

/// Where the parts of a line of exactly the form `PRIVMSG target :text` (or `NOTICE`) lie, read in
/// place, or nothing when the line has any other form.
///
/// Deliberately narrow: upper-case command, no tags, no source, one space between the parts, a
/// single target that could be a nick, a colon before non-empty text, and nothing the parser would
/// refuse (NUL, CR, LF, an over-long line). Every other line, legal or not, is for the general path.
struct DirectMessageShape {
    /// The two commands the fast path handles.
    enum Command: Equatable {
        case privmsg
        case notice

        /// The command word, as the general path spells it.
        var name: String {
            switch self {
            case .privmsg: return "PRIVMSG"
            case .notice: return "NOTICE"
            }
        }

        /// The command word's bytes on the wire.
        var bytes: StaticString {
            switch self {
            case .privmsg: return "PRIVMSG"
            case .notice: return "NOTICE"
            }
        }
    }

    let command: Command
    /// The target as the sender wrote it: printable ASCII, no comma, not a room or status prefix.
    let target: UnsafeBufferPointer<UInt8>
    /// The text after the colon; not empty, and free of NUL, CR and LF.
    let text: UnsafeBufferPointer<UInt8>
    /// True when the text is pure ASCII (then it is valid UTF-8 as it stands).
    let textIsASCII: Bool

    /// Finds the parts of `line` (without its CR LF), or nil when it is not of the fast path's form.
    init?(_ line: UnsafeBufferPointer<UInt8>) {
        let count = line.count
        // The parser refuses a body over 510 bytes with 417; that answer is the general path's.
        guard count <= IRCParseLimits.fromClient.bodyBytes, count > 9, let base = line.baseAddress else { return nil }
        let command: Command
        var index: Int
        // The command and its space as one 8-byte word (the line is longer than 9 bytes).
        let head = UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
        if head == Self.privmsgWord {
            command = .privmsg
            index = 8
        } else if head & 0x00FF_FFFF_FFFF_FFFF == Self.noticeWord {
            command = .notice
            index = 7
        } else {
            return nil
        }
        let targetStart = index
        guard index < count, !Self.isExcludedTargetStart(base[index]) else { return nil }
        while index < count, base[index] != UInt8(ascii: " ") {
            let byte = base[index]
            // Printable ASCII only (so UTF-8 and control bytes need no thought), and one target.
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: ",") else { return nil }
            index += 1
        }
        let targetEnd = index
        // Exactly one space, a colon, and at least one byte of text.
        guard targetEnd > targetStart, index + 2 < count, base[index + 1] == UInt8(ascii: ":") else { return nil }
        let textStart = index + 2
        let text = UnsafeBufferPointer(start: base + textStart, count: count - textStart)
        guard let isASCII = Self.scanText(text) else { return nil }
        self.command = command
        self.target = UnsafeBufferPointer(start: base + targetStart, count: targetEnd - targetStart)
        self.text = text
        self.textIsASCII = isASCII
    }

    /// Rooms (`#`, `&`), status messages (`@#room`, `+#room`) and a lone trailing (`:`) are not nicks.
    private static func isExcludedTargetStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "#") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "@")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ":")
    }

    /// `PRIVMSG ` and `NOTICE ` (then any byte) as little-endian words: first byte lowest.
    private static let privmsgWord: UInt64 = 0x2047_534D_5649_5250
    private static let noticeWord: UInt64 = 0x0020_4543_4954_4F4E

    /// Whether the text is pure ASCII, or nil when it holds NUL, CR or LF; eight bytes at a time,
    /// as the parser's own scan (the word test is true exactly when some byte is below 0x20).
    private static func scanText(_ text: UnsafeBufferPointer<UInt8>) -> Bool? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let count = text.count
        guard let base = text.baseAddress else { return nil }
        var highBits: UInt64 = 0
        var index = 0
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            highBits |= word
            if (word &- ones &* 0x20) & ~word & highs != 0 {
                for offset in index..<(index + 8) where isForbidden(base[offset]) { return nil }
            }
            index += 8
        }
        var isASCII = highBits & highs == 0
        while index < count {
            let byte = base[index]
            if isForbidden(byte) { return nil }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        return isASCII
    }

    @inline(__always)
    private static func isForbidden(_ byte: UInt8) -> Bool {
        byte == 0 || byte == 0x0D || byte == 0x0A
    }
}

