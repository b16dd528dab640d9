/// The F1 / /help overlay: every key and every command, drawn over the message pane.
enum HelpOverlay {
    /// The overlay's lines, keys first.
    static func lines() -> [(String, String)] {
        var lines: [(String, String)] = [("Keys", "")]
        lines += CommandTable.keys
        lines.append(("", ""))
        lines.append(("Commands", ""))
        lines += CommandTable.all.map { ($0.usage, $0.summary) }
        lines.append(("", ""))
        lines.append(("Esc, F1 or q closes this help", ""))
        return lines
    }

    static func draw(layout: Layout, on screen: Screen) {
        let width = layout.paneWidth
        let lines = lines()
        let keyWidth = min(lines.map { DisplayWidth.of($0.0) }.max() ?? 0, max(8, width / 2))
        let border = Style(foreground: 6)
        for row in 0..<layout.paneHeight {
            let screenRow = layout.paneTop + row
            screen.fill(row: screenRow, column: layout.paneLeft, count: width, style: .plain)
            guard row < lines.count else { continue }
            let (key, summary) = lines[row]
            if summary.isEmpty {
                screen.put(FormattedText.plainCells(key, style: Style(foreground: 6, bold: true)), row: screenRow,
                           column: layout.paneLeft + 1)
                continue
            }
            var keyCells = FormattedText.plainCells(key, style: Style(bold: true))
            while keyCells.reduce(0, { $0 + $1.width }) > keyWidth { keyCells.removeLast() }
            screen.put(keyCells, row: screenRow, column: layout.paneLeft + 1)
            screen.put(FormattedText.plainCells(summary, style: .plain), row: screenRow,
                       column: layout.paneLeft + 2 + keyWidth)
        }
        if lines.count > layout.paneHeight, layout.paneHeight > 0 {
            screen.put(FormattedText.plainCells("… (enlarge the terminal for the rest)", style: border),
                       row: layout.paneTop + layout.paneHeight - 1, column: layout.paneLeft + 1)
        }
    }
}
