import Shared

/// Turns a conversation's lines into screen rows, newest first, producing only as many as
/// are asked for: drawing a conversation of 100,000 lines touches only the visible ones.
enum MessageRows {
    /// One screen row of the message pane.
    struct Row: Equatable, Sendable {
        var cells: [Cell]
    }

    /// The rows that fill the pane for `conversation` at its scroll position, top to bottom.
    static func visible(_ conversation: Conversation, layout: Layout, utcOffset: Int, nick: String) -> [Row] {
        let height = layout.paneHeight
        guard height > 0 else { return [] }
        var rows: [Row] = []
        rows.reserveCapacity(height)
        var skipped = 0
        walk(conversation, width: layout.paneWidth, utcOffset: utcOffset, nick: nick) { row in
            if skipped < conversation.scrollRows {
                skipped += 1
                return true
            }
            rows.append(row)
            return rows.count < height
        }
        return rows.reversed()
    }

    /// The largest scroll offset up to `wanting` that still leaves a full pane of rows.
    static func maxScroll(_ conversation: Conversation, layout: Layout, utcOffset: Int, wanting: Int) -> Int {
        var count = 0
        let needed = wanting + layout.paneHeight
        walk(conversation, width: layout.paneWidth, utcOffset: utcOffset, nick: "") { _ in
            count += 1
            return count < needed
        }
        return max(0, min(wanting, count - layout.paneHeight))
    }

    /// How many rows `line` takes in a pane `width` wide (used to keep a scrolled view still).
    static func rowCount(_ line: ChatLine, width: Int, utcOffset: Int) -> Int {
        rows(for: line, width: width, utcOffset: utcOffset, nick: "").count
    }

    /// Calls `body` with each row from the newest up, while it returns true.
    static func walk(_ conversation: Conversation, width: Int, utcOffset: Int, nick: String, body: (Row) -> Bool) {
        let lines = conversation.lines
        var index = lines.count - 1
        while index >= 0 {
            let line = lines[index]
            for row in rows(for: line, width: width, utcOffset: utcOffset, nick: nick).reversed() {
                if !body(row) { return }
            }
            if conversation.firstUnread == index {
                if !body(markerRow("new messages", width: width, style: Style(foreground: 9))) { return }
            }
            let day = CalendarDay(milliseconds: line.time, utcOffset: utcOffset)
            if index == 0 || CalendarDay(milliseconds: lines[index - 1].time, utcOffset: utcOffset).dayNumber != day.dayNumber {
                if !body(markerRow(day.longText, width: width, style: Style(dim: true))) { return }
            }
            index -= 1
        }
    }

    /// A full-width rule with a label in it: `── new messages ─────`.
    static func markerRow(_ label: String, width: Int, style: Style) -> Row {
        var cells = FormattedText.plainCells("── " + label + " ", style: style)
        let used = cells.reduce(0) { $0 + $1.width }
        if used < width {
            cells += Array(repeating: Cell("─", width: 1, style: style), count: width - used)
        }
        return Row(cells: cells)
    }

    /// The rows of one line: time, sender and text, wrapped with continuation rows indented
    /// under the text.
    static func rows(for line: ChatLine, width: Int, utcOffset: Int, nick: String) -> [Row] {
        let dim = Style(dim: true)
        var prefix = FormattedText.plainCells(CalendarDay.clock(milliseconds: line.time, utcOffset: utcOffset) + " ", style: dim)
        var textStyle = Style.plain
        switch line.kind {
        case .message, .action, .notice:
            let sender = line.sender ?? "?"
            var nickStyle = Style(foreground: IRCColor.forNick(sender), bold: line.isSelf)
            if line.isHighlight { nickStyle = Style(foreground: 11, bold: true, reverse: true) }
            let (open, close) = line.kind == .message ? ("<", "> ") : line.kind == .notice ? ("-", "- ") : ("* ", " ")
            prefix += FormattedText.plainCells(open, style: dim)
            prefix += FormattedText.plainCells(sender, style: nickStyle)
            prefix += FormattedText.plainCells(close, style: line.kind == .action ? .plain : dim)
            if line.isPending { textStyle.dim = true }
        case .event:
            prefix += FormattedText.plainCells("-!- ", style: Style(foreground: 6))
            textStyle = Style(dim: true)
        case .info:
            prefix += FormattedText.plainCells("-- ", style: Style(foreground: 6))
        case .error:
            prefix += FormattedText.plainCells("!! ", style: Style(foreground: 9, bold: true))
            textStyle = Style(foreground: 9)
        }
        let text = FormattedText.cells(line.text, base: textStyle)
        let prefixWidth = prefix.reduce(0) { $0 + $1.width }
        let indent = prefixWidth <= width / 2 ? prefixWidth : min(6, max(0, width / 4))
        let ranges = WordWrap.rows(text, firstWidth: width - prefixWidth, width: max(1, width - indent))
        var result: [Row] = []
        result.reserveCapacity(ranges.count)
        let pad = Array(repeating: Cell(" ", width: 1, style: .plain), count: indent)
        for (number, range) in ranges.enumerated() {
            result.append(Row(cells: (number == 0 ? prefix : pad) + text[range]))
        }
        if result.isEmpty { result.append(Row(cells: prefix)) }
        return result
    }
}
