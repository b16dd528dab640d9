/// Turns text from the network into graphemes that are safe to hand to the terminal.
///
/// A C0 control shows as caret notation (`^[`), DEL as `^?`, a C1 control as `<9B>`, and a
/// code point the terminal cannot print (or a bidi override that would reorder the screen)
/// as `<U+202E>`; nothing that could start an escape sequence is ever written raw.
enum Sanitizer {
    /// Tabs expand to this many spaces; terminals disagree on tab stops inside a pane.
    static let tabWidth = 4

    /// True when `character` can be written to the terminal as it is.
    static func isPrintable(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        // A lone zero-width code point (ZWSP, a stray joiner) would take no cell at all.
        if scalars.count == 1, let only = scalars.first, only.value >= 0xA0, DisplayWidth.wcwidthOf(only.value) == 0 {
            return false
        }
        for scalar in character.unicodeScalars where !isPrintableScalar(scalar) { return false }
        return true
    }

    /// The printable text that stands for `character`, and whether it is a stand-in
    /// (drawn in reverse video so it cannot pass for real text).
    static func visibleForm(_ character: Character) -> (text: String, isStandIn: Bool) {
        if character == "\t" { return (String(repeating: " ", count: tabWidth), false) }
        if isPrintable(character) { return (String(character), false) }
        var out = ""
        for scalar in character.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || value == 0x7F {
                out += value == 0x7F ? "^?" : "^" + String(UnicodeScalar(UInt8(value) + 0x40))
            } else if value >= 0x80 && value < 0xA0 {
                out += "<" + hex(value) + ">"
            } else if !isPrintableScalar(scalar) || character.unicodeScalars.count == 1 {
                out += "<U+" + hex(value) + ">"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return (out, true)
    }

    private static func isPrintableScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value >= 0x20 && value < 0x7F { return true }
        if value < 0xA0 { return false }
        switch value {
        case 0x200E...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFFF9...0xFFFB: return false
        case 0x200D, 0xFE0F, 0xFE0E, 0x20E3, 0xE0020...0xE007F: return true
        default: return DisplayWidth.wcwidthOf(value) >= 0
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count < 2 ? "0" + digits : digits
    }
}
