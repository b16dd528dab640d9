/// Where each part of the screen goes for a terminal size.
struct Layout: Equatable, Sendable {
    /// Below this the layout is replaced by a notice.
    static let minimumColumns = 30
    static let minimumRows = 8

    let rows: Int
    let columns: Int

    /// Creates the layout for the size recorded in `state`.
    init(state: AppState) {
        self.init(rows: state.rows, columns: state.columns)
    }

    /// Creates the layout for a terminal of `rows` × `columns`.
    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    var isTooSmall: Bool { columns < Self.minimumColumns || rows < Self.minimumRows }
    /// About 20 columns, narrower on small terminals so the messages keep most of the width.
    var sidebarWidth: Int { columns >= 80 ? 20 : max(10, columns / 4) }
    /// The title row (conversation name and topic).
    var titleRow: Int { 0 }
    var paneTop: Int { 1 }
    var paneHeight: Int { max(0, rows - 3) }
    var paneLeft: Int { sidebarWidth + 1 }
    var paneWidth: Int { max(1, columns - paneLeft) }
    var statusRow: Int { rows - 2 }
    var inputRow: Int { rows - 1 }
}
