/// A key press after decoding, independent of the terminal library.
enum Key: Equatable, Sendable {
    /// A printable grapheme.
    case character(Character)
    /// Ctrl plus a letter, lower-case (`control("a")` is Ctrl-A).
    case control(Character)
    /// Alt (Meta) plus a printable character.
    case alt(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case altUp, altDown
    /// F1…F12.
    case function(Int)
    /// Text from a bracketed paste, delivered whole.
    case paste(String)
    /// A left click at a screen position (0-based).
    case click(row: Int, column: Int)
}
