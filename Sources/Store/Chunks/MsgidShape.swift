/// The msgid form chat-server generates: eight alphanumerics fixed per server start, then a
/// base-36 counter (`k3x9q0zab` + `1f`). Messages whose msgids have this form and rise are
/// found through their chunk's counter range, with no index entry of their own; any other msgid
/// is stored in `chunk_msgid`.
///
/// Parsed once per stored message, so from the UTF-8 bytes in place: the prefix as one 8-byte
/// word checked eight characters at a time, then the digits.
struct MsgidShape: Hashable {
    /// The eight prefix bytes, packed.
    let prefix: UInt64
    let counter: Int64

    static let prefixLength = 8
    /// 36^12 > Int64.max is not reached below 13 digits; 12 keeps every counter in range.
    static let maxCounterDigits = 12

    /// The shape of `msgid`, nil when it has another form (including a counter with a leading
    /// zero, which would not print back the same). Borrowed: the caller keeps its String, so
    /// no retain and release per message.
    init?(_ msgid: borrowing String) {
        let count = msgid.utf8.count
        // Most other msgids are turned away by their length alone.
        guard count > Self.prefixLength, count <= Self.prefixLength + Self.maxCounterDigits else { return nil }
        let parsed: MsgidShape?
        if let inPlace = msgid.utf8.withContiguousStorageIfAvailable({ Self.parse($0) }) {
            parsed = inPlace
        } else {
            // A String without contiguous UTF-8 (never made by this program on Linux) is made so once.
            var contiguous = copy msgid
            parsed = contiguous.withUTF8 { Self.parse($0) }
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// The shape of a msgid given as its UTF-8 bytes (a field of a line or of a stored body), nil
    /// when it has another form.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard let parsed = Self.parse(bytes) else { return nil }
        self = parsed
    }

    private init(prefix: UInt64, counter: Int64) {
        self.prefix = prefix
        self.counter = counter
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> MsgidShape? {
        let count = bytes.count
        guard count > prefixLength, count <= prefixLength + maxCounterDigits, let start = bytes.baseAddress else { return nil }
        let word = UnsafeRawPointer(start).loadUnaligned(as: UInt64.self)
        guard isAlphanumeric(word) else { return nil }
        if start[prefixLength] == UInt8(ascii: "0"), count > prefixLength + 1 { return nil }
        var counter: Int64 = 0
        for index in prefixLength..<count {
            let byte = start[index]
            let digit: UInt8
            if byte &- UInt8(ascii: "0") < 10 {
                digit = byte &- UInt8(ascii: "0")
            } else if byte &- UInt8(ascii: "a") < 26 {
                digit = byte &- UInt8(ascii: "a") &+ 10
            } else {
                return nil
            }
            // At most twelve digits: below 36^12, far from overflowing.
            counter = counter &* 36 &+ Int64(digit)
        }
        // Memory order: the first character lands in the highest byte, as the packed form has it.
        return MsgidShape(prefix: UInt64(bigEndian: word), counter: counter)
    }

    static func with(prefix: UInt64, counter: Int64) -> MsgidShape {
        MsgidShape(prefix: prefix, counter: counter)
    }

    /// The msgid as text.
    var msgid: String {
        Self.prefixText(prefix) + String(counter, radix: 36)
    }

    static func prefixText(_ prefix: UInt64) -> String {
        withUnsafeBytes(of: prefix.bigEndian) { String(decoding: $0, as: UTF8.self) }
    }

    /// The packed form of an eight-character prefix as stored in a column; nil for anything else.
    static func packedPrefix(_ text: String) -> UInt64? {
        guard text.utf8.count == prefixLength else { return nil }
        var contiguous = text
        return contiguous.withUTF8 { bytes -> UInt64? in
            guard let start = bytes.baseAddress else { return nil }
            let word = UnsafeRawPointer(start).loadUnaligned(as: UInt64.self)
            return isAlphanumeric(word) ? UInt64(bigEndian: word) : nil
        }
    }

    /// True when each of the eight bytes of `word` is an ASCII letter or digit, tested all at once.
    private static func isAlphanumeric(_ word: UInt64) -> Bool {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        guard word & highBits == 0 else { return false }
        // Setting 0x20 folds upper case onto lower case and moves nothing else into a-z.
        let digits = bytesInRange(word, UInt8(ascii: "0"), UInt8(ascii: "9"))
        let letters = bytesInRange(word | 0x2020_2020_2020_2020, UInt8(ascii: "a"), UInt8(ascii: "z"))
        return digits | letters == highBits
    }

    /// The high bit of each byte of `word` (all below 0x80) set where the byte lies in `low...high`.
    /// Adding `0x80 - low` to such a byte sets its high bit exactly when it is at least `low`;
    /// adding `0x7F - high`, exactly when it is above `high`; neither sum carries into the next byte.
    private static func bytesInRange(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let atLeastLow = word &+ ones &* UInt64(0x80 - low)
        let aboveHigh = word &+ ones &* UInt64(0x7F - high)
        return atLeastLow & ~aboveHigh & 0x8080_8080_8080_8080
    }
}
