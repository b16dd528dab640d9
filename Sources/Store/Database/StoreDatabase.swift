import Foundation
import GRDB
import Shared
import Synchronization

/// The database and every operation on it, synchronous. `ChatStore` calls these from its own
/// threads; the operator CLI (`chat-server account …`) and start-up call them directly.
///
/// Safe to use from several threads: GRDB serializes writes and runs reads concurrently
/// (WAL, `DatabasePool`), or serializes everything for `:memory:` (`DatabaseQueue`).
public final class StoreDatabase: Sendable {
    /// The configuration it was opened with.
    public let configuration: StoreConfiguration
    let writer: any DatabaseWriter
    private let transactions = Atomic<Int>(0)
    private let knownConversations = KnownConversations()
    /// The chunk writer's routes, kept between transactions (only the storage thread commits,
    /// so the lock is never contended).
    private let routeTable = Mutex(RouteTable())
    private let writes = Atomic<Int>(0)
    /// The WAL's size in frames after the last commit, for the checkpoint requests.
    let wal = WalProgress()

    /// Opens (creating if needed) the database, applies pending migrations and purges expired
    /// history. Blocks: call it at start-up.
    public init(configuration: StoreConfiguration) throws {
        self.configuration = configuration
        var grdb = Configuration()
        // The operator CLI may write while the server runs: wait for its lock rather than fail.
        grdb.busyMode = .timeout(10)
        // Takes effect only while the file is still empty (before the WAL switch and the first
        // table); an existing database keeps the page size it was created with.
        let pageSize = configuration.pageSizeBytes
        grdb.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = \(pageSize)") }
        if configuration.isInMemory {
            writer = try DatabaseQueue(configuration: grdb)
        } else {
            writer = try DatabasePool(path: configuration.path, configuration: grdb)
        }
        // Set on the one connection that commits, after GRDB's own WAL setup (which picks NORMAL
        // and would override anything set in prepareDatabase).
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous)")
            // 32 MiB of pages for the writer: index inserts at random places (msgids) stay in memory.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // No checkpoint inside a commit: a separate thread and connection checkpoints (see
            // Checkpointer), so the committing thread never stalls for a copy and an fsync.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(configuration.isInMemory ? 1000 : 0)")
            // When the WAL restarts it is cut back to this size. Below the size the storage thread
            // lets it reach (walFramesBeforeWriterCheckpoint), every cycle under a steady stream
            // cut the file and then grew it again, and writing past the end of a file costs the
            // kernel a block allocation and a zeroed page per page (a quarter of the storage
            // thread's time at full DM load). Above it, the file keeps its pages and later cycles
            // overwrite them in place.
            try db.execute(sql: "PRAGMA journal_size_limit = \(configuration.walSizeLimitBytes)")
            if !configuration.isInMemory { wal.install(on: db) }
        }
        try StoreSchema.migrator.migrate(writer)
        if configuration.historyDays != nil {
            _ = try writer.write { db in try ChunkSQL.purge(db, olderThanMs: configuration.retentionFloorMs()) }
        }
    }

    /// A second connection for WAL checkpoints, nil for `:memory:`.
    func makeCheckpointConnection() throws -> DatabaseQueue? {
        guard !configuration.isInMemory else { return nil }
        var grdb = Configuration()
        grdb.busyMode = .timeout(10)
        return try DatabaseQueue(path: configuration.path, configuration: grdb)
    }

    /// Copies the WAL into the database file on the writing connection, so the next commit can
    /// restart the log from its beginning. Stalls the storage thread for the copy; failures
    /// (a reader holding old frames) leave the rest to the next attempt.
    func checkpointBetweenCommits() {
        try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }

    /// Transactions committed by `commit(_:)` so far (one per group commit).
    public var committedTransactions: Int { transactions.load(ordering: .relaxed) }
    /// Writes committed by `commit(_:)` so far.
    public var committedWrites: Int { writes.load(ordering: .relaxed) }

    /// The database's page size in bytes, as SQLite reports it.
    public func pageSize() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
    }

    /// The journal mode SQLite reports (`wal` for a file, `memory` for `:memory:`).
    public func journalMode() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The writing connection's `PRAGMA synchronous` (2 for FULL, 1 for NORMAL).
    public func synchronousLevel() throws -> Int {
        try writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// SQLite's `PRAGMA integrity_check` verdict: `ok` for a sound file.
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }

    /// The names of the applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    private var mapping: IRCCaseMapping { configuration.caseMapping }

    // MARK: accounts

    /// Every registered account name, casefolded: the nicks only their account may hold.
    public func registeredAccountKeys() throws -> Set<String> {
        let names = try writer.read { db in try AccountSQL.names(db) }
        return Set(names.map(mapping.fold))
    }

    /// Every account, ordered by casefolded name.
    public func listAccounts() throws -> [AccountInfo] {
        try writer.read { db in try AccountSQL.list(db) }
    }

    /// Validates, hashes and inserts an account. Runs scrypt on the calling thread.
    public func registerAccount(name: String, email: String?, password: String) -> Result<AccountInfo, RegistrationFailure> {
        if let failure = configuration.accountRules.check(name: name, email: email, password: password) {
            return .failure(failure)
        }
        do {
            if try accountExists(name) { return .failure(.accountExists) }
            let hash = try PasswordHash.make(password: password, parameters: configuration.scrypt)
            let info = AccountInfo(name: name, email: email, createdMs: configuration.clock())
            try writer.write { db in try AccountSQL.insert(db, key: mapping.fold(name), info: info, password: hash) }
            return .success(info)
        } catch let failure as RegistrationFailure {
            return .failure(failure)
        } catch {
            return .failure(.temporarilyUnavailable(String(describing: error)))
        }
    }

    /// Checks credentials. Runs scrypt on the calling thread. On success, also reports whether
    /// the stored hash used other scrypt parameters than the configured ones.
    public func verifyLogin(account: String, password: String) -> Result<AccountInfo, LoginFailure> {
        verifyCredentials(account: account, password: password).map(\.info)
    }

    struct VerifiedLogin {
        let info: AccountInfo
        let needsRehash: Bool
    }

    func verifyCredentials(account: String, password: String) -> Result<VerifiedLogin, LoginFailure> {
        do {
            guard let credentials = try writer.read({ db in try AccountSQL.credentials(db, key: mapping.fold(account)) }) else {
                return .failure(.noSuchAccount)
            }
            guard try credentials.password.matches(password) else { return .failure(.wrongPassword) }
            return .success(VerifiedLogin(
                info: credentials.info, needsRehash: credentials.password.parameters != configuration.scrypt))
        } catch {
            return .failure(.temporarilyUnavailable(String(describing: error)))
        }
    }

    /// Sets a new password (checked like a registration's). Runs scrypt on the calling thread.
    public func changePassword(account: String, newPassword: String) -> Result<Void, RegistrationFailure> {
        if let failure = configuration.accountRules.checkPassword(newPassword) { return .failure(failure) }
        do {
            let hash = try PasswordHash.make(password: newPassword, parameters: configuration.scrypt)
            let changed = try writer.write { db in
                try AccountSQL.updatePassword(db, key: mapping.fold(account), password: hash)
            }
            return changed ? .success(()) : .failure(.noSuchAccount)
        } catch {
            return .failure(.temporarilyUnavailable(String(describing: error)))
        }
    }

    /// Deletes an account and its read markers; false when it did not exist.
    public func deleteAccount(_ account: String) throws -> Bool {
        try writer.write { db in try AccountSQL.delete(db, key: mapping.fold(account)) }
    }

    /// The scrypt parameters of an account's stored hash (for tests and diagnostics).
    func storedScryptParameters(account: String) throws -> ScryptParameters? {
        try writer.read { db in try AccountSQL.credentials(db, key: mapping.fold(account))?.password.parameters }
    }

    func accountExists(_ name: String) throws -> Bool {
        try writer.read { db in try AccountSQL.exists(db, key: mapping.fold(name)) }
    }

    // MARK: history

    /// One CHATHISTORY page, ascending. Empty when history is off.
    public func history(_ request: HistoryRequest) throws -> [StoredMessage] {
        guard configuration.historyEnabled else { return [] }
        let key = request.conversation.key(between: request.requester, mapping).key
        let limit = configuration.clampLimit(request.limit)
        var floor = configuration.retentionFloorMs()
        if !request.conversation.isRoom, let visibleFrom = request.directVisibleFromMs { floor = max(floor, visibleFrom) }
        return try writer.read { db in
            try HistoryPager(db: db, targetKey: key, floorMs: floor, limit: limit).run(request.query)
        }
    }

    /// The TARGETS answer, ascending by latest time. Empty when history is off.
    public func targets(_ request: TargetsRequest) throws -> [HistoryTarget] {
        guard configuration.historyEnabled else { return [] }
        let floor = configuration.retentionFloorMs()
        // The bounds are exclusive: one below the floor keeps the floor's own millisecond.
        let low = max(min(request.fromMs, request.toMs), floor == .min ? .min : floor - 1)
        let high = max(request.fromMs, request.toMs)
        guard low < high else { return [] }
        let directLow = request.directVisibleFromMs.map { max(low, $0 - 1) } ?? low
        let partyKey = request.requester.key(mapping)
        let roomKeys = request.rooms.map(mapping.fold)
        let found = try writer.read { db in
            try ChunkSQL.roomTargets(db, roomKeys: roomKeys, lowMs: low, highMs: high)
                + ChunkSQL.directTargets(db, partyKey: partyKey, lowMs: directLow, highMs: high, mapping: mapping)
        }
        let sorted = found.sorted { ($0.latestTimeMs, $0.name) < ($1.latestTimeMs, $1.name) }
        let limit = configuration.clampLimit(request.limit)
        return request.fromMs <= request.toMs ? Array(sorted.prefix(limit)) : Array(sorted.suffix(limit))
    }

    /// The account's read marker for a target (a room or a nick), nil when never set.
    public func readMarker(account: String, target: String) throws -> Int64? {
        try writer.read { db in
            try ReadMarkerSQL.get(db, accountKey: mapping.fold(account), targetKey: mapping.fold(target))
        }
    }

    /// Messages stored, all conversations.
    public func messageCount() throws -> Int {
        try writer.read { db in try ChunkSQL.count(db) }
    }

    // MARK: group commit

    /// Runs every job in one transaction; one bad job (a duplicate msgid) fails alone.
    /// Completions are returned only after the commit; when the commit itself fails, or SQLite
    /// abandons the transaction (disk full, I/O error), every job of the batch fails.
    func commit(_ jobs: [WriteJob]) -> [StoreCompletion] {
        routeTable.withLock { routes in commit(jobs, routes: &routes) }
    }

    private func commit(_ jobs: [WriteJob], routes: inout RouteTable) -> [StoreCompletion] {
        let floor = configuration.retentionFloorMs()
        var completions: [StoreCompletion] = []
        do {
            var recorded: Set<String> = []
            completions = try writer.write { db in
                var results: [StoreCompletion] = []
                results.reserveCapacity(jobs.count)
                var inserter: ChunkWriter?
                defer {
                    recorded = inserter?.recorded ?? []
                    if let inserter { swap(&routes, &inserter.routes) }
                }
                var index = 0
                while index < jobs.count {
                    // A run of appends goes to the chunk writer whole: it groups the run by
                    // conversation. The jobs stay where they are: copying a message costs a
                    // retain per string.
                    var end = index
                    while end < jobs.count, jobs[end].isAppend { end += 1 }
                    if end > index {
                        let appender: ChunkWriter
                        if let inserter {
                            appender = inserter
                        } else {
                            appender = try ChunkWriter(db, mapping: mapping, knownConversations: knownConversations)
                            swap(&routes, &appender.routes)
                            inserter = appender
                        }
                        // A failure here is the disk's, and may leave part of the run written:
                        // the whole batch rolls back and fails.
                        try appender.insert(jobs, index..<end, completions: &results)
                        index = end
                        continue
                    }
                    let job = jobs[index]
                    index += 1
                    let result: StoreResult
                    do {
                        result = try perform(job, db, floorMs: floor)
                    } catch {
                        guard db.isInsideTransaction else { throw error }
                        result = failure(job, error)
                    }
                    if let ticket = job.ticket { results.append(StoreCompletion(ticket: ticket, result: result)) }
                }
                return results
            }
            // A purge may have deleted a conversation this batch recorded (its only message
            // being a failed duplicate): after one, the writer simply records again.
            if !jobs.contains(where: \.isPurge) { knownConversations.insert(Array(recorded)) }
            transactions.add(1, ordering: .relaxed)
            writes.add(jobs.reduce(0) { $0 + $1.writeCount }, ordering: .relaxed)
        } catch {
            completions = []
            for job in jobs {
                if case .appendRun(let run) = job {
                    let reason = StoreError(Self.describe(error))
                    completions += run.records.map { StoreCompletion(ticket: $0.ticket, result: .messageFailed(msgid: run.msgid($0), error: reason)) }
                } else if let ticket = job.ticket {
                    completions.append(StoreCompletion(ticket: ticket, result: failure(job, error)))
                }
            }
        }
        return completions
    }

    /// Every job but `.append`, which `commit` hands to the inserter in runs.
    private func perform(_ job: WriteJob, _ db: Database, floorMs: Int64) throws -> StoreResult {
        switch job {
        case .append(_, let message):
            var completions: [StoreCompletion] = []
            try ChunkWriter(db, mapping: mapping, knownConversations: knownConversations).insert([job], 0..<1, completions: &completions)
            return completions.first?.result ?? .messageStored(msgid: message.msgid, stored: true)
        case .appendRun:
            // `commit` hands every append to the chunk writer; there is no single result here.
            return .failed(StoreError("a run of appends has no single result"))
        case .createAccount(_, let info, let hash):
            try AccountSQL.insert(db, key: mapping.fold(info.name), info: info, password: hash)
            return .registered(info)
        case .setPassword(_, let account, let hash):
            guard try AccountSQL.updatePassword(db, key: mapping.fold(account), password: hash) else {
                return .passwordChangeFailed(.noSuchAccount)
            }
            return .passwordChanged(account: account)
        case .deleteAccount(_, let account):
            // Two statements: a savepoint keeps a half-done delete from committing. Every other
            // job is one statement, which SQLite undoes by itself when it fails.
            var existed = false
            try db.inSavepoint {
                existed = try AccountSQL.delete(db, key: mapping.fold(account))
                return .commit
            }
            return .accountDeleted(account: account, existed: existed)
        case .markRead(_, let account, let target, let timeMs):
            let stored = try ReadMarkerSQL.advance(
                db, accountKey: mapping.fold(account), targetKey: mapping.fold(target), timeMs: timeMs)
            return .readMarker(account: account, target: target, timeMs: stored)
        case .purge:
            let purged = try ChunkSQL.purge(db, olderThanMs: floorMs)
            // The purge may have deleted conversations: let the writer record them again.
            if purged > 0 { knownConversations.removeAll() }
            return .purged(count: purged)
        }
    }

    private func failure(_ job: WriteJob, _ error: any Error) -> StoreResult {
        let reason = Self.describe(error)
        switch job {
        case .append(_, let message):
            return .messageFailed(msgid: message.msgid, error: StoreError(reason))
        case .appendRun:
            return .failed(StoreError(reason))
        case .createAccount:
            if let failure = error as? RegistrationFailure { return .registrationFailed(failure) }
            return .registrationFailed(.temporarilyUnavailable(reason))
        case .setPassword:
            return .passwordChangeFailed(.temporarilyUnavailable(reason))
        case .deleteAccount, .markRead, .purge:
            return .failed(StoreError(reason))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            if error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE { return "duplicate: \(error.message ?? "")" }
            return error.message ?? error.description
        }
        return String(describing: error)
    }
}

extension WriteJob {
    var isAppend: Bool {
        switch self {
        case .append, .appendRun: return true
        default: return false
        }
    }

    /// The writes the job stands for: a run counts each of its messages.
    var writeCount: Int {
        if case .appendRun(let run) = self { return run.count }
        return 1
    }

    var isPurge: Bool {
        if case .purge = self { return true }
        return false
    }

    var ticket: StoreTicket? {
        switch self {
        case .append(let ticket, _), .createAccount(let ticket, _, _), .deleteAccount(let ticket, _),
             .markRead(let ticket, _, _, _):
            return ticket
        case .setPassword(let ticket, _, _), .purge(let ticket):
            return ticket
        case .appendRun(let run):
            return run.records.last?.ticket
        }
    }
}
