import GRDB
import Shared

/// Message rows: the CHATHISTORY page queries, TARGETS and retention (`MessageInserter` appends).
enum MessageSQL {
    private static let columns = """
        id, msgid, time_ms, sender_source, sender_nick, sender_account, target_kind, target_name, command, text, tags
        """

    /// The cursor of a msgid within one conversation, nil when it is not there (or expired).
    static func cursor(_ db: Database, msgid: String, targetKey: String, floorMs: Int64) throws -> HistoryCursor? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT time_ms, id FROM message WHERE msgid = ? AND target_key = ? AND time_ms >= ?
            """, arguments: [msgid, targetKey, floorMs]) else { return nil }
        return HistoryCursor(timeMs: row["time_ms"], sequence: row["id"])
    }

    /// Messages strictly after `lower` and strictly before `upper` (either may be open), the
    /// first `limit` of them from the low end (`fromNewest` false) or the high end, returned in
    /// ascending order.
    static func page(
        _ db: Database, targetKey: String, after lower: HistoryCursor?, before upper: HistoryCursor?,
        floorMs: Int64, limit: Int, fromNewest: Bool
    ) throws -> [StoredMessage] {
        var sql = "SELECT \(columns) FROM message WHERE target_key = ? AND time_ms >= ?"
        var arguments: StatementArguments = [targetKey, floorMs]
        // The plain time_ms term gives SQLite an index range; the OR refines it at the edge.
        if let lower {
            sql += " AND time_ms >= ? AND (time_ms > ? OR id > ?)"
            arguments += [lower.timeMs, lower.timeMs, lower.sequence]
        }
        if let upper {
            sql += " AND time_ms <= ? AND (time_ms < ? OR id < ?)"
            arguments += [upper.timeMs, upper.timeMs, upper.sequence]
        }
        sql += fromNewest ? " ORDER BY time_ms DESC, id DESC" : " ORDER BY time_ms ASC, id ASC"
        sql += " LIMIT ?"
        arguments += [limit]
        let messages = try Row.fetchAll(db, sql: sql, arguments: arguments).map(stored)
        return fromNewest ? messages.reversed() : messages
    }

    /// For TARGETS: the newest message time in (low, high) per room, for the given room keys.
    static func roomTargets(_ db: Database, roomKeys: [String], lowMs: Int64, highMs: Int64) throws -> [HistoryTarget] {
        var targets: [HistoryTarget] = []
        let latestRow = try db.cachedStatement(sql: """
            SELECT time_ms, target_name FROM message
            WHERE target_key = ? AND time_ms > ? AND time_ms < ?
            ORDER BY time_ms DESC, id DESC LIMIT 1
            """)
        for key in Set(roomKeys) {
            guard let row = try Row.fetchOne(latestRow, arguments: [key, lowMs, highMs]) else { continue }
            let name: String = row["target_name"]
            targets.append(HistoryTarget(name: name, conversation: .room(name), latestTimeMs: row["time_ms"]))
        }
        return targets
    }

    /// For TARGETS: the newest message time in (low, high) per direct conversation of `partyKey`.
    static func directTargets(_ db: Database, partyKey: String, lowMs: Int64, highMs: Int64) throws -> [HistoryTarget] {
        let conversations = try String.fetchAll(
            db, sql: "SELECT target_key FROM direct_party WHERE party_key = ?", arguments: [partyKey])
        // The conversation's newest row in range, straight off the end of its (target, time) range.
        let latestRow = try db.cachedStatement(sql: """
            SELECT time_ms, sender_key, sender_nick, target_name FROM message
            WHERE target_key = ? AND time_ms > ? AND time_ms < ?
            ORDER BY time_ms DESC, id DESC LIMIT 1
            """)
        let accountName = try db.cachedStatement(sql: "SELECT name FROM account WHERE name_key = ?")
        var targets: [HistoryTarget] = []
        for key in conversations {
            guard let row = try Row.fetchOne(latestRow, arguments: [key, lowMs, highMs]) else { continue }
            // A direct key is the two party keys, sorted, around one space (party keys have none).
            let parties = key.split(separator: " ", maxSplits: 1).map(String.init)
            guard parties.count == 2 else { continue }
            let otherKey = parties[0] == partyKey ? parties[1] : parties[0]
            guard let other = HistoryParty(key: otherKey) else { continue }
            let senderKey: String = row["sender_key"]
            // An account is named as registered: that name is what a follow-up CHATHISTORY can
            // use, whatever nick it wrote under. Otherwise (a guest, a deleted account) its nick
            // if it sent the latest message, else the name the requester addressed it by.
            let lastSeen: String = senderKey == otherKey ? row["sender_nick"] : row["target_name"]
            var name = lastSeen
            if case .account(let folded) = other,
               let registered = try String.fetchOne(accountName, arguments: [folded]) {
                name = registered
            }
            targets.append(HistoryTarget(name: name, conversation: .direct(other), latestTimeMs: row["time_ms"]))
        }
        return targets
    }

    /// Deletes the expired prefix of the table in rowid (arrival) order: everything before the
    /// first message that is still young. Reads only the rows it deletes. A message whose time
    /// is behind an older arrival's (a clock step) waits for that one; queries hide it anyway.
    static func purge(_ db: Database, olderThanMs floorMs: Int64) throws -> Int {
        let firstKept = try Int64.fetchOne(db, sql: "SELECT id FROM message WHERE time_ms >= ? ORDER BY id LIMIT 1",
                                           arguments: [floorMs])
        if let firstKept {
            try db.execute(sql: "DELETE FROM message WHERE id < ?", arguments: [firstKept])
        } else {
            try db.execute(sql: "DELETE FROM message")
        }
        let purged = db.changesCount
        if purged > 0 {
            try db.execute(sql: """
                DELETE FROM direct_party
                WHERE NOT EXISTS (SELECT 1 FROM message WHERE message.target_key = direct_party.target_key)
                """)
        }
        return purged
    }

    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0
    }

    private static func stored(_ row: Row) -> StoredMessage {
        let kind: String = row["target_kind"]
        let tags: String = row["tags"]
        return StoredMessage(
            sequence: row["id"], msgid: row["msgid"], timeMs: row["time_ms"], senderSource: row["sender_source"],
            senderNick: row["sender_nick"], senderAccount: row["sender_account"], isRoom: kind == "room",
            targetName: row["target_name"], command: row["command"], text: row["text"], tags: TagCoding.decode(tags))
    }
}
