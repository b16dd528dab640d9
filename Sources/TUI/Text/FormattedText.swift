/// Reads IRC formatting codes (bold, italic, underline, colours, reverse, reset) into
/// styled cells; the codes themselves are never drawn and never reach the terminal.
enum FormattedText {
    /// Splits `text` into printable cells, starting from `base`.
    static func cells(_ text: String, base: Style = .plain) -> [Cell] {
        var cells: [Cell] = []
        cells.reserveCapacity(text.utf8.count)
        var style = base
        var iterator = Array(text).makeIterator()
        var lookahead: Character? = iterator.next()
        func advance() -> Character? {
            let current = lookahead
            lookahead = iterator.next()
            return current
        }
        while let character = advance() {
            switch character {
            case "\u{02}": style.bold.toggle()
            case "\u{1D}": style.italic.toggle()
            case "\u{1F}": style.underline.toggle()
            case "\u{16}": style.reverse.toggle()
            case "\u{1E}", "\u{11}": break // strikethrough and monospace: no curses attribute
            case "\u{0F}": style = base
            case "\u{03}":
                var foreground = ""
                while foreground.count < 2, let next = lookahead, next.isASCII, next.isNumber {
                    foreground.append(next)
                    _ = advance()
                }
                if foreground.isEmpty {
                    style.foreground = base.foreground
                    style.background = base.background
                    break
                }
                style.foreground = IRCColor.palette(Int(foreground) ?? 99) ?? base.foreground
                if lookahead == "," {
                    // Only a comma followed by a digit starts a background colour.
                    var rest = iterator
                    if let afterComma = rest.next(), afterComma.isASCII, afterComma.isNumber {
                        _ = advance()
                        var background = ""
                        while background.count < 2, let next = lookahead, next.isASCII, next.isNumber {
                            background.append(next)
                            _ = advance()
                        }
                        style.background = IRCColor.palette(Int(background) ?? 99) ?? base.background
                    }
                }
            case "\u{04}":
                // Hex colour: skip the RRGGBB[,RRGGBB] digits, keep the current colours.
                for _ in 0..<6 where lookahead?.isHexDigit == true { _ = advance() }
                if lookahead == "," {
                    var rest = iterator
                    if rest.next()?.isHexDigit == true {
                        _ = advance()
                        for _ in 0..<6 where lookahead?.isHexDigit == true { _ = advance() }
                    }
                }
            default:
                append(character, style: style, to: &cells)
            }
        }
        return cells
    }

    /// Appends the cells for one grapheme: the grapheme itself, or its stand-in in reverse.
    static func append(_ character: Character, style: Style, to cells: inout [Cell]) {
        if Sanitizer.isPrintable(character) {
            cells.append(Cell(String(character), width: DisplayWidth.ofPrintable(character), style: style))
            return
        }
        let (visible, isStandIn) = Sanitizer.visibleForm(character)
        var standInStyle = style
        if isStandIn { standInStyle.reverse.toggle() }
        for part in visible {
            cells.append(Cell(String(part), width: DisplayWidth.of(part), style: standInStyle))
        }
    }

    /// Cells for plain text (formatting codes shown as stand-ins, not applied).
    static func plainCells(_ text: String, style: Style = .plain) -> [Cell] {
        var cells: [Cell] = []
        for character in text { append(character, style: style, to: &cells) }
        return cells
    }

    /// `text` without any formatting codes: what a highlight check or a search should see.
    static func stripped(_ text: String) -> String {
        cells(text).map(\.text).joined()
    }
}
