/// Case-insensitive comparison of nicks and room names, as ISUPPORT `CASEMAPPING` names it.
public enum IRCCaseMapping: String, Sendable {
    /// `A-Z` fold to `a-z` only.
    case ascii
    /// `A-Z[]\~` fold to `a-z{}|^` (RFC 1459's Scandinavian rule).
    case rfc1459
    /// `A-Z[]\` fold to `a-z{}|`.
    case strictRFC1459 = "strict-rfc1459"

    /// The folded (lower-case) form of `name`, for use as a dictionary key.
    public func fold(_ name: String) -> String {
        var needsWork = false
        for byte in name.utf8 where Self.foldByte(byte, self) != byte {
            needsWork = true
            break
        }
        guard needsWork else { return name }
        var bytes = Array(name.utf8)
        for index in bytes.indices { bytes[index] = Self.foldByte(bytes[index], self) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when `a` and `b` name the same nick or room.
    public func equal(_ a: String, _ b: String) -> Bool {
        fold(a) == fold(b)
    }

    @inline(__always)
    static func foldByte(_ byte: UInt8, _ mapping: IRCCaseMapping) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte + 32
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"):
            return mapping == .ascii ? byte : byte + 32
        case UInt8(ascii: "~"):
            return mapping == .rfc1459 ? UInt8(ascii: "^") : byte
        default: return byte
        }
    }
}
