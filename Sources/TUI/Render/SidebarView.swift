/// Draws the sidebar: the server entry, then Online, Rooms and Conversations with unread
/// counts; highlights in colour and bold, offline partners dimmed, the current entry marked.
enum SidebarView {
    /// The first sidebar row shown, keeping the selection (or the current entry) in view.
    static func offset(state: AppState, rows: [SidebarRow], height: Int) -> Int {
        let entries = Sidebar.entries(state)
        let keep: Int?
        if let focus = state.sidebarFocus {
            keep = rows.firstIndex(of: .entry(focus.selected))
        } else {
            keep = rows.firstIndex { row in
                if case .entry(let index) = row { return entries[index].target == state.current && entries[index].section != .online }
                return false
            }
        }
        return Sidebar.scrollOffset(rowCount: rows.count, keep: keep, height: height)
    }

    static func draw(_ state: AppState, layout: Layout, on screen: Screen) {
        let width = layout.sidebarWidth
        let entries = Sidebar.entries(state)
        let indices = Sidebar.filtered(entries, by: state.sidebarFocus?.filter ?? "")
        let rows = Sidebar.rows(entries, indices: indices)
        let first = offset(state: state, rows: rows, height: layout.paneHeight)
        for line in 0..<layout.paneHeight {
            let screenRow = layout.paneTop + line
            screen.fill(row: screenRow, column: 0, count: width, style: .plain)
            let rowIndex = first + line
            guard rowIndex < rows.count else { continue }
            switch rows[rowIndex] {
            case .header(let section):
                let text = FormattedText.plainCells(section.rawValue, style: Style(foreground: 6, bold: true))
                screen.put(text, row: screenRow, column: 0)
            case .entry(let index):
                screen.put(entryCells(entries[index], index: index, state: state, width: width), row: screenRow, column: 0)
            }
        }
        let separator = Cell("│", width: 1, style: Style(dim: true))
        for line in 0..<layout.paneHeight {
            screen.put([separator], row: layout.paneTop + line, column: width)
        }
    }

    /// One entry padded to `width`: marker, name (cut with …), unread count at the right.
    static func entryCells(_ entry: SidebarEntry, index: Int, state: AppState, width: Int) -> [Cell] {
        let isCurrent = entry.target == state.current && (entry.section != .online || state.current.kind == .direct)
        let isSelected = state.sidebarFocus?.selected == index
        var style = Style.plain
        if entry.isDimmed { style.dim = true }
        if entry.isHighlight { style.foreground = 13; style.bold = true } else if entry.unread > 0 { style.bold = true }
        if isSelected { style.reverse = true }
        let marker = isCurrent ? ">" : " "
        let count = entry.unread > 0 ? " " + (entry.unread > 999 ? "999+" : String(entry.unread)) : ""
        let room = max(1, width - 1 - count.count)
        var name = FormattedText.plainCells(entry.label, style: style)
        var used = name.reduce(0) { $0 + $1.width }
        if used > room {
            while used > room - 1, let last = name.popLast() { used -= last.width }
            name.append(Cell("…", width: 1, style: style))
            used += 1
        }
        var cells = [Cell(marker, width: 1, style: Style(foreground: 11, bold: true, reverse: isSelected))]
        cells += name
        cells += Array(repeating: Cell(" ", width: 1, style: style), count: max(0, room - used))
        cells += FormattedText.plainCells(count, style: Style(foreground: entry.isHighlight ? 13 : 3, bold: true,
                                                               reverse: isSelected))
        return cells
    }
}
