/// Lines already sent, browsed with Up and Down; the line being typed is kept aside and
/// comes back when browsing goes past the newest entry.
struct InputHistory: Equatable, Sendable {
    /// Oldest first.
    private(set) var entries: [String] = []
    /// The entry shown, nil while editing a fresh line.
    private(set) var position: Int?
    private var draft = ""
    /// How many lines are kept.
    let limit: Int

    /// Creates an empty history keeping at most `limit` lines.
    init(limit: Int = 500) {
        self.limit = limit
    }

    /// Records a sent line (a repeat of the newest entry is not stored twice) and resets browsing.
    mutating func record(_ line: String) {
        position = nil
        draft = ""
        guard !line.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// The older entry to show, or nil when there is none; `current` is the line on screen.
    mutating func older(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        switch position {
        case nil:
            draft = current
            position = entries.count - 1
        case let index? where index > 0:
            position = index - 1
        default:
            return nil
        }
        return position.map { entries[$0] }
    }

    /// The newer entry to show (the saved draft after the newest), or nil when not browsing.
    mutating func newer() -> String? {
        guard let index = position else { return nil }
        if index + 1 < entries.count {
            position = index + 1
            return entries[index + 1]
        }
        position = nil
        return draft
    }

    /// Stops browsing (the user edited the shown line).
    mutating func stopBrowsing() {
        position = nil
    }
}
