/// A zero-copy view of one received IRC line, split just enough for the generator's checks.
///
/// The generator reads millions of lines a second; building `IRCMessage` values with their
/// Strings for each would make it, not the server, the bottleneck. This view only records
/// where the parts are inside the read buffer.
struct IRCLine {
    /// The line's bytes without CR LF; valid only until the read buffer is reused.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The nick of the `:nick!user@host` prefix, empty when there is no prefix.
    private(set) var sourceNick: Range<Int> = 0..<0
    /// The command word or three-digit numeric.
    private(set) var command: Range<Int> = 0..<0
    private var paramRanges: (Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0)
    /// Number of parameters found (at most four are kept; the last kept one may be a trailing one).
    private(set) var paramCount = 0

    /// Splits `bytes`; tags (`@…`) are skipped since the generator never asks for any.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        let end = bytes.count
        var index = 0
        if index < end && bytes[index] == UInt8(ascii: "@") {
            while index < end && bytes[index] != UInt8(ascii: " ") { index += 1 }
            while index < end && bytes[index] == UInt8(ascii: " ") { index += 1 }
        }
        if index < end && bytes[index] == UInt8(ascii: ":") {
            index += 1
            let start = index
            var nickEnd = -1
            while index < end && bytes[index] != UInt8(ascii: " ") {
                if nickEnd < 0 && (bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "@")) { nickEnd = index }
                index += 1
            }
            sourceNick = start..<(nickEnd < 0 ? index : nickEnd)
            while index < end && bytes[index] == UInt8(ascii: " ") { index += 1 }
        }
        let commandStart = index
        while index < end && bytes[index] != UInt8(ascii: " ") { index += 1 }
        command = commandStart..<index
        while index < end && paramCount < 4 {
            while index < end && bytes[index] == UInt8(ascii: " ") { index += 1 }
            guard index < end else { break }
            let range: Range<Int>
            if bytes[index] == UInt8(ascii: ":") || paramCount == 3 {
                let start = bytes[index] == UInt8(ascii: ":") ? index + 1 : index
                range = start..<end
                index = end
            } else {
                let start = index
                while index < end && bytes[index] != UInt8(ascii: " ") { index += 1 }
                range = start..<index
            }
            switch paramCount {
            case 0: paramRanges.0 = range
            case 1: paramRanges.1 = range
            case 2: paramRanges.2 = range
            default: paramRanges.3 = range
            }
            paramCount += 1
        }
    }

    /// The range of parameter `index`, or nil.
    func param(_ index: Int) -> Range<Int>? {
        guard index < paramCount else { return nil }
        switch index {
        case 0: return paramRanges.0
        case 1: return paramRanges.1
        case 2: return paramRanges.2
        default: return paramRanges.3
        }
    }

    /// The last parameter (the trailing one when present).
    var lastParam: Range<Int>? { paramCount == 0 ? nil : param(paramCount - 1) }

    /// The three-digit numeric as a number, or nil for word commands.
    var numeric: Int? {
        guard command.count == 3 else { return nil }
        var value = 0
        for index in command {
            let digit = Int(bytes[index]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// True when the command is exactly `word` (ASCII, already upper-case).
    @inline(__always)
    func commandIs(_ word: StaticString) -> Bool {
        equal(command, word)
    }

    /// True when the bytes in `range` are exactly `word`.
    func equal(_ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    /// True when the bytes in `range` are exactly `other`.
    func equal(_ range: Range<Int>, _ other: [UInt8]) -> Bool {
        guard range.count == other.count else { return false }
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != other[offset] { return false }
        return true
    }

    /// Parses the decimal number that follows `prefixLength` bytes of `range` (e.g. the index in
    /// a nick like `c123`), or nil when those bytes are not all digits.
    func number(in range: Range<Int>, after prefixLength: Int) -> Int? {
        guard range.count > prefixLength else { return nil }
        var value = 0
        for index in (range.lowerBound + prefixLength)..<range.upperBound {
            let digit = Int(bytes[index]) - 48
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value &* 10 &+ digit
        }
        return value
    }

    /// The line as text, for error messages only.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The bytes of `range` as text, for error messages only.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// Reads the space-separated decimal numbers the generator puts in message text.
struct NumberScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index: Int
    private let end: Int

    /// Scans `range` of `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        self.bytes = bytes
        self.index = range.lowerBound
        self.end = range.upperBound
    }

    /// The next number, or nil when the next word is not one.
    @inline(__always)
    mutating func next() -> UInt64? {
        while index < end && bytes[index] == UInt8(ascii: " ") { index += 1 }
        var value: UInt64 = 0
        var digits = 0
        while index < end {
            let digit = bytes[index] &- 48
            guard digit <= 9 else { break }
            value = value &* 10 &+ UInt64(digit)
            digits += 1
            index += 1
        }
        return digits > 0 ? value : nil
    }
}
