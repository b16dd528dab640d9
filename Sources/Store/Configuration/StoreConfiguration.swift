import Shared

/// Everything a store is opened with.
public struct StoreConfiguration: Sendable {
    /// How hard a commit tries to reach the disk.
    public enum Durability: String, Sendable {
        /// `synchronous=FULL`: each group commit fsyncs the WAL. A confirmed message survives
        /// a process kill and a power loss.
        case full
        /// `synchronous=NORMAL`: a confirmed message survives a process kill (the WAL is written
        /// before the commit returns) but the last commits may be lost on power loss.
        case normal
    }

    /// A database file path, or `:memory:` for a throwaway store.
    public var path: String
    /// How nicks, account and room names fold; must match the server's CASEMAPPING and must not
    /// change for an existing database.
    public var caseMapping: IRCCaseMapping = .rfc1459
    /// Whether messages are stored at all. When false, appends are confirmed without writing and
    /// history queries answer empty.
    public var historyEnabled = true
    /// Messages older than this many days are never returned and are purged; nil keeps everything.
    public var historyDays: Int?
    /// The commit durability; `.full` by default.
    public var durability: Durability = .full
    /// scrypt parameters for new hashes.
    public var scrypt: ScryptParameters = .interactive
    /// Longest account name, in bytes (an account name must be a valid nick).
    public var maxAccountNameLength = 32
    /// Shorter passwords are refused with WEAK_PASSWORD.
    public var minimumPasswordBytes = 8
    /// Longer passwords are refused with UNACCEPTABLE_PASSWORD.
    public var maximumPasswordBytes = 300
    /// Requests ask for at most this many messages or targets.
    public var maxQueryLimit = 1000
    /// At most this many writes share one transaction, so completions keep flowing under load.
    public var maxBatchSize = 4096
    /// Commits start at most this often (seconds): writes that arrive meanwhile share the next
    /// one. Under a moderate stream this turns many one-message commits (each a WAL write of
    /// whole pages) into a few larger ones; only echoes wait for commits, and at most this long.
    public var commitInterval = 0.001
    /// The longest commits wait under load (seconds): after a commit of N messages the next
    /// starts no sooner than N × `commitGatherPerWrite` after it, between `commitInterval` and
    /// this (see CommitPacing). Each commit rewrites an index page per conversation it touches
    /// and fsyncs: under a heavy stream, larger commits write fewer pages per message.
    public var busyCommitInterval = 0.010
    /// Seconds of gathering each message of the last commit buys the next (see `busyCommitInterval`).
    public var commitGatherPerWrite = 0.000_001
    /// Reader threads serving history queries and lookups.
    public var readerThreads = 2
    /// Threads running scrypt for logins and registrations; each hash keeps one core busy.
    public var passwordThreads = 2
    /// How often the storage thread purges expired history when `historyDays` is set.
    public var purgeIntervalSeconds = 3600
    /// The page size of a new database file; an existing file keeps its own. Every page the
    /// storage thread writes is one WAL frame, written as two system calls (its header, then the
    /// page), and copied back by the checkpoint thread with two more: 8 KiB pages halve those
    /// calls per stored message against 4 KiB (store-writer 0.149 -> 0.126 us and store-ckpt
    /// 0.080 -> 0.065 us per DM under `chat-bench --scenario dm`), for a few more bytes, as each
    /// commit still rewrites one index leaf per conversation it touches. 16 KiB saved little more
    /// and wrote a quarter more bytes.
    var pageSizeBytes = 8_192
    /// WAL size in frames (64 MiB with 8 KiB pages) past which the storage thread checkpoints
    /// between two commits itself, so a steady stream cannot grow the log without bound.
    var walFramesBeforeWriterCheckpoint = 8_192
    /// The WAL file's size limit (`journal_size_limit`): that many frames with their 24-byte
    /// headers, plus a margin for the commit that crosses the line. Counted with the configured
    /// page size; a file created with smaller pages reaches its checkpoint size sooner.
    var walSizeLimitBytes: Int { (walFramesBeforeWriterCheckpoint + 1_024) * (max(pageSizeBytes, 4_096) + 24) }
    /// The wall clock in milliseconds since the epoch; injected so tests can move time.
    public var clock: @Sendable () -> Int64 = { IRCTime.nowMilliseconds() }

    /// A configuration with defaults for everything but the path.
    public init(path: String) {
        self.path = path
    }

    /// True for `:memory:`.
    public var isInMemory: Bool { path == ":memory:" }

    var accountRules: AccountRules {
        AccountRules(
            maxNameLength: maxAccountNameLength, minimumPasswordBytes: minimumPasswordBytes,
            maximumPasswordBytes: maximumPasswordBytes)
    }

    /// The oldest time still visible under the retention setting.
    func retentionFloorMs() -> Int64 {
        guard let historyDays, historyDays > 0 else { return Int64.min }
        return clock() - Int64(historyDays) * 86_400_000
    }

    func clampLimit(_ limit: Int) -> Int {
        min(max(limit, 1), max(maxQueryLimit, 1))
    }
}
