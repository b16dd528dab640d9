import CSupport
import Foundation
import Synchronization

/// Which emoji sequences the terminal draws as one two-column glyph: bit 0 skin-tone
/// modifiers, bit 1 ZWJ sequences. Both by default; ``TerminalProbe`` asks the terminal at
/// startup (tmux 3.3, for one, draws a skin tone as a second two-column glyph).
let emojiCombining = Atomic<UInt8>(0b11)

/// Terminal column widths, measured per grapheme cluster (`Character`).
///
/// `wcwidth` is right for single code points but wrong for emoji sequences: a skin-tone
/// modifier, a ZWJ family, a VS16 selector or a flag pair each occupy two columns in a
/// modern terminal even though the sum of their scalars' widths says otherwise.
enum DisplayWidth {
    /// `wcwidth` needs a UTF-8 `LC_CTYPE`; tests run without `LANG`, so fall back to C.UTF-8.
    private static let localeReady: Bool = {
        if setlocale(LC_CTYPE, "") == nil || wcwidth(0x4E16) != 2 {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        return wcwidth(0x4E16) == 2
    }()

    /// Selects a UTF-8 character type locale; true when wide characters measure correctly.
    @discardableResult
    static func prepareLocale() -> Bool {
        localeReady
    }

    /// Columns `character` occupies once drawn; a character that is not printable as it is
    /// reports the width of the stand-in ``Sanitizer`` shows for it.
    static func of(_ character: Character) -> Int {
        if character == "\t" { return Sanitizer.tabWidth }
        guard Sanitizer.isPrintable(character) else {
            return of(Sanitizer.visibleForm(character).text)
        }
        return ofPrintable(character)
    }

    /// Columns a whole string occupies.
    static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// Width of a grapheme already known to be printable.
    static func ofPrintable(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value >= 0x20 && first.value < 0x7F && scalars.count == 1 { return 1 }
        if scalars.count > 1 && isEmojiSequence(scalars) { return emojiSequenceWidth(scalars) }
        // A combining mark with nothing to sit on still takes a cell of its own.
        return max(wcwidthOf(first.value), 1)
    }

    /// `wcwidth` of one code point in the UTF-8 locale.
    static func wcwidthOf(_ value: UInt32) -> Int {
        _ = localeReady
        return Int(wcwidth(wchar_t(bitPattern: value)))
    }

    /// Two columns when the terminal combines the sequence; otherwise what it draws instead:
    /// each visible scalar side by side.
    static func emojiSequenceWidth(_ scalars: Character.UnicodeScalarView,
                                   combining: UInt8 = emojiCombining.load(ordering: .relaxed)) -> Int {
        let hasJoiner = scalars.contains { $0.value == 0x200D }
        let hasModifier = scalars.contains { (0x1F3FB...0x1F3FF).contains($0.value) }
        let combined = (!hasJoiner || combining & 0b10 != 0) && (!hasModifier || combining & 0b01 != 0)
        if combined { return 2 }
        return max(2, scalars.reduce(0) { $0 + max(0, wcwidthOf($1.value)) })
    }

    private static func isEmojiSequence(_ scalars: Character.UnicodeScalarView) -> Bool {
        var regionalIndicators = 0
        for scalar in scalars {
            switch scalar.value {
            case 0xFE0F, 0x200D, 0x20E3: return true
            case 0x1F3FB...0x1F3FF: return true
            case 0x1F1E6...0x1F1FF: regionalIndicators += 1
            case 0xE0020...0xE007F: return true // tag sequences (subdivision flags)
            default: break
            }
        }
        return regionalIndicators >= 2
    }
}
