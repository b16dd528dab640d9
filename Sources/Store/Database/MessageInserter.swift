import GRDB
import GRDBSQLite
import Shared

/// Appends message rows for one group commit. The storage thread's cost per message is what
/// bounds the server's throughput with history on, so the arguments go straight to SQLite's C
/// API (GRDB's `StatementArguments` boxes every value, which cost a third as much as SQLite's
/// own work on the row), and a direct conversation is recorded for TARGETS once, not per message.
final class MessageInserter {
    private let db: Database
    private let mapping: IRCCaseMapping
    private let insertMessage: Statement
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
        insertMessage = try db.makeStatement(sql: """
            INSERT INTO message (msgid, time_ms, sender_source, sender_nick, sender_account, sender_key,
                                 target_kind, target_key, target_name, command, text, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertParty = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO direct_party (party_key, target_key) VALUES (?, ?), (?, ?)
            """)
    }

    /// Inserts one message; throws the SQLite error (a duplicate msgid) with the row not written.
    func insert(_ message: NewMessage) throws {
        let conversation = message.destination.key(between: message.senderParty, mapping)
        let senderKey = conversation.senderKey
        if let partyA = conversation.partyA, let partyB = conversation.partyB,
           !knownConversations.contains(conversation.key), !recorded.contains(conversation.key) {
            text.reset(fitting: 2 * (partyA.utf8.count + partyB.utf8.count + conversation.key.utf8.count))
            try step(insertParty) { statement in
                bind(partyA, to: statement, at: 1)
                bind(conversation.key, to: statement, at: 2)
                bind(partyB, to: statement, at: 3)
                bind(conversation.key, to: statement, at: 4)
            }
            recorded.insert(conversation.key)
        }
        let tags = message.tags.isEmpty ? "" : TagCoding.encode(message.tags)
        text.reset(fitting: message.msgid.utf8.count + message.senderSource.utf8.count + message.senderNick.utf8.count
            + (message.senderAccount?.utf8.count ?? 0) + senderKey.utf8.count + 4 + conversation.key.utf8.count
            + message.targetName.utf8.count + message.command.utf8.count + message.text.utf8.count + tags.utf8.count)
        try step(insertMessage) { statement in
            bind(message.msgid, to: statement, at: 1)
            sqlite3_bind_int64(statement, 2, message.timeMs)
            bind(message.senderSource, to: statement, at: 3)
            bind(message.senderNick, to: statement, at: 4)
            bind(message.senderAccount, to: statement, at: 5)
            bind(senderKey, to: statement, at: 6)
            bind(message.destination.isRoom ? "room" : "dm", to: statement, at: 7)
            bind(conversation.key, to: statement, at: 8)
            bind(message.targetName, to: statement, at: 9)
            bind(message.command, to: statement, at: 10)
            bind(message.text, to: statement, at: 11)
            bind(tags, to: statement, at: 12)
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
