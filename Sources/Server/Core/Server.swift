import CSupport
import ChatStore
import Glibc
import Logging
import Shared

/// The whole server: configuration, the users and rooms, and the poll loop that drives them.
///
/// Everything here runs on one thread. Handlers (one file per concern under Commands/) change
/// state and append replies to clients' send queues; the loop writes those queues out once per turn.
///
/// Properties touched for every message are `@exclusivity(unchecked)`, as in ``Client``: only the
/// loop thread touches them and no access to them spans a call that could reach them again, while
/// the run-time checks showed in the per-message profile.
final class Server {
    let config: ServerConfig
    let clock: any ServerClock
    var logger: Logger
    let caseMapping = IRCCaseMapping.rfc1459
    let createdText: String

    // Connections.
    var listeners: [Listener] = []
    var clients: [Int: Client] = [:]
    var clientsPerIP: [String: Int] = [:]
    var nextClientID = 1
    /// The ISUPPORT tokens: fixed once the store is open, so built at the first registration, not at each.
    lazy var isupportTokenCache: [String] = isupportTokens()
    /// Registered users, kept as a running count so LUSERS stays cheap with many online.
    var registeredCount = 0
    var invisibleCount = 0

    // Users and rooms, keyed by folded name.
    @exclusivity(unchecked) var nicks: [String: Client] = [:] { didSet { nicksVersion &+= 1 } }
    /// Bumped by every change to `nicks`: a recipient remembered at this version is still its name's.
    @exclusivity(unchecked) private(set) var nicksVersion: UInt64 = 0
    var rooms: [String: Room] = [:]
    /// Folded nick to the ids of clients that MONITOR it.
    var monitors: [String: Set<Int>] = [:]
    /// Ids of clients that enabled the roster capability.
    var rosterClients: Set<Int> = []

    // Loop bookkeeping.
    @exclusivity(unchecked) var pollfds: [pollfd] = []
    var slotOwners: [SlotOwner] = []
    /// Clients with output to write this turn, unretained: each one is also in `clients` until
    /// ``finalClose(_:)``, which takes it out of here first (a retain and release per client per
    /// turn showed in the fan-out profile).
    @exclusivity(unchecked) var flushQueue: [Unmanaged<Client>] = []
    var closingClients: [Client] = []
    var throttledClients: Set<Int> = []
    @exclusivity(unchecked) var now: Double
    var nextTimerCheck: Double = 0
    var nextAccountRefresh: Double = 0
    var accountRefreshInFlight = false
    var stopRequested = false
    var wakeFD: Int32 = -1
    var signalFD: Int32 = -1
    let readBuffer: UnsafeMutableRawBufferPointer

    // Accounts and history.
    var store: ChatStore? { didSet { storeReference = store.map { Unmanaged.passUnretained($0) } } }
    /// `store` unretained, for the DM fast path: `store` keeps it alive.
    @exclusivity(unchecked) private(set) var storeReference: Unmanaged<ChatStore>?
    /// Folded names of every registered account, so nick protection never waits on the disk.
    var accountNames: Set<String> = []
    /// Stored messages not yet committed, oldest first (appends complete in order), each marked
    /// when an echo waits for its commit; `pendingRelayHead` is the next.
    @exclusivity(unchecked) var pendingRelays: [PendingCommit] = []
    @exclusivity(unchecked) var pendingRelayHead = 0
    /// The echoes of the marked entries of `pendingRelays`, in the same order; `pendingEchoHead`
    /// is the next. Apart, so the ticket FIFO holds plain values: a message without an echo (most
    /// of them) costs no reference counting or generic destroying there.
    @exclusivity(unchecked) var pendingEchoes: [PendingRelay] = []
    @exclusivity(unchecked) var pendingEchoHead = 0
    /// Set while the storage side is too far behind: client sockets are not read until it catches up.
    @exclusivity(unchecked) var readsPaused = false
    /// When reading last paused (loop clock), for the log line that says how long it lasted.
    var readsPausedAt = 0.0
    /// Other requests in flight at the store, by ticket.
    var pendingStoreOperations: [StoreTicket: PendingStoreOperation] = [:]
    /// Failed logins per IP and per account, for rate limiting: count within the window and its start.
    var loginFailures: [String: (count: Int, since: Double)] = [:]

    // Message ids: unique across restarts (random prefix) and cheap (a counter).
    let msgidPrefix: InlineBytes
    @exclusivity(unchecked) var msgidCounter: UInt64 = 0
    /// The msgid prefix followed by the counter's base-36 digits except the last two.
    @exclusivity(unchecked) var msgidHead = InlineBytes()
    @exclusivity(unchecked) var msgidHeadHigh: UInt64 = 0

    // Receive time (see Server+ReceiveTime.swift).
    /// Set while the lines of one socket read are handled: they all arrived at the same moment.
    @exclusivity(unchecked) var handlingRead = false
    /// The wall clock read for the current socket read, or -1 before the first line asked for it.
    @exclusivity(unchecked) var readWallMilliseconds: Int64 = -1
    /// The last server-time text made and its millisecond.
    @exclusivity(unchecked) var serverTimeTextMilliseconds = Int64.min
    @exclusivity(unchecked) var serverTimeTextCache = ""
    /// `serverTimeTextCache` as inline bytes.
    @exclusivity(unchecked) var serverTimeBytesCache: InlineBytes?

    /// What each pollfd entry belongs to.
    enum SlotOwner {
        case listener(Int)
        case signal
        case wake
        case client(Client)
    }

    init(config: ServerConfig, clock: any ServerClock = SystemClock(), logger: Logger) {
        self.config = config
        self.clock = clock
        self.logger = logger
        self.now = clock.monotonic()
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var prefix = InlineBytes()
        for _ in 0..<8 { prefix.append(alphabet[Int(random.next() % UInt64(alphabet.count))]) }
        self.msgidPrefix = prefix
        self.createdText = IRCTime.format(millisecondsSince1970: clock.wallMilliseconds())
    }

    deinit {
        readBuffer.deallocate()
    }

    /// A fresh message id.
    func makeMsgid() -> String { makeMsgidBytes().string }

    /// A fresh message id as bytes: `prefix + String(counter, radix: 36)` exactly (the store reads
    /// that form back), built without a String: making and concatenating Strings cost ~250
    /// instructions per message, and every copy of one a retain and a release. The head (prefix
    /// and all digits but the last two) changes every 1,296 messages.
    func makeMsgidBytes() -> InlineBytes {
        msgidCounter += 1
        let high = msgidCounter / 1296
        let low = Int(msgidCounter % 1296)
        var id: InlineBytes
        if high == 0 {
            id = msgidPrefix
            if low >= 36 { id.append(Self.base36Digit(low / 36)) }
        } else {
            if high != msgidHeadHigh || msgidHead.count == 0 {
                // Compared, not assumed from the low part wrapping: batch ids advance the counter too.
                var head = msgidPrefix
                for byte in String(high, radix: 36).utf8 { head.append(byte) }
                msgidHead = head
                msgidHeadHigh = high
            }
            id = msgidHead
            id.append(Self.base36Digit(low / 36))
        }
        id.append(Self.base36Digit(low % 36))
        return id
    }

    /// The base-36 digit for 0 through 35, as `String(_:radix:)` writes it.
    @inline(__always)
    private static func base36Digit(_ value: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: value < 10 ? 48 + value : 87 + value)
    }

    func fold(_ name: String) -> String { caseMapping.fold(name) }
}
