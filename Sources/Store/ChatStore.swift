import Synchronization

/// Accounts, history and read markers for a single-threaded event loop that must never wait on
/// a disk.
///
/// Every operation returns a ``StoreTicket`` at once and finishes later on a store thread:
/// one storage thread commits all queued writes in one transaction per batch (group commit),
/// reader threads answer queries on the pool's concurrent read connections, and a password
/// threads run scrypt. Finished requests queue up as ``StoreCompletion``s; the `wake` callback
/// runs (on a store thread) once per published batch, and the loop then collects them with
/// ``drainCompletions()``, which never blocks on I/O.
///
/// Only ``init(configuration:wake:)`` and ``close()`` block.
public final class ChatStore: Sendable {
    /// The database, for synchronous start-up work (``StoreDatabase/registeredAccountKeys()``).
    public let database: StoreDatabase
    private let completions: CompletionQueue
    private let writes: JobQueue<WriteJob>
    private let reads = JobQueue<ReadJob>()
    private let passwords = JobQueue<PasswordJob>()
    private let checkpoints = JobQueue<CheckpointJob>()
    private let tickets = Atomic<UInt64>(0)
    private let staging = Mutex(AppendStaging())
    /// Copied out of the configuration once: reading it per message copied the whole struct.
    private let historyEnabled: Bool
    /// A turn with more staged appends than a batch holds is handed over in batch-sized runs.
    private let stagingLimit: Int
    private let threads: Mutex<RunningThreads?>

    /// The store's threads, in the order `close()` stops them: password threads feed the
    /// storage thread, so they stop first, and the storage thread stops last.
    private struct RunningThreads: Sendable {
        let password: WorkerThreads
        let readers: WorkerThreads
        let writer: WorkerThreads
        let checkpointer: WorkerThreads?
    }

    /// Opens the database (creating and migrating it) and starts the store threads.
    ///
    /// - Parameter wake: called from a store thread whenever completions are ready; it must not
    ///   block (the server writes to its eventfd).
    public init(configuration: StoreConfiguration, wake: @escaping @Sendable () -> Void) throws {
        database = try StoreDatabase(configuration: configuration)
        historyEnabled = configuration.historyEnabled
        stagingLimit = max(configuration.maxBatchSize, 1)
        completions = CompletionQueue(wake: wake)
        // Segments of one batch: the storage thread takes each one whole, without copying a job.
        writes = JobQueue(segmentCapacity: max(configuration.maxBatchSize, 1))
        let checkpointConnection = try database.makeCheckpointConnection()
        let checkpointJobs = checkpoints
        let wal = database.wal
        let writer = StorageWriter(database: database, jobs: writes, completions: completions,
                                   checkpoints: checkpointConnection == nil ? nil : checkpoints)
        let reader = StorageReader(database: database, jobs: reads, completions: completions)
        let hasher = PasswordWorker(database: database, jobs: passwords, writes: writes, completions: completions)
        threads = Mutex(RunningThreads(
            password: WorkerThreads(name: "store-passwd", count: max(configuration.passwordThreads, 1), body: hasher.run),
            readers: WorkerThreads(name: "store-reader", count: max(configuration.readerThreads, 1), body: reader.run),
            writer: WorkerThreads(name: "store-writer", count: 1, body: writer.run),
            checkpointer: checkpointConnection.map { connection in
                WorkerThreads(name: "store-ckpt", count: 1, body: Checkpointer(connection: connection, jobs: checkpointJobs, wal: wal).run)
            }))
    }

    deinit {
        close()
    }

    /// The configuration the store was opened with.
    public var configuration: StoreConfiguration { database.configuration }

    /// Writes waiting for the storage thread (appends, read markers, account changes; a loop
    /// turn's handed-off run of staged appends counts once, and staged appends not yet handed
    /// off not at all). When the disk cannot keep up this grows: the server can stop reading
    /// from clients above a threshold of its choosing.
    public var queuedWrites: Int { writes.count }

    /// Finished requests since the last call, in completion order. Never blocks on I/O.
    public func drainCompletions() -> [StoreCompletion] {
        completions.drain()
    }

    /// Stops accepting requests, finishes everything already queued (hashes, queries, and the
    /// final group commit) and stops the threads. Completions of that work stay drainable.
    /// Blocks; later calls return at once.
    public func close() {
        let running = threads.withLock { threads -> RunningThreads? in
            defer { threads = nil }
            return threads
        }
        guard let running else { return }
        // Staged messages were accepted before the close: they are committed with the rest.
        handOffStagedAppends(closing: true)
        passwords.close(consumers: running.password.count)
        running.password.join()
        reads.close(consumers: running.readers.count)
        running.readers.join()
        writes.close(consumers: running.writer.count)
        running.writer.join()
        checkpoints.close(consumers: 1)
        running.checkpointer?.join()
    }

    // MARK: messages

    /// Stores a message. Its completion, `.messageStored`, comes once the transaction holding it
    /// has committed (with `durability: .full`, once it is fsynced): only then echo and relay
    /// it. With history off it completes at once with `stored: false`.
    @discardableResult
    public func append(_ message: NewMessage) -> StoreTicket {
        let ticket = nextTicket()
        guard historyEnabled else {
            completions.publish(StoreCompletion(ticket: ticket, result: .messageStored(msgid: message.msgid, stored: false)))
            return ticket
        }
        // Messages staged before this one are stored before it.
        handOffStagedAppends()
        if !writes.push(.append(ticket, message)) {
            completions.publish(StoreCompletion(ticket: ticket, result: .messageFailed(msgid: message.msgid, error: .closed)))
        }
        return ticket
    }

    /// Stores a message with the rest of the caller's turn: it waits here until
    /// ``handOffStagedAppends()`` (which a loop calls once per turn) and is then committed with
    /// the others of its turn, in staging order. Their commit is confirmed by one
    /// `.messagesStored(through:)` covering every ticket up to the last one stored, and a
    /// message that fails (a repeated msgid, a disk error) gets its own `.messageFailed` first.
    /// With history off it completes at once with `.messageStored(stored: false)`.
    ///
    /// - Parameter routeHint: a number the caller gives every message of the same sender and
    ///   destination (say, both client ids): the storage thread then finds the conversation
    ///   without hashing names. Any value is correct (a wrong one only costs time); 0 means none.
    @discardableResult
    public func stageAppend(_ message: consuming NewMessage, routeHint: UInt64 = 0) -> StoreTicket {
        let ticket = nextTicket()
        guard historyEnabled else {
            completions.publish(StoreCompletion(ticket: ticket, result: .messageStored(msgid: message.msgid, stored: false)))
            return ticket
        }
        var entry = Optional(message)
        let (accepted, full) = staging.withLock { staging -> (Bool, Bool) in
            guard !staging.closed, let moved = entry.take() else { return (false, false) }
            staging.stage(moved, ticket: ticket, routeHint: routeHint)
            return (true, staging.run.count >= stagingLimit)
        }
        if !accepted, let refused = entry {
            completions.publish(StoreCompletion(ticket: ticket, result: .messageFailed(msgid: refused.msgid, error: .closed)))
        } else if full {
            handOffStagedAppends()
        }
        return ticket
    }

    /// Stages a direct message without tags as ``stageAppend(_:routeHint:)`` does, given as its
    /// fields: the msgid and text are copied into the turn's byte arena and the other fields are
    /// kept once per sender and destination in the turn, so staging allocates nothing per message
    /// and the storage thread retains nothing per message. The stored chunk is the same as for
    /// the equal ``NewMessage``.
    ///
    /// - Parameter text: the text's UTF-8, already valid (the general path rejects invalid text).
    @discardableResult
    public func stageDirect(
        msgid: String, timeMs: Int64, senderSource: String, senderNick: String, senderAccount: String?,
        destination: HistoryConversation, targetName: String, command: String, text: UnsafeBufferPointer<UInt8>,
        routeHint: UInt64 = 0
    ) -> StoreTicket {
        var msgid = msgid
        return msgid.withUTF8 { msgid in
            stageDirect(
                msgid: msgid, timeMs: timeMs, senderSource: senderSource, senderNick: senderNick, senderAccount: senderAccount,
                destination: destination, targetName: targetName, command: command, text: text, routeHint: routeHint)
        }
    }

    /// ``stageDirect(msgid:timeMs:senderSource:senderNick:senderAccount:destination:targetName:command:text:routeHint:)``
    /// with the msgid given as its UTF-8 bytes (copied before this returns), so a caller that
    /// makes ids as bytes never builds a String of one.
    @discardableResult
    public func stageDirect(
        msgid: UnsafeBufferPointer<UInt8>, timeMs: Int64, senderSource: String, senderNick: String, senderAccount: String?,
        destination: HistoryConversation, targetName: String, command: String, text: UnsafeBufferPointer<UInt8>,
        routeHint: UInt64 = 0
    ) -> StoreTicket {
        stageDirect(msgid: msgid) { staging, ticket in
            staging.stageDirect(
                ticket: ticket, routeHint: routeHint, msgid: msgid, timeMs: timeMs, senderSource: senderSource,
                senderNick: senderNick, senderAccount: senderAccount, destination: destination, targetName: targetName,
                command: command, text: text)
        }
    }

    /// ``stageDirect(msgid:timeMs:senderSource:senderNick:senderAccount:destination:targetName:command:text:routeHint:)``
    /// with the route named by the caller: `route` is called (under the staging lock, so it must
    /// not call back into the store) only when the turn holds no row for `routeKey` yet, so a
    /// conversation's messages after its first in a turn pass no strings at all.
    ///
    /// - Parameter routeKey: equal keys must mean equal routes (see ``DirectRouteKey``).
    @discardableResult
    public func stageDirect(
        msgid: UnsafeBufferPointer<UInt8>, timeMs: Int64, text: UnsafeBufferPointer<UInt8>, routeHint: UInt64,
        routeKey: DirectRouteKey, route: () -> DirectRoute
    ) -> StoreTicket {
        stageDirect(msgid: msgid) { staging, ticket in
            staging.stageDirect(
                ticket: ticket, routeHint: routeHint, routeKey: routeKey, msgid: msgid, timeMs: timeMs, text: text, route: route)
        }
    }

    /// The common part of the direct stagings: a ticket, the answer at once when history is off
    /// or the store is closed, `stage` under the staging lock otherwise, and the hand-off once the
    /// turn's run is full.
    @inline(__always)
    private func stageDirect(msgid: UnsafeBufferPointer<UInt8>, _ stage: (inout AppendStaging, StoreTicket) -> Void) -> StoreTicket {
        let ticket = nextTicket()
        guard historyEnabled else {
            completions.publish(StoreCompletion(ticket: ticket, result: .messageStored(msgid: String(decoding: msgid, as: UTF8.self), stored: false)))
            return ticket
        }
        let (accepted, full) = staging.withLock { staging -> (Bool, Bool) in
            guard !staging.closed else { return (false, false) }
            stage(&staging, ticket)
            return (true, staging.run.count >= stagingLimit)
        }
        if !accepted {
            completions.publish(StoreCompletion(ticket: ticket, result: .messageFailed(msgid: String(decoding: msgid, as: UTF8.self), error: .closed)))
        } else if full {
            handOffStagedAppends()
        }
        return ticket
    }

    /// Hands every staged append to the storage thread in one piece. Call it once per loop turn
    /// (and it is called before any ``append(_:)`` and at ``close()``); cheap when nothing is
    /// staged.
    public func handOffStagedAppends() {
        handOffStagedAppends(closing: false)
    }

    private func handOffStagedAppends(closing: Bool) {
        // The push happens under the staging lock, so runs reach the queue in staging order.
        let refused = staging.withLock { staging -> StagedRun in
            if closing { staging.closed = true }
            guard !staging.run.isEmpty else { return StagedRun() }
            let run = staging.takeRun()
            return writes.push(.appendRun(run)) ? StagedRun() : run
        }
        guard !refused.isEmpty else { return }
        completions.publish(refused.records.map {
            StoreCompletion(ticket: $0.ticket, result: .messageFailed(msgid: refused.msgid($0), error: .closed))
        })
    }

    /// One CHATHISTORY page; completes with `.history` (ascending) or `.failed`.
    @discardableResult
    public func history(_ request: HistoryRequest) -> StoreTicket {
        read { .history($0, request) }
    }

    /// CHATHISTORY TARGETS; completes with `.targets` or `.failed`.
    @discardableResult
    public func targets(_ request: TargetsRequest) -> StoreTicket {
        read { .targets($0, request) }
    }

    /// Purges history older than `historyDays` now (the storage thread also does so on its own
    /// every `purgeIntervalSeconds`); completes with `.purged`.
    @discardableResult
    public func purgeExpiredHistory() -> StoreTicket {
        write { .purge($0) }
    }

    // MARK: read markers

    /// The account's read marker for a target (room or nick); completes with `.readMarker`.
    @discardableResult
    public func readMarker(account: String, target: String) -> StoreTicket {
        read { .readMarker($0, account: account, target: target) }
    }

    /// MARKREAD: moves the marker to `timeMs` unless it is already later; completes with
    /// `.readMarker` carrying the marker as it now stands (send that to every session).
    @discardableResult
    public func markRead(account: String, target: String, timeMs: Int64) -> StoreTicket {
        write { .markRead($0, account: account, target: target, timeMs: timeMs) }
    }

    // MARK: accounts

    /// REGISTER: completes with `.registered` once committed, or `.registrationFailed`.
    /// Invalid input fails at once, without hashing.
    @discardableResult
    public func register(account name: String, email: String?, password: String) -> StoreTicket {
        let ticket = nextTicket()
        if let failure = configuration.accountRules.check(name: name, email: email, password: password) {
            completions.publish(StoreCompletion(ticket: ticket, result: .registrationFailed(failure)))
        } else if !passwords.push(.register(ticket, name: name, email: email, password: password)) {
            completions.publish(StoreCompletion(
                ticket: ticket, result: .registrationFailed(.temporarilyUnavailable(StoreError.closed.message))))
        }
        return ticket
    }

    /// SASL PLAIN check: completes with `.loggedIn` or `.loginFailed`. A hash made with older
    /// scrypt parameters is replaced in the background.
    @discardableResult
    public func login(account: String, password: String) -> StoreTicket {
        let ticket = nextTicket()
        if !passwords.push(.login(ticket, account: account, password: password)) {
            completions.publish(StoreCompletion(ticket: ticket, result: .loginFailed(.temporarilyUnavailable(StoreError.closed.message))))
        }
        return ticket
    }

    /// Sets a new password: completes with `.passwordChanged` or `.passwordChangeFailed`.
    /// Check the old password first with ``login(account:password:)`` where that is wanted.
    @discardableResult
    public func changePassword(account: String, newPassword: String) -> StoreTicket {
        let ticket = nextTicket()
        if let failure = configuration.accountRules.checkPassword(newPassword) {
            completions.publish(StoreCompletion(ticket: ticket, result: .passwordChangeFailed(failure)))
        } else if !passwords.push(.changePassword(ticket, account: account, password: newPassword)) {
            completions.publish(StoreCompletion(
                ticket: ticket, result: .passwordChangeFailed(.temporarilyUnavailable(StoreError.closed.message))))
        }
        return ticket
    }

    /// Deletes an account and its read markers: completes with `.accountDeleted`.
    @discardableResult
    public func deleteAccount(_ account: String) -> StoreTicket {
        write { .deleteAccount($0, account: account) }
    }

    /// Every account: completes with `.accounts`.
    @discardableResult
    public func listAccounts() -> StoreTicket {
        read { .listAccounts($0) }
    }

    // MARK: plumbing

    private func nextTicket() -> StoreTicket {
        StoreTicket(rawValue: tickets.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    private func read(_ job: (StoreTicket) -> ReadJob) -> StoreTicket {
        let ticket = nextTicket()
        if !reads.push(job(ticket)) {
            completions.publish(StoreCompletion(ticket: ticket, result: .failed(.closed)))
        }
        return ticket
    }

    private func write(_ job: (StoreTicket) -> WriteJob) -> StoreTicket {
        let ticket = nextTicket()
        if !writes.push(job(ticket)) {
            completions.publish(StoreCompletion(ticket: ticket, result: .failed(.closed)))
        }
        return ticket
    }
}
