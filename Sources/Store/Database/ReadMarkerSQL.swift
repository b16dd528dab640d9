import GRDB

/// Read markers: one timestamp per (account, target), which only ever moves forward.
enum ReadMarkerSQL {
    static func get(_ db: Database, accountKey: String, targetKey: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT time_ms FROM read_marker WHERE account_key = ? AND target_key = ?
            """, arguments: [accountKey, targetKey])
    }

    /// Stores `timeMs` unless the marker is already later; returns the marker as it now stands.
    static func advance(_ db: Database, accountKey: String, targetKey: String, timeMs: Int64) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO read_marker (account_key, target_key, time_ms) VALUES (?, ?, ?)
            ON CONFLICT (account_key, target_key) DO UPDATE SET time_ms = MAX(time_ms, excluded.time_ms)
            """, arguments: [accountKey, targetKey, timeMs])
        return try get(db, accountKey: accountKey, targetKey: targetKey) ?? timeMs
    }
}
