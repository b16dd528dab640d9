import Shared

/// One connection and the user behind it. Lives on the loop thread only.
///
/// Properties touched for every line or delivery are `@exclusivity(unchecked)`: the loop thread is
/// the only one to touch a client and no access to them spans a call that could reach them again,
/// while the runtime checks (a call, a thread-local lookup and an access-set insert each) cost a
/// third of a fan-out delivery's instructions.
final class Client {
    let id: Int
    let fd: Int32
    let ip: String
    /// Index of this client's entry in the loop's pollfd array.
    @exclusivity(unchecked) var slot = -1

    @exclusivity(unchecked) var framer: LineFramer
    /// Bytes waiting to be written; `outStart` is how much of it the kernel already took.
    @exclusivity(unchecked) var out: [UInt8] = []
    @exclusivity(unchecked) var outStart = 0
    /// Set while the client is in the loop's list of clients to flush this turn.
    @exclusivity(unchecked) var isQueuedForFlush = false
    /// Set when bytes moved either way since the last timer check; a client that stays quiet
    /// through a whole check gives its buffers back (see ``releaseIdleBuffers()``).
    @exclusivity(unchecked) var hadTraffic = false
    /// Times the send queue was written out completely since the last timer check: a client that
    /// drains often is busy and keeps its buffer's capacity for the next turn.
    @exclusivity(unchecked) var drainsSinceCheck = 0
    /// The client was busy through the whole last timer period: it stays busy through this one,
    /// so its send queue is not freed and regrown on the first drains after each check.
    @exclusivity(unchecked) var wasBusy = false
    /// Set once the client must go; the loop closes it after a last flush.
    @exclusivity(unchecked) var closeReason: String?
    /// When a closing client is closed even if its last lines are not all written.
    var closeDeadline = Double.infinity

    var nick: String? { didSet { identityChanged() } }
    var foldedNick: String?
    var user: String? { didSet { identityChanged() } }
    var realname = ""
    var host: String { didSet { identityChanged() } }
    /// `nick!user@host`, kept up to date because every relayed line carries it.
    @exclusivity(unchecked) private(set) var prefix = ""
    /// What the direct-message fast path asks of the names on every line, answered when they
    /// change: `prefix` goes on the wire as it is (``Server/isPlainWord(_:)``), and so does
    /// ``displayNick`` as a middle parameter (plain, no leading colon).
    @exclusivity(unchecked) private(set) var prefixIsPlain = false
    @exclusivity(unchecked) private(set) var displayNickIsPlainParameter = false
    var passwordAccepted: Bool
    @exclusivity(unchecked) var isRegistered = false
    var capNegotiationOpen = false
    var capVersion = 0
    @exclusivity(unchecked) var caps: CapSet = []
    @exclusivity(unchecked) var awayMessage: String?
    var userModes: Set<Character> = []
    @exclusivity(unchecked) var account: String? {
        didSet {
            accountIsPlainTag = account.map(Server.needsNoTagEscaping) ?? true
            identityVersion &+= 1
        }
    }
    /// The account, if any, goes in an `account` tag with nothing to escape (kept with `account`).
    @exclusivity(unchecked) private(set) var accountIsPlainTag = true
    /// Bumped whenever nick, user, host or account changes: the store's route key for this
    /// client's direct messages (``DirectRouteKey``) stands for its names at one version.
    @exclusivity(unchecked) private(set) var identityVersion: UInt64 = 0

    /// Who this client's last direct message went to, so the next one to the same name skips the lookup.
    @exclusivity(unchecked) var recentDirectTarget = RecentDirectTarget()

    /// Folded names of the rooms this client is in.
    var rooms: Set<String> = []
    /// Folded nicks this client MONITORs.
    var monitoring: Set<String> = []

    let connectedAt: Double
    /// Wall-clock milliseconds at the accept, on the clock that stamps messages (`time`): a
    /// guest's direct history starts here, so whatever it was sent after connecting is visible.
    let connectedWallMs: Int64
    @exclusivity(unchecked) var lastReceivedAt: Double
    @exclusivity(unchecked) var lastSpokeAt: Double
    @exclusivity(unchecked) var pingSentAt: Double?
    @exclusivity(unchecked) var bucket: TokenBucket
    /// Lines framed but held back by flood control.
    @exclusivity(unchecked) var heldLines: [[UInt8]] = []

    /// While a labeled command runs, its replies to this client gather here.
    @exclusivity(unchecked) var labelCapture: [IRCMessage]?
    /// The label of the command being run, while it runs.
    @exclusivity(unchecked) var currentLabel: String?
    /// Set by a handler whose answer comes later (from storage): no ACK now, the answer carries the label.
    @exclusivity(unchecked) var labelDeferred = false

    /// A login (SASL or PASS) is being checked; registration waits for it.
    var loginInFlight = false
    /// Base64 SASL payload gathered so far, once `AUTHENTICATE PLAIN` was accepted.
    var saslPayload: String?
    /// A PASS that was not the server password: tried as the account password at registration.
    var accountPassword: String?

    init(id: Int, fd: Int32, ip: String, now: Double, wallMs: Int64, config: ServerConfig) {
        self.id = id
        self.fd = fd
        self.ip = ip
        self.host = ip.contains(":") ? "[\(ip)]" : ip
        self.framer = LineFramer(maxLineBytes: IRCLimits.clientTagBytes + IRCLimits.lineBytes)
        // An active connection keeps its read buffer between reads; an idle one gives it back.
        self.framer.retainedCapacity = Self.activeBufferCapacity
        self.connectedAt = now
        self.connectedWallMs = wallMs
        self.lastReceivedAt = now
        self.lastSpokeAt = now
        self.passwordAccepted = config.password == nil
        self.bucket = TokenBucket(rate: config.floodRate, burst: config.floodBurst, now: now)
        identityChanged()
    }

    private func identityChanged() {
        identityVersion &+= 1
        prefix = Self.makePrefix(nick, user, host)
        prefixIsPlain = Server.isPlainWord(prefix)
        let shownNick = displayNick
        displayNickIsPlainParameter = Server.isPlainWord(shownNick) && shownNick.utf8.first != UInt8(ascii: ":")
    }

    private static func makePrefix(_ nick: String?, _ user: String?, _ host: String) -> String {
        "\(nick ?? "*")!\(user ?? "*")@\(host)"
    }

    /// The nick, or `*` before one is set (the target of numerics sent before registration).
    var displayNick: String { nick ?? "*" }

    /// Bytes queued but not yet written.
    var pendingOutput: Int { out.count - outStart }

    func has(_ cap: CapSet) -> Bool { caps.contains(cap) }

    /// Buffer capacity an active connection keeps between loop turns, so a busy client's queues are
    /// not freed and re-grown (with page faults) every turn. Larger buffers are freed once drained.
    static let activeBufferCapacity = 256 * 1024

    /// Capacity any drained send queue may keep (a registration burst does not count as busy).
    static let quietBufferCapacity = 1024

    /// Drains within one timer period after which a client counts as busy.
    static let busyDrains = 8

    /// How much capacity the send queue keeps once drained.
    var drainedCapacityToKeep: Int {
        wasBusy || drainsSinceCheck > Self.busyDrains ? Self.activeBufferCapacity : Self.quietBufferCapacity
    }

    /// Called at each timer check: a client busy in the period that ends keeps its capacity through
    /// the next one; one that was not gives it back at its next drain (and an idle one at the check).
    func startTimerPeriod() {
        wasBusy = drainsSinceCheck > Self.busyDrains
        drainsSinceCheck = 0
    }

    /// Gives back the memory of drained buffers; idle connections dominate the server's memory.
    func releaseIdleBuffers() {
        if outStart == out.count, out.capacity > 0 {
            out = []
            outStart = 0
        }
        framer.releaseCapacity()
    }
}
