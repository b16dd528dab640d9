/// A screen held in memory: what the renderer drew, readable as text for snapshot tests.
final class MemoryScreen: Screen {
    private(set) var rows: Int
    private(set) var columns: Int
    /// Each cell's text; "" marks the second column of a wide grapheme.
    private(set) var grid: [[String]]
    private(set) var styles: [[Style]]
    private(set) var cursor: (row: Int, column: Int)?
    /// How many times the screen was presented.
    private(set) var presentCount = 0

    /// Creates a blank screen.
    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        grid = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        styles = Array(repeating: Array(repeating: .plain, count: columns), count: rows)
    }

    /// Changes the size and blanks the screen.
    func resize(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        clear()
    }

    func clear() {
        grid = Array(repeating: Array(repeating: " ", count: columns), count: rows)
        styles = Array(repeating: Array(repeating: .plain, count: columns), count: rows)
    }

    func put(_ cells: ArraySlice<Cell>, row: Int, column: Int) {
        guard row >= 0, row < rows else { return }
        var x = column
        for cell in cells {
            guard x < columns else { break }
            if x < 0 {
                x += cell.width
                continue
            }
            if x + cell.width > columns {
                for blank in x..<columns {
                    grid[row][blank] = " "
                    styles[row][blank] = cell.style
                }
                break
            }
            grid[row][x] = cell.text
            styles[row][x] = cell.style
            for extra in 1..<max(1, cell.width) {
                grid[row][x + extra] = ""
                styles[row][x + extra] = cell.style
            }
            x += cell.width
        }
    }

    func setCursor(row: Int?, column: Int) {
        cursor = row.map { ($0, column) }
    }

    func present() {
        presentCount += 1
    }

    /// Row `row` as text, trailing blanks removed.
    func line(_ row: Int) -> String {
        var text = grid[row].joined()
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// The whole screen as text, one line per row.
    var text: String {
        (0..<rows).map(line).joined(separator: "\n")
    }

    /// True when some row contains `needle`.
    func contains(_ needle: String) -> Bool {
        (0..<rows).contains { line($0).contains(needle) }
    }

    /// The style at a position.
    func style(row: Int, column: Int) -> Style {
        styles[row][column]
    }
}
