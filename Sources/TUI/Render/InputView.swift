/// The input row: a prompt naming where text goes, then the editor scrolled sideways so the
/// cursor is always visible; or the question a multi-line paste asks; or the sidebar filter.
enum InputView {
    static func draw(_ state: AppState, layout: Layout, on screen: Screen) {
        let row = layout.inputRow
        if let lines = state.pasteConfirm {
            let question = "Send \(lines.count) pasted lines to \(state.currentConversation.name)? [y]es / [n]o (keeps them here)"
            screen.put(FormattedText.plainCells(question, style: Style(foreground: 11, bold: true)), row: row, column: 0)
            screen.setCursor(row: nil, column: 0)
            return
        }
        if let prompt = state.passwordPrompt {
            let question: String
            switch prompt.purpose {
            case .login(let account): question = "Password for \(account) (Esc: stay a guest): "
            case .register: question = "New password for the account \(state.nick) (Esc cancels): "
            }
            // Masked: one star per character typed, never the characters themselves.
            var cells = FormattedText.plainCells(question, style: Style(foreground: 11, bold: true))
            let questionWidth = cells.reduce(0) { $0 + $1.width }
            cells += FormattedText.plainCells(String(repeating: "*", count: prompt.editor.characters.count))
            screen.put(cells, row: row, column: 0)
            screen.setCursor(row: row, column: min(questionWidth + prompt.editor.cursor, layout.columns - 1))
            return
        }
        if let focus = state.sidebarFocus {
            var cells = FormattedText.plainCells("[sidebar] filter: ", style: Style(foreground: 6, bold: true))
            cells += FormattedText.plainCells(focus.filter)
            let width = cells.reduce(0) { $0 + $1.width }
            screen.put(cells, row: row, column: 0)
            screen.setCursor(row: row, column: min(width, layout.columns - 1))
            return
        }
        let target = state.current == .server ? state.networkName : state.currentConversation.name
        let prompt = FormattedText.plainCells("[\(target)] ", style: Style(foreground: 6, bold: true))
        let promptWidth = min(prompt.reduce(0) { $0 + $1.width }, layout.columns / 2)
        let available = max(1, layout.columns - promptWidth)
        screen.put(prompt, row: row, column: 0)
        let (cells, cursorColumn) = visibleText(state.editor, width: available)
        screen.put(cells, row: row, column: promptWidth)
        screen.setCursor(row: row, column: promptWidth + cursorColumn)
    }

    /// The slice of the editor's text to show in `width` columns and the cursor's column in it.
    ///
    /// Scrolls by half a width at a time (as irssi does), so the view does not jitter on
    /// every key press.
    static func visibleText(_ editor: LineEditor, width: Int) -> ([Cell], Int) {
        var cells: [Cell] = []
        var cursorCell = 0
        for (index, character) in editor.characters.enumerated() {
            if index == editor.cursor { cursorCell = cells.count }
            FormattedText.append(character, style: .plain, to: &cells)
        }
        if editor.cursor >= editor.characters.count { cursorCell = cells.count }
        var cursorColumn = 0
        for index in 0..<cursorCell { cursorColumn += cells[index].width }
        let step = max(1, width / 2)
        var startColumn = 0
        while cursorColumn - startColumn >= width { startColumn += step }
        var shown: [Cell] = []
        var column = 0
        for cell in cells {
            defer { column += cell.width }
            if column < startColumn { continue }
            if column - startColumn + cell.width > width { break }
            shown.append(cell)
        }
        return (shown, cursorColumn - startColumn)
    }
}
