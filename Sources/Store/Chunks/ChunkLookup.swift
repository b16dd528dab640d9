import Foundation
import GRDB

/// Finds the chunk holding a msgid: through the counter ranges for chat-server's own rising
/// msgids, through `chunk_msgid` for every other one.
enum ChunkLookup {
    /// The cursor of `msgid` within one conversation; nil when it is not there or is older than
    /// `floorMs`.
    static func cursor(_ db: Database, msgid: String, targetKey: String, floorMs: Int64) throws -> HistoryCursor? {
        let shape = MsgidShape(msgid)
        if let shape {
            for chunk in try rangedChunks(db, shape: shape, targetKey: targetKey) {
                if let entry = chunk.entry(msgid: msgid, shape: shape) { return entry.timeMs >= floorMs ? entry.cursor : nil }
            }
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT sequence, time_ms FROM chunk_msgid WHERE msgid = ?", arguments: [msgid]) else {
            return nil
        }
        let cursor = HistoryCursor(timeMs: row[1], sequence: row[0])
        guard cursor.timeMs >= floorMs else { return nil }
        // The message is in this conversation only if one of its chunks around that time holds it.
        let chunks = try Row.fetchAll(db, sql: """
            SELECT body FROM chunk INDEXED BY chunk_by_target_max
            WHERE target_key = ? AND max_ms >= ? AND max_ms <= ? AND min_ms <= ?
            """, arguments: [targetKey, cursor.timeMs, ChunkFormat.saturatingAdd(cursor.timeMs, ChunkFormat.maxSpanMs), cursor.timeMs])
        for chunkRow in chunks {
            let chunk = try decode(chunkRow[0])
            if let entry = chunk.entries.first(where: { $0.sequence == cursor.sequence }), chunk.msgid(entry) == msgid {
                return cursor
            }
        }
        return nil
    }

    /// The chunks whose run ranged counters of `shape`'s prefix around its counter, in one
    /// conversation or (nil) any. Runs range disjoint, rising counter spans, so the run holding the
    /// counter is the one that starts last at or before it.
    static func rangedChunks(_ db: Database, shape: MsgidShape, targetKey: String?) throws -> [DecodedChunk] {
        let prefix = MsgidShape.prefixText(shape.prefix)
        guard let first = try Int64.fetchOne(db, sql: """
            SELECT range_first FROM chunk WHERE msgid_prefix = ? AND range_first <= ? ORDER BY range_first DESC LIMIT 1
            """, arguments: [prefix, shape.counter]) else { return [] }
        var sql = "SELECT body FROM chunk WHERE msgid_prefix = ? AND range_first = ? AND range_last >= ?"
        var arguments: StatementArguments = [prefix, first, shape.counter]
        if let targetKey {
            sql += " AND target_key = ?"
            arguments += [targetKey]
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try decode($0[0]) }
    }

    static func decode(_ body: Data?) throws -> DecodedChunk {
        guard let body else { throw ChunkCorruption() }
        return try DecodedChunk(body: [UInt8](body))
    }
}
