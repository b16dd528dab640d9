import GRDB

/// Turns one CHATHISTORY subcommand into page queries on one conversation's chunks.
struct HistoryPager {
    let db: Database
    let targetKey: String
    let floorMs: Int64
    let limit: Int

    func run(_ query: HistoryQuery) throws -> [StoredMessage] {
        switch query {
        case .latest(nil):
            return try page(after: nil, before: nil, fromNewest: true)
        case .latest(let bound?):
            guard let lower = try lowerCursor(bound) else { return [] }
            return try page(after: lower, before: nil, fromNewest: true)
        case .before(let bound):
            guard let upper = try upperCursor(bound) else { return [] }
            return try page(after: nil, before: upper, fromNewest: true)
        case .after(let bound):
            guard let lower = try lowerCursor(bound) else { return [] }
            return try page(after: lower, before: nil, fromNewest: false)
        case .around(let bound):
            return try around(bound)
        case .between(let first, let second):
            return try between(first, second)
        }
    }

    /// Exclusive lower edge: after a timestamp means after all of its millisecond.
    private func lowerCursor(_ bound: HistoryBound) throws -> HistoryCursor? {
        switch bound {
        case .timestamp(let ms): return .afterAll(at: ms)
        case .msgid(let msgid): return try ChunkLookup.cursor(db, msgid: msgid, targetKey: targetKey, floorMs: floorMs)
        }
    }

    /// Exclusive upper edge: before a timestamp means before all of its millisecond.
    private func upperCursor(_ bound: HistoryBound) throws -> HistoryCursor? {
        switch bound {
        case .timestamp(let ms): return .beforeAll(at: ms)
        case .msgid(let msgid): return try ChunkLookup.cursor(db, msgid: msgid, targetKey: targetKey, floorMs: floorMs)
        }
    }

    private func page(after lower: HistoryCursor?, before upper: HistoryCursor?, fromNewest: Bool, limit: Int? = nil) throws -> [StoredMessage] {
        try ChunkPager(db: db, targetKey: targetKey, floorMs: floorMs)
            .page(after: lower, before: upper, limit: limit ?? self.limit, fromNewest: fromNewest)
    }

    /// Half the page before the centre, the rest from the centre on (a msgid's own message
    /// first); whichever side runs short leaves its share to the other.
    private func around(_ bound: HistoryBound) throws -> [StoredMessage] {
        let before: HistoryCursor
        let fromCentre: HistoryCursor
        switch bound {
        case .timestamp(let ms):
            before = .beforeAll(at: ms)
            fromCentre = .beforeAll(at: ms)
        case .msgid(let msgid):
            guard let centre = try ChunkLookup.cursor(db, msgid: msgid, targetKey: targetKey, floorMs: floorMs) else { return [] }
            before = centre
            fromCentre = HistoryCursor(timeMs: centre.timeMs, sequence: centre.sequence - 1)
        }
        let older = try page(after: nil, before: before, fromNewest: true)
        let newer = try page(after: fromCentre, before: nil, fromNewest: false)
        var olderCount = min(older.count, limit / 2)
        let newerCount = min(newer.count, limit - olderCount)
        olderCount = min(older.count, limit - newerCount)
        return Array(older.suffix(olderCount)) + Array(newer.prefix(newerCount))
    }

    /// Strictly between the two bounds; the page is taken from the `first` side.
    private func between(_ first: HistoryBound, _ second: HistoryBound) throws -> [StoredMessage] {
        guard let a = try point(first), let b = try point(second) else { return [] }
        let firstIsEarlier: Bool
        if a.timeMs != b.timeMs {
            firstIsEarlier = a.timeMs < b.timeMs
        } else if let sa = a.sequence, let sb = b.sequence, sa != sb {
            firstIsEarlier = sa < sb
        } else {
            // Same millisecond with a timestamp bound, or the same message: nothing lies strictly between.
            return []
        }
        let (earlier, later) = firstIsEarlier ? (a, b) : (b, a)
        let lower = earlier.sequence.map { HistoryCursor(timeMs: earlier.timeMs, sequence: $0) } ?? .afterAll(at: earlier.timeMs)
        let upper = later.sequence.map { HistoryCursor(timeMs: later.timeMs, sequence: $0) } ?? .beforeAll(at: later.timeMs)
        return try page(after: lower, before: upper, fromNewest: !firstIsEarlier)
    }

    /// A bound's time, with its storage sequence when it is a msgid; nil for an unknown msgid.
    private func point(_ bound: HistoryBound) throws -> (timeMs: Int64, sequence: Int64?)? {
        switch bound {
        case .timestamp(let ms): return (ms, nil)
        case .msgid(let msgid):
            guard let cursor = try ChunkLookup.cursor(db, msgid: msgid, targetKey: targetKey, floorMs: floorMs) else { return nil }
            return (cursor.timeMs, cursor.sequence)
        }
    }
}
