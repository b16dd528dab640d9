import Foundation
import GRDB
import Shared

/// Migration v4's data step: moves every `message` row (v1 to v3 layout) into chunks, keeping its
/// rowid as its sequence, so cursors and the order of equal timestamps stay as they were.
/// Consecutive rows of a conversation share a chunk while ``ChunkFormat``'s rules allow; every
/// msgid goes to `chunk_msgid`, and the counter ceilings of chat-server-shaped msgids are kept
/// so later ranged msgids can never repeat one.
enum ChunkMigration {
    /// Open chunks beyond this many are written out, so memory stays bounded on a large file.
    private static let maxOpenChunks = 10_000

    static func moveMessages(_ db: Database) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT id, msgid, time_ms, sender_source, sender_nick, sender_account, target_kind, target_key,
                   target_name, command, text, tags
            FROM message ORDER BY id
            """)
        var slots: [String: Int] = [:]
        var open: [ChunkBuilder] = []
        var ceilings: [UInt64: Int64] = [:]
        while let row = try rows.next() {
            let key: String = row["target_key"]
            let isRoom = (row["target_kind"] as String) == "room"
            let targetName: String = row["target_name"]
            let message = NewMessage(
                msgid: row["msgid"], timeMs: row["time_ms"], senderSource: row["sender_source"], senderNick: row["sender_nick"],
                senderAccount: row["sender_account"], destination: isRoom ? .room(targetName) : .direct(.nick(targetName)),
                targetName: targetName, command: row["command"], text: row["text"], tags: TagCoding.decode(row["tags"]))
            if let shape = MsgidShape(message.msgid) {
                ceilings[shape.prefix] = max(ceilings[shape.prefix] ?? -1, shape.counter)
            }
            let slot: Int
            if let known = slots[key] {
                slot = known
                if !open[slot].accepts(timeMs: message.timeMs) {
                    try write(open[slot], db)
                    open[slot] = ChunkBuilder(targetKey: key, isRoom: isRoom)
                }
            } else {
                if open.count >= maxOpenChunks {
                    for chunk in open { try write(chunk, db) }
                    open.removeAll()
                    slots.removeAll()
                }
                slot = open.count
                slots[key] = slot
                open.append(ChunkBuilder(targetKey: key, isRoom: isRoom))
            }
            let sequence: Int64 = row["id"]
            open[slot].append(message, sequence: sequence, counter: nil)
            try db.cachedStatement(sql: "INSERT INTO chunk_msgid (msgid, sequence, time_ms) VALUES (?, ?, ?)")
                .execute(arguments: [message.msgid, sequence, message.timeMs])
        }
        for chunk in open { try write(chunk, db) }
        for (prefix, ceiling) in ceilings {
            try db.execute(sql: "INSERT INTO msgid_counter (prefix, ceiling) VALUES (?, ?)",
                           arguments: [MsgidShape.prefixText(prefix), ceiling])
        }
    }

    private static func write(_ chunk: ChunkBuilder, _ db: Database) throws {
        let body = chunk.body()
        try db.cachedStatement(sql: """
            INSERT INTO chunk (id, target_key, min_ms, max_ms, message_count, body) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [chunk.lastSequence, chunk.targetKey, chunk.minMs, chunk.maxMs, chunk.count,
                                     body.withUnsafeBytes { Data($0) }])
    }
}
