/// How a cell is drawn: colours from the 256-colour palette plus attributes.
public struct Style: Hashable, Sendable {
    /// Foreground colour index (0–255), nil for the terminal default.
    public var foreground: UInt8?
    /// Background colour index (0–255), nil for the terminal default.
    public var background: UInt8?
    public var bold = false
    public var dim = false
    public var italic = false
    public var underline = false
    public var reverse = false

    /// Creates a style.
    public init(foreground: UInt8? = nil, background: UInt8? = nil, bold: Bool = false, dim: Bool = false,
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
    public static let plain = Style()
}

/// One grapheme (or one character of a stand-in) with its width and style.
public struct Cell: Equatable, Sendable {
    /// Printable text: never contains a control character.
    public var text: String
    /// Columns it takes.
    public var width: Int
    public var style: Style

    /// Creates a cell.
    public init(_ text: String, width: Int, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }

    /// True for a blank that a line may break after.
    public var isSpace: Bool { text == " " }
}
