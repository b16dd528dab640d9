/// Where each part of the screen goes for a terminal size.
public struct Layout: Equatable, Sendable {
    /// Below this the layout is replaced by a notice.
    public static let minimumColumns = 30
    public static let minimumRows = 8

    public let rows: Int
    public let columns: Int

    /// Creates the layout for the size recorded in `state`.
    public init(state: AppState) {
        self.init(rows: state.rows, columns: state.columns)
    }

    /// Creates the layout for a terminal of `rows` × `columns`.
    public init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    public var isTooSmall: Bool { columns < Self.minimumColumns || rows < Self.minimumRows }
    /// About 20 columns, narrower on small terminals so the messages keep most of the width.
    public var sidebarWidth: Int { columns >= 80 ? 20 : max(10, columns / 4) }
    /// The title row (conversation name and topic).
    public var titleRow: Int { 0 }
    public var paneTop: Int { 1 }
    public var paneHeight: Int { max(0, rows - 3) }
    public var paneLeft: Int { sidebarWidth + 1 }
    public var paneWidth: Int { max(1, columns - paneLeft) }
    public var statusRow: Int { rows - 2 }
    public var inputRow: Int { rows - 1 }
}
