import GRDB
import Shared

/// Whole-table work on chunks: TARGETS, retention and counting (``ChunkWriter`` appends,
/// ``ChunkPager`` and ``ChunkLookup`` serve pages).
enum ChunkSQL {
    /// For TARGETS: the newest message time in (low, high) per room, for the given room keys.
    static func roomTargets(_ db: Database, roomKeys: [String], lowMs: Int64, highMs: Int64) throws -> [HistoryTarget] {
        var targets: [HistoryTarget] = []
        for key in Set(roomKeys) {
            guard let latest = try latest(db, targetKey: key, lowMs: lowMs, highMs: highMs) else { continue }
            targets.append(HistoryTarget(name: latest.targetName, conversation: .room(latest.targetName), latestTimeMs: latest.timeMs))
        }
        return targets
    }

    /// For TARGETS: the newest message time in (low, high) per direct conversation of `partyKey`.
    static func directTargets(_ db: Database, partyKey: String, lowMs: Int64, highMs: Int64, mapping: IRCCaseMapping) throws -> [HistoryTarget] {
        let conversations = try String.fetchAll(
            db, sql: "SELECT target_key FROM direct_party WHERE party_key = ?", arguments: [partyKey])
        let accountName = try db.cachedStatement(sql: "SELECT name FROM account WHERE name_key = ?")
        var targets: [HistoryTarget] = []
        for key in conversations {
            guard let latest = try latest(db, targetKey: key, lowMs: lowMs, highMs: highMs) else { continue }
            // A direct key is the two party keys, sorted, around one space (party keys have none).
            let parties = key.split(separator: " ", maxSplits: 1).map(String.init)
            guard parties.count == 2 else { continue }
            let otherKey = parties[0] == partyKey ? parties[1] : parties[0]
            guard let other = HistoryParty(key: otherKey) else { continue }
            let senderKey = HistoryParty.sender(nick: latest.senderNick, account: latest.senderAccount).key(mapping)
            // An account is named as registered: that name is what a follow-up CHATHISTORY can
            // use, whatever nick it wrote under. Otherwise (a guest, a deleted account) its nick
            // if it sent the latest message, else the name the requester addressed it by.
            var name = senderKey == otherKey ? latest.senderNick : latest.targetName
            if case .account(let folded) = other,
               let registered = try String.fetchOne(accountName, arguments: [folded]) {
                name = registered
            }
            targets.append(HistoryTarget(name: name, conversation: .direct(other), latestTimeMs: latest.timeMs))
        }
        return targets
    }

    /// The newest message strictly between the two times.
    private static func latest(_ db: Database, targetKey: String, lowMs: Int64, highMs: Int64) throws -> StoredMessage? {
        try ChunkPager(db: db, targetKey: targetKey, floorMs: .min)
            .page(after: .afterAll(at: lowMs), before: .beforeAll(at: highMs), limit: 1, fromNewest: true).first
    }

    /// Deletes the expired prefix of the table in id (arrival) order: every chunk before the
    /// first one that still holds a young message. Reads only the chunks it deletes. A chunk
    /// whose times are behind an older arrival's (a clock step) waits for that one, and a partly
    /// expired chunk for its newest message; queries hide expired messages anyway. Returns the
    /// number of messages deleted.
    static func purge(_ db: Database, olderThanMs floorMs: Int64) throws -> Int {
        let firstKept = try Int64.fetchOne(db, sql: "SELECT id FROM chunk WHERE max_ms >= ? ORDER BY id LIMIT 1",
                                           arguments: [floorMs]) ?? .max
        let purged = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(message_count), 0) FROM chunk WHERE id < ?",
                                      arguments: [firstKept]) ?? 0
        guard purged > 0 else { return 0 }
        try db.execute(sql: "DELETE FROM chunk WHERE id < ?", arguments: [firstKept])
        // Expired messages are hidden anyway: their msgids go, whichever chunk holds them.
        try db.execute(sql: "DELETE FROM chunk_msgid WHERE time_ms < ?", arguments: [floorMs])
        try db.execute(sql: """
            DELETE FROM direct_party
            WHERE NOT EXISTS (SELECT 1 FROM chunk WHERE chunk.target_key = direct_party.target_key)
            """)
        return purged
    }

    /// Messages stored, all conversations.
    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(message_count), 0) FROM chunk") ?? 0
    }
}
