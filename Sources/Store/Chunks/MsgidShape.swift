/// The msgid form chat-server generates: eight alphanumerics fixed per server start, then a
/// base-36 counter (`k3x9q0zab` + `1f`). Messages whose msgids have this form and rise are
/// found through their chunk's counter range, with no index entry of their own; any other msgid
/// is stored in `chunk_msgid`.
struct MsgidShape: Hashable {
    /// The eight prefix bytes, packed.
    let prefix: UInt64
    let counter: Int64

    static let prefixLength = 8
    /// 36^12 > Int64.max is not reached below 13 digits; 12 keeps every counter in range.
    static let maxCounterDigits = 12

    /// The shape of `msgid`, nil when it has another form (including a counter with a leading
    /// zero, which would not print back the same).
    init?(_ msgid: String) {
        guard let parsed = msgid.utf8.withContiguousStorageIfAvailable({ Self.parse($0) }) ?? Self.parse(Array(msgid.utf8)) else {
            return nil
        }
        self = parsed
    }

    private init(prefix: UInt64, counter: Int64) {
        self.prefix = prefix
        self.counter = counter
    }

    private static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> MsgidShape? where Bytes.Index == Int {
        let count = bytes.count
        guard count > prefixLength, count <= prefixLength + maxCounterDigits else { return nil }
        let start = bytes.startIndex
        var prefix: UInt64 = 0
        for index in 0..<prefixLength {
            let byte = bytes[start + index]
            guard isAlphanumeric(byte) else { return nil }
            prefix = prefix << 8 | UInt64(byte)
        }
        let first = bytes[start + prefixLength]
        if first == UInt8(ascii: "0"), count > prefixLength + 1 { return nil }
        var counter: Int64 = 0
        for index in prefixLength..<count {
            guard let digit = base36(bytes[start + index]) else { return nil }
            let (times, overflow) = counter.multipliedReportingOverflow(by: 36)
            guard !overflow else { return nil }
            let (sum, carry) = times.addingReportingOverflow(digit)
            guard !carry else { return nil }
            counter = sum
        }
        return MsgidShape(prefix: prefix, counter: counter)
    }

    static func with(prefix: UInt64, counter: Int64) -> MsgidShape {
        MsgidShape(prefix: prefix, counter: counter)
    }

    /// The msgid as text.
    var msgid: String {
        Self.prefixText(prefix) + String(counter, radix: 36)
    }

    static func prefixText(_ prefix: UInt64) -> String {
        var bytes = [UInt8](repeating: 0, count: prefixLength)
        for index in 0..<prefixLength {
            bytes[index] = UInt8(truncatingIfNeeded: prefix >> UInt64(8 * (prefixLength - 1 - index)))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The packed form of an eight-character prefix as stored in a column; nil for anything else.
    static func packedPrefix(_ text: String) -> UInt64? {
        let bytes = Array(text.utf8)
        guard bytes.count == prefixLength, bytes.allSatisfy(isAlphanumeric) else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func base36(_ byte: UInt8) -> Int64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int64(byte - UInt8(ascii: "a") + 10)
        default: return nil
        }
    }
}
