import GRDB
import GRDBSQLite
import Shared

/// Stores the appends of one transaction as chunks: per run of appends, one row per
/// conversation (more when a conversation's run breaks a ``ChunkFormat`` rule) instead of one
/// row and its index entries per message. That is what makes the storage thread's cost per
/// message small under load.
///
/// Msgids in chat-server's own form that rise above every stored one of their prefix are
/// "ranged": the chunk records the run's counter range and the msgids cost no index entry. Any
/// other msgid gets a `chunk_msgid` row, whose primary key refuses a repeat, so a repeat fails
/// alone as before.
final class ChunkWriter {
    private let db: Database
    private let mapping: IRCCaseMapping
    private let knownConversations: KnownConversations
    /// Direct conversations recorded in `direct_party` by this transaction; they join the known
    /// set only once it commits.
    private(set) var recorded: Set<String> = []
    /// Read and advanced once per message; only this writer's methods touch it, never two at
    /// once, so the dynamic exclusivity check (a runtime call per access) is left out.
    @exclusivity(unchecked) private var nextSequence: Int64
    /// The highest counter stored or written per msgid prefix: a counter above it is unique.
    private var ceilings: [UInt64: Int64] = [:]
    private var changedCeilings: Set<UInt64> = []

    /// Routes to conversations, kept across transactions by the store (see ``RouteTable``).
    /// Looked up once per message, unchecked like `nextSequence`.
    @exclusivity(unchecked) var routes = RouteTable()

    init(_ db: Database, mapping: IRCCaseMapping, knownConversations: KnownConversations) throws {
        self.db = db
        self.mapping = mapping
        self.knownConversations = knownConversations
        // A chunk's id is its last sequence, so the newest id is the highest sequence in use.
        nextSequence = (try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM chunk")) ?? 0) + 1
    }

    /// Stores the messages of the `.append` and `.appendRun` jobs in `range`, in order, and
    /// appends their completions to `completions`: per `.append` job, stored or failed alone
    /// when its msgid is already stored; per `.appendRun`, a `.messagesStored(through:)` for
    /// each stretch of stored messages, and a `.messageFailed` for each repeat, in order.
    /// Throws when a statement fails (disk full, I/O error): the caller must then roll the
    /// transaction back, since part of the run may be written. (A savepoint around the run would
    /// spare the rest of the batch, but its sub-journal spills to a temporary file on every large
    /// run: a file created, written and deleted per commit.)
    ///
    /// Each message is read in place: copying one out of its job costs a retain per string.
    func insert(_ jobs: [WriteJob], _ range: Range<Int>, completions: inout [StoreCompletion]) throws {
        var run = Run()
        routes.beginRun()
        for position in range {
            switch jobs[position] {
            case .append(let ticket, let message):
                if let failure = try add(message, hint: 0, to: &run) {
                    completions.append(StoreCompletion(ticket: ticket, result: .messageFailed(msgid: message.msgid, error: failure)))
                } else {
                    completions.append(StoreCompletion(ticket: ticket, result: .messageStored(msgid: message.msgid, stored: true)))
                }
            case .appendRun(let staged):
                try insert(staged, into: &run, completions: &completions)
            default:
                continue
            }
        }
        try store(run)
    }

    /// One staged run, each record read where it lies (the arrays' subscripts would copy it
    /// out first, with a retain per string): a `.messagesStored(through:)` for each stretch of
    /// stored messages and a `.messageFailed` for each repeat, in order.
    private func insert(_ staged: StagedRun, into run: inout Run, completions: inout [StoreCompletion]) throws {
        try staged.records.withUnsafeBufferPointer { records in
            try staged.routes.withUnsafeBufferPointer { routes in
                try staged.bytes.withUnsafeBufferPointer { arena in
                    try staged.messages.withUnsafeBufferPointer { messages in
                        var storedThrough: StoreTicket?
                        for record in records {
                            let failure: StoreError?
                            if record.isMessage {
                                failure = try add(messages[Int(record.index)], hint: record.routeHint, to: &run)
                            } else if let route = routes.baseAddress {
                                let view = StagedView(record: record, route: route + Int(record.index), arena: arena)
                                failure = try add(view, hint: record.routeHint, to: &run)
                            } else {
                                failure = StoreError("a staged message without its route")
                            }
                            guard let failure else {
                                storedThrough = record.ticket
                                continue
                            }
                            // The stored ones before it are confirmed first: the loop pops its queue in order.
                            if let through = storedThrough {
                                completions.append(StoreCompletion(ticket: through, result: .messagesStored(through: through)))
                                storedThrough = nil
                            }
                            completions.append(StoreCompletion(
                                ticket: record.ticket, result: .messageFailed(msgid: staged.msgid(record), error: failure)))
                        }
                        if let through = storedThrough {
                            completions.append(StoreCompletion(ticket: through, result: .messagesStored(through: through)))
                        }
                    }
                }
            }
        }
    }

    /// Adds one message to the run: nil when it is written, the reason when its msgid is
    /// already stored (then nothing of it is written).
    private func add<Message: StorableMessage>(_ message: Message, hint given: UInt64, to run: inout Run) throws -> StoreError? {
        let hint = given != 0 ? given : RouteTable.hint(for: message)
        let position = RouteTable.position(hint)
        let known = routes.holds(at: position, hint: hint, for: message)
        let slot: Int
        if known, let open = routes.slot(at: position) {
            slot = open
        } else {
            slot = try openSlot(for: message, hint: hint, at: position, known: known, in: &run)
        }
        let counter: Int64?
        do {
            counter = try classify(message, sequence: nextSequence, timeMs: message.timeMs, in: &run)
        } catch let duplicate as DuplicateMsgid {
            return StoreError(StoreDatabase.describe(duplicate.error))
        }
        if !run.open[slot].accepts(timeMs: message.timeMs) {
            run.closed.append(run.open[slot])
            run.open[slot] = ChunkBuilder(targetKey: run.open[slot].targetKey, isRoom: run.open[slot].isRoom)
        }
        if counter != nil, run.open[slot].rangePrefix == nil {
            // Ranged msgids need the prefix in the header; a chunk's earlier literals keep theirs.
            run.open[slot].adoptRangePrefix(run.prefix)
        }
        run.open[slot].append(message, sequence: nextSequence, counter: counter)
        nextSequence += 1
        return nil
    }

    /// The route's first message in this run: finds or opens its conversation's chunk, and
    /// records the route when it is new (or took the place of another).
    private func openSlot<Message: StorableMessage>(
        for message: Message, hint: UInt64, at position: Int, known: Bool, in run: inout Run
    ) throws -> Int {
        let conversation: ConversationKey
        if known, let stored = routes.conversation(at: position) {
            conversation = stored
        } else {
            let sender = message.senderParty
            conversation = message.destination.key(between: sender, mapping)
            routes.store(RouteTable.Entry(hint: hint, destination: message.destination, sender: sender,
                                          conversation: conversation), at: position)
        }
        try record(conversation)
        let slot: Int
        if let open = run.slots[conversation.key] {
            slot = open
        } else {
            slot = run.open.count
            run.slots[conversation.key] = slot
            run.open.append(ChunkBuilder(targetKey: conversation.key, isRoom: message.destination.isRoom))
        }
        routes.setSlot(slot, at: position)
        return slot
    }

    /// The run's chunks and msgid bookkeeping so far.
    private struct Run {
        var open: [ChunkBuilder] = []
        var closed: [ChunkBuilder] = []
        /// The open chunk of each conversation, by conversation key.
        var slots: [String: Int] = [:]
        /// The one prefix whose rising counters this run ranges, and its counter range.
        var prefix: UInt64?
        var first: Int64 = 0
        var last: Int64 = 0
        /// Counters ranged in this run, ascending.
        var ranged: [Int64] = []
    }

    private struct DuplicateMsgid: Error {
        let error: DatabaseError
    }

    /// The counter to range `msgid` under, nil to store it as text; throws ``DuplicateMsgid``
    /// when it is already stored.
    private func classify<Message: StorableMessage>(_ message: Message, sequence: Int64, timeMs: Int64, in run: inout Run) throws -> Int64? {
        let shape = message.msgidShape
        if let shape, shape.prefix == run.prefix {
            // The common case, without a dictionary: the run's own prefix, still rising.
            if shape.counter > run.last {
                run.last = shape.counter
                run.ranged.append(shape.counter)
                return shape.counter
            }
        } else if let shape {
            let ceiling = try self.ceiling(shape.prefix)
            if shape.counter > ceiling {
                if run.prefix == nil {
                    // The run's ceiling lives in `run.last` until the run is stored.
                    run.prefix = shape.prefix
                    run.first = shape.counter
                    run.last = shape.counter
                    run.ranged.append(shape.counter)
                    return shape.counter
                }
                ceilings[shape.prefix] = shape.counter
                changedCeilings.insert(shape.prefix)
                // Above every stored counter of its prefix, so new; but another prefix ranges this run.
                try storeLiteral(message.msgidText, sequence: sequence, timeMs: timeMs)
                return nil
            }
        }
        let msgid = message.msgidText
        if let shape {
            if shape.prefix == run.prefix, binarySearch(run.ranged, shape.counter) { throw Self.duplicate(msgid) }
            if try ChunkLookup.rangedChunks(db, shape: shape, targetKey: nil).contains(where: { $0.entry(msgid: msgid, shape: shape) != nil }) {
                throw Self.duplicate(msgid)
            }
        }
        try storeLiteral(msgid, sequence: sequence, timeMs: timeMs)
        return nil
    }

    /// Lists a msgid stored as text; its primary key refuses a repeat (stored earlier or in this run).
    private func storeLiteral(_ msgid: String, sequence: Int64, timeMs: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO chunk_msgid (msgid, sequence, time_ms) VALUES (?, ?, ?)")
            .execute(arguments: [msgid, sequence, timeMs])
        if db.changesCount == 0 { throw Self.duplicate(msgid) }
    }

    private static func duplicate(_ msgid: String) -> DuplicateMsgid {
        DuplicateMsgid(error: DatabaseError(resultCode: .SQLITE_CONSTRAINT_UNIQUE, message: "msgid \(msgid) is already stored"))
    }

    private func binarySearch(_ sorted: [Int64], _ value: Int64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == value
    }

    private func ceiling(_ prefix: UInt64) throws -> Int64 {
        if let known = ceilings[prefix] { return known }
        let stored = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT ceiling FROM msgid_counter WHERE prefix = ?"),
            arguments: [MsgidShape.prefixText(prefix)]) ?? -1
        ceilings[prefix] = stored
        return stored
    }

    /// Lists a direct conversation under both parties, once per conversation.
    private func record(_ conversation: ConversationKey) throws {
        guard let partyA = conversation.partyA, let partyB = conversation.partyB,
              !recorded.contains(conversation.key), !knownConversations.contains(conversation.key) else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO direct_party (party_key, target_key) VALUES (?, ?), (?, ?)")
            .execute(arguments: [partyA, conversation.key, partyB, conversation.key])
        recorded.insert(conversation.key)
    }

    /// Writes the run's chunks in id order (the B-tree grows at its right edge), their text
    /// msgids, and the raised counter ceilings.
    private func store(_ run: Run) throws {
        if let prefix = run.prefix {
            ceilings[prefix] = run.last
            changedCeilings.insert(prefix)
        }
        let chunks = (run.closed + run.open.filter { $0.count > 0 }).sorted { $0.lastSequence < $1.lastSequence }
        let insertChunk = try db.cachedStatement(sql: """
            INSERT INTO chunk (id, target_key, min_ms, max_ms, message_count, msgid_prefix, range_first, range_last, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for chunk in chunks {
            let ranged = chunk.rangedCount > 0 ? run.prefix.map(MsgidShape.prefixText) : nil
            try insert(chunk, ranged: ranged.map { ($0, run.first, run.last) }, with: insertChunk)
        }
        guard !changedCeilings.isEmpty else { return }
        try storeCeilings()
    }

    private func storeCeilings() throws {
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO msgid_counter (prefix, ceiling) VALUES (?, ?)
            ON CONFLICT (prefix) DO UPDATE SET ceiling = excluded.ceiling WHERE excluded.ceiling > ceiling
            """)
        for prefix in changedCeilings {
            try upsert.execute(arguments: [MsgidShape.prefixText(prefix), ceilings[prefix] ?? -1])
        }
        changedCeilings.removeAll()
    }

    /// One chunk row. The body is bound in place (SQLite copies it into its page, once) and the
    /// values straight through SQLite's C API: GRDB's arguments would box each one and have
    /// SQLite take a private copy of the body first.
    private func insert(_ chunk: ChunkBuilder, ranged: (prefix: String, first: Int64, last: Int64)?, with statement: Statement) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        sqlite3_bind_int64(handle, 1, chunk.lastSequence)
        bindText(chunk.targetKey, handle, 2)
        sqlite3_bind_int64(handle, 3, chunk.minMs)
        sqlite3_bind_int64(handle, 4, chunk.maxMs)
        sqlite3_bind_int64(handle, 5, Int64(chunk.count))
        if let ranged {
            bindText(ranged.prefix, handle, 6)
            sqlite3_bind_int64(handle, 7, ranged.first)
            sqlite3_bind_int64(handle, 8, ranged.last)
        } else {
            for index: Int32 in 6...8 { sqlite3_bind_null(handle, index) }
        }
        let body = chunk.body()
        let code = body.withUnsafeBytes { bytes in
            sqlite3_bind_blob(handle, 9, bytes.baseAddress, Int32(bytes.count), nil)
            return sqlite3_step(handle)
        }
        guard code == SQLITE_DONE else {
            let connection = db.sqliteConnection
            let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
            let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message, sql: statement.sql)
        }
    }

    /// SQLite copies a value bound with this destructor.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bindText(_ value: String, _ handle: OpaquePointer, _ index: Int32) {
        var value = value
        value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                _ = sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
    }
}
