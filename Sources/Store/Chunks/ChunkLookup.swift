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
        guard let row = try Row.fetchOne(db, sql: """
            SELECT chunk.body FROM chunk_msgid JOIN chunk ON chunk.id = chunk_msgid.chunk
            WHERE chunk_msgid.msgid = ? AND chunk.target_key = ?
            """, arguments: [msgid, targetKey]) else { return nil }
        let chunk = try decode(row[0])
        guard let entry = chunk.entry(msgid: msgid, shape: nil) else { return nil }
        return entry.timeMs >= floorMs ? entry.cursor : nil
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
