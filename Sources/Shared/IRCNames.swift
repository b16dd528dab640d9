/// Syntax rules for nicks and room names.
public enum IRCNames {
    /// True when `nick` is a valid nickname of at most `maxLength` bytes.
    ///
    /// First character a letter or one of `[]\`_^{|}`; then also digits and `-`. This is the
    /// RFC 2812 rule, which every client and server agrees on.
    public static func isValidNick(_ nick: String, maxLength: Int) -> Bool {
        let bytes = nick.utf8
        guard let first = bytes.first, bytes.count <= maxLength else { return false }
        guard isLetter(first) || isSpecial(first) else { return false }
        return bytes.allSatisfy { isLetter($0) || isSpecial($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    /// True when `name` is a valid room name (`#` followed by at least one character, no space,
    /// comma, BELL, colon, or control character) of at most `maxLength` bytes.
    public static func isValidRoom(_ name: String, maxLength: Int) -> Bool {
        let bytes = name.utf8
        guard bytes.count >= 2, bytes.count <= maxLength, bytes.first == UInt8(ascii: "#") else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: ",") && $0 != 0x07 && $0 != 0x7F && $0 != UInt8(ascii: ":") }
    }

    /// True when `target` names a room rather than a nick.
    public static func isRoom(_ target: String) -> Bool {
        target.utf8.first == UInt8(ascii: "#")
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isSpecial(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"), UInt8(ascii: "`"),
             UInt8(ascii: "_"), UInt8(ascii: "^"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"):
            return true
        default: return false
        }
    }
}
