/// The F1 / /help overlay: every key and every command, drawn over the message pane,
/// wrapped to its width and scrollable when the pane is short.
enum HelpOverlay {
    /// The overlay's (key, summary) lines, keys first; a line without summary is a heading.
    static func entries() -> [(String, String)] {
        var lines: [(String, String)] = [("Keys", "")]
        lines += CommandTable.keys
        lines.append(("", ""))
        lines.append(("Commands", ""))
        lines += CommandTable.all.map { ($0.usage, $0.summary) }
        return lines
    }

    /// Every row of the overlay for a pane `width` columns wide.
    static func rows(width: Int) -> [[Cell]] {
        let entries = entries()
        let keyWidth = min(entries.map { DisplayWidth.of($0.0) }.max() ?? 0, max(8, width / 2))
        var rows: [[Cell]] = []
        for (key, summary) in entries {
            if summary.isEmpty {
                rows.append([Cell(" ", width: 1, style: .plain)] + FormattedText.plainCells(key, style: Style(foreground: 6, bold: true)))
                continue
            }
            var keyCells = FormattedText.plainCells(key, style: Style(bold: true))
            var used = keyCells.reduce(0) { $0 + $1.width }
            while used > keyWidth, let last = keyCells.popLast() { used -= last.width }
            let lead = [Cell(" ", width: 1, style: .plain)] + keyCells
                + Array(repeating: Cell(" ", width: 1, style: .plain), count: keyWidth - used + 1)
            let text = FormattedText.plainCells(summary)
            let textWidth = max(1, width - keyWidth - 2)
            let pad = Array(repeating: Cell(" ", width: 1, style: .plain), count: keyWidth + 2)
            for (number, range) in WordWrap.rows(text, width: textWidth).enumerated() {
                rows.append((number == 0 ? lead : pad) + text[range])
            }
        }
        return rows
    }

    /// The largest useful scroll offset for a pane of `height` rows (one row is the footer).
    static func maxScroll(width: Int, height: Int) -> Int {
        max(0, rows(width: width).count - max(1, height - 1))
    }

    static func draw(_ state: AppState, layout: Layout, on screen: Screen) {
        let rows = rows(width: layout.paneWidth)
        let visible = max(1, layout.paneHeight - 1)
        let offset = min(state.helpScroll, max(0, rows.count - visible))
        for line in 0..<layout.paneHeight {
            let screenRow = layout.paneTop + line
            screen.fill(row: screenRow, column: layout.paneLeft, count: layout.paneWidth, style: .plain)
            if line < visible, offset + line < rows.count {
                screen.put(rows[offset + line], row: screenRow, column: layout.paneLeft)
            }
        }
        let more = rows.count > visible ? "↑↓ PgUp PgDn scroll · " : ""
        let footer = FormattedText.plainCells(" " + more + "Esc, F1 or q closes", style: Style(foreground: 6, reverse: true))
        screen.put(footer, row: layout.paneTop + layout.paneHeight - 1, column: layout.paneLeft)
    }
}
