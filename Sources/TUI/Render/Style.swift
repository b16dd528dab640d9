/// How a cell is drawn: colours from the 256-colour palette plus attributes.
struct Style: Hashable, Sendable {
    /// Foreground colour index (0–255), nil for the terminal default.
    var foreground: UInt8?
    /// Background colour index (0–255), nil for the terminal default.
    var background: UInt8?
    var bold = false
    var dim = false
    var italic = false
    var underline = false
    var reverse = false

    /// Creates a style.
    init(foreground: UInt8? = nil, background: UInt8? = nil, bold: Bool = false, dim: Bool = false,
                italic: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }

    /// The terminal's default look.
    static let plain = Style()
}

/// One grapheme (or one character of a stand-in) with its width and style.
struct Cell: Equatable, Sendable {
    /// Printable text: never contains a control character.
    var text: String
    /// Columns it takes.
    var width: Int
    var style: Style

    /// Creates a cell.
    init(_ text: String, width: Int, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// True for a blank that a line may break after.
    var isSpace: Bool { text == " " }
}
