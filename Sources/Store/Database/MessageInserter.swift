import GRDB
import GRDBSQLite
import Shared

/// Appends message rows for one group commit. The storage thread's cost per message is what
/// bounds the server's throughput with history on, so the arguments go straight to SQLite's C
/// API (GRDB's `StatementArguments` boxes every value, which cost a third as much as SQLite's
/// own work on the row), and a direct conversation is recorded for TARGETS once, not per message.
final class MessageInserter {
    /// Rows per multi-row INSERT: one statement run opens its cursors and program once for all.
    static let rowsPerStatement = 16
    private static let columnsPerRow: Int32 = 12

    private let db: Database
    private let mapping: IRCCaseMapping
    private let insertMessage: Statement
    private let insertMessages: Statement
    private let insertParty: Statement
    private let knownConversations: KnownConversations
    /// Conversations recorded by this batch; they join the known set only once it commits.
    private(set) var recorded: Set<String> = []

    private let text = TextArena()
    /// SQLite copies a value bound with this destructor, so the Swift string may go at once.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, mapping: IRCCaseMapping, knownConversations: KnownConversations) throws {
        self.db = db
        self.mapping = mapping
        self.knownConversations = knownConversations
        // Statements of our own, not GRDB's cache: they are stepped directly, and GRDB evicts a
        // cached statement only when it sees the failure itself.
        let insert = """
            INSERT INTO message (msgid, time_ms, sender_source, sender_nick, sender_account, sender_key,
                                 target_kind, target_key, target_name, command, text, tags)
            VALUES
            """
        let row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        insertMessage = try db.makeStatement(sql: insert + " " + row)
        insertMessages = try db.makeStatement(
            sql: insert + " " + Array(repeating: row, count: Self.rowsPerStatement).joined(separator: ", "))
        insertParty = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO direct_party (party_key, target_key) VALUES (?, ?), (?, ?)
            """)
    }

    /// Inserts the messages in order, each one's failure (a duplicate msgid) apart: the returned
    /// array holds nil for a stored message and the error for one not written. Throws when the
    /// transaction itself is gone (disk full, I/O error).
    func insert(_ messages: [NewMessage]) throws -> [(any Error)?] {
        var outcomes = [(any Error)?](repeating: nil, count: messages.count)
        let keys = try messages.map { message in
            let conversation = message.destination.key(between: message.senderParty, mapping)
            try record(conversation)
            return RowKeys(conversation: conversation, tags: message.tags.isEmpty ? "" : TagCoding.encode(message.tags))
        }
        var start = 0
        while start < messages.count {
            let end = min(start + Self.rowsPerStatement, messages.count)
            if end - start == Self.rowsPerStatement {
                do {
                    try insertRows(messages, keys, start..<end)
                    start = end
                    continue
                } catch {
                    // Nothing of the group was written: find the bad row one by one below.
                    guard db.isInsideTransaction else { throw error }
                }
            }
            for index in start..<end {
                do {
                    try insertRows(messages, keys, index..<(index + 1))
                } catch {
                    guard db.isInsideTransaction else { throw error }
                    outcomes[index] = error
                }
            }
            start = end
        }
        return outcomes
    }

    /// What a row stores besides the message's own fields.
    private struct RowKeys {
        let conversation: ConversationKey
        let tags: String
    }

    /// Lists a direct conversation under both parties, once per conversation.
    private func record(_ conversation: ConversationKey) throws {
        guard let partyA = conversation.partyA, let partyB = conversation.partyB,
              !recorded.contains(conversation.key), !knownConversations.contains(conversation.key) else { return }
        text.reset(fitting: 2 * (partyA.utf8.count + partyB.utf8.count + conversation.key.utf8.count))
        try step(insertParty) { statement in
            bind(partyA, to: statement, at: 1)
            bind(conversation.key, to: statement, at: 2)
            bind(partyB, to: statement, at: 3)
            bind(conversation.key, to: statement, at: 4)
        }
        recorded.insert(conversation.key)
    }

    /// One statement for the rows in `range`: the multi-row one for a full group, else the single-row one.
    private func insertRows(_ messages: [NewMessage], _ keys: [RowKeys], _ range: Range<Int>) throws {
        var bytes = 0
        for index in range {
            let message = messages[index]
            let key = keys[index].conversation
            bytes += message.msgid.utf8.count + message.senderSource.utf8.count + message.senderNick.utf8.count
                + (message.senderAccount?.utf8.count ?? 0) + key.senderKey.utf8.count + 4 + key.key.utf8.count
                + message.targetName.utf8.count + message.command.utf8.count + message.text.utf8.count
                + keys[index].tags.utf8.count
        }
        text.reset(fitting: bytes)
        let statement = range.count == 1 ? insertMessage : insertMessages
        try step(statement) { handle in
            for (row, index) in range.enumerated() {
                let message = messages[index]
                let key = keys[index].conversation
                let base = Int32(row) * Self.columnsPerRow
                bind(message.msgid, to: handle, at: base + 1)
                sqlite3_bind_int64(handle, base + 2, message.timeMs)
                bind(message.senderSource, to: handle, at: base + 3)
                bind(message.senderNick, to: handle, at: base + 4)
                bind(message.senderAccount, to: handle, at: base + 5)
                bind(key.senderKey, to: handle, at: base + 6)
                bind(message.destination.isRoom ? "room" : "dm", to: handle, at: base + 7)
                bind(key.key, to: handle, at: base + 8)
                bind(message.targetName, to: handle, at: base + 9)
                bind(message.command, to: handle, at: base + 10)
                bind(message.text, to: handle, at: base + 11)
                bind(keys[index].tags, to: handle, at: base + 12)
            }
        }
    }

    /// Rebinds and runs a statement once, turning a failure into GRDB's error type (whose
    /// extended code tells a duplicate msgid from a disk error).
    private func step(_ statement: Statement, _ bindAll: (OpaquePointer) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        bindAll(handle)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let connection = db.sqliteConnection
            let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
    }

    /// Binds a copy in the row's text arena, which `reset(fitting:)` sized for every value of
    /// the row: SQLite reads it in place (no allocation of its own) until the row is stepped.
    private func bind(_ value: String?, to statement: OpaquePointer, at index: Int32) {
        guard let value else {
            sqlite3_bind_null(statement, index)
            return
        }
        if let (bytes, count) = text.append(value) {
            _ = sqlite3_bind_text(statement, index, bytes, Int32(count), nil)
        } else {
            // Not reserved for this row: let SQLite take its own copy.
            var value = value
            value.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    _ = sqlite3_bind_text(statement, index, chars.baseAddress, Int32(chars.count), Self.transient)
                }
            }
        }
    }
}
