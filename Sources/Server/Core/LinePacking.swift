/// Packs list items (nicks, rooms, capabilities) into as few lines as fit a byte budget.
enum LinePacking {
    /// Joins `entries` with `separator` into texts of at most `budget` bytes each, in order.
    /// An entry longer than the budget gets a text of its own rather than being cut.
    static func pack(_ entries: [String], separator: String, budget: Int) -> [String] {
        var texts: [String] = []
        var chunk: [String] = []
        var length = 0
        let separatorBytes = separator.utf8.count
        for entry in entries {
            let added = entry.utf8.count + (chunk.isEmpty ? 0 : separatorBytes)
            if !chunk.isEmpty, length + added > budget {
                texts.append(chunk.joined(separator: separator))
                chunk.removeAll()
                length = 0
            }
            length += entry.utf8.count + (chunk.isEmpty ? 0 : separatorBytes)
            chunk.append(entry)
        }
        if !chunk.isEmpty { texts.append(chunk.joined(separator: separator)) }
        return texts
    }
}
