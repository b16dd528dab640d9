import GRDB
import Shared

/// Message rows: append, the CHATHISTORY page queries, TARGETS and retention.
enum MessageSQL {
    private static let columns = """
        id, msgid, time_ms, sender_source, sender_nick, sender_account, target_kind, target_name, command, text, tags
        """

    static func insert(_ db: Database, _ message: NewMessage, mapping: IRCCaseMapping) throws {
        let sender = message.senderParty
        let conversation = message.destination.key(between: sender, mapping)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO message (msgid, time_ms, sender_source, sender_nick, sender_account, sender_key,
                                 target_kind, target_key, target_name, party_a, party_b, command, text, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [
            message.msgid, message.timeMs, message.senderSource, message.senderNick, message.senderAccount,
            sender.key(mapping), message.destination.isRoom ? "room" : "dm", conversation.key, message.targetName,
            conversation.partyA, conversation.partyB, message.command, message.text, TagCoding.encode(message.tags),
        ])
    }

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
        // First the conversations and their latest times, from the covering party indexes only.
        var latestByKey: [String: Int64] = [:]
        for column in ["party_a", "party_b"] {
            let rows = try Row.fetchAll(db, sql: """
                SELECT target_key, MAX(time_ms) AS latest FROM message
                WHERE \(column) = ? AND time_ms > ? AND time_ms < ?
                GROUP BY target_key
                """, arguments: [partyKey, lowMs, highMs])
            for row in rows {
                let key: String = row["target_key"]
                let latest: Int64 = row["latest"]
                latestByKey[key] = max(latestByKey[key] ?? .min, latest)
            }
        }
        // Then one row per conversation, for the other party's name as last written.
        var targets: [HistoryTarget] = []
        let latestRow = try db.cachedStatement(sql: """
            SELECT party_a, party_b, sender_key, sender_nick, target_name FROM message
            WHERE target_key = ? AND time_ms = ? ORDER BY id DESC LIMIT 1
            """)
        let accountName = try db.cachedStatement(sql: "SELECT name FROM account WHERE name_key = ?")
        for (key, latest) in latestByKey {
            guard let row = try Row.fetchOne(latestRow, arguments: [key, latest]) else { continue }
            let partyA: String = row["party_a"]
            let partyB: String = row["party_b"]
            let otherKey = partyA == partyKey ? partyB : partyA
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
            targets.append(HistoryTarget(name: name, conversation: .direct(other), latestTimeMs: latest))
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
        return db.changesCount
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
