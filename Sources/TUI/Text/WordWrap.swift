/// Breaks a run of cells into rows of at most a given number of columns.
enum WordWrap {
    /// The rows of `cells` wrapped to `width` columns, as index ranges into `cells`.
    ///
    /// Breaks after a space when one is on the row; a word longer than a row is cut where it
    /// meets the edge. Spaces at a break are kept on the row they end (they draw as blanks).
    static func rows(_ cells: [Cell], width: Int) -> [Range<Int>] {
        rows(cells, firstWidth: width, width: width)
    }

    /// Like ``rows(_:width:)`` with a different width for the first row (it shares its row
    /// with a prefix such as the time and nick).
    static func rows(_ cells: [Cell], firstWidth: Int, width: Int) -> [Range<Int>] {
        guard width > 0 else { return [] }
        guard !cells.isEmpty else { return [0..<0] }
        var rows: [Range<Int>] = []
        var start = 0
        var used = 0
        var lastBreak: Int?
        var index = 0
        while index < cells.count {
            let cell = cells[index]
            let limit = rows.isEmpty ? firstWidth : width
            if used + cell.width > limit && index > start {
                if cell.isSpace {
                    // The space that overflows ends the row; swallow it so the next row
                    // does not start with a blank.
                    rows.append(start..<index)
                    start = index + 1
                    used = 0
                    lastBreak = nil
                    index += 1
                    continue
                }
                if let breakAt = lastBreak, breakAt > start {
                    rows.append(start..<breakAt)
                    start = breakAt
                } else {
                    rows.append(start..<index)
                    start = index
                }
                used = 0
                for cellIndex in start..<index { used += cells[cellIndex].width }
                lastBreak = nil
                continue
            }
            used += cell.width
            if cell.isSpace { lastBreak = index + 1 }
            index += 1
        }
        if start < cells.count { rows.append(start..<cells.count) }
        return rows
    }
}
