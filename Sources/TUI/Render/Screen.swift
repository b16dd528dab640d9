/// The small drawing surface the renderer needs; ncurses implements it for the terminal
/// and ``MemoryScreen`` for tests.
protocol Screen: AnyObject {
    var rows: Int { get }
    var columns: Int { get }
    /// Blanks everything.
    func clear()
    /// Draws `cells` from (`row`, `column`), clipped at the right edge; a wide grapheme that
    /// would straddle the edge becomes blanks.
    func put(_ cells: ArraySlice<Cell>, row: Int, column: Int)
    /// Places the visible cursor, or hides it when `row` is nil.
    func setCursor(row: Int?, column: Int)
    /// Makes what was drawn visible.
    func present()
}

extension Screen {
    /// Draws a whole array of cells.
    func put(_ cells: [Cell], row: Int, column: Int) {
        put(cells[...], row: row, column: column)
    }

    /// Draws `count` blanks in `style`.
    func fill(row: Int, column: Int, count: Int, style: Style) {
        guard count > 0 else { return }
        put(Array(repeating: Cell(" ", width: 1, style: style), count: count), row: row, column: column)
    }
}
