/// Everything the server is told at start-up. Every limit has a flag and a sane default.
struct ServerConfig: Sendable {
    var listen: [ListenAddress] = [ListenAddress(host: "127.0.0.1", port: 6667)]
    var serverName = "chat.localhost"
    var network = "chat"
    var motdLines: [String]?
    var password: String?
    var maxClients = 10_000
    var maxClientsPerIP = 64
    var recvQBytes = 16 * 1024
    var sendQBytes = 1024 * 1024
    /// Uncommitted messages at which reading pauses; it resumes at a quarter of this.
    var storeBacklog = 131_072
    /// Lines per second a client may sustain; 0 turns flood control off.
    var floodRate = 5.0
    /// Lines a client may send at once before the rate applies.
    var floodBurst = 20
    var nickLength = 30
    var roomLength = 64
    var topicLength = 300
    var awayLength = 300
    var kickLength = 300
    var realnameLength = 128
    var maxRoomsPerClient = 100
    var maxTargets = 4
    var monitorLimit = 100
    var registrationTimeout: Double = 30
    var pingInterval: Double = 120
    var idleTimeout: Double = 60
    /// Path of the SQLite database, `:memory:` for a throwaway one.
    var databasePath = ":memory:"
    var historyEnabled = true
    var historyDays: Int?
    /// `full` fsyncs every group commit; `normal` survives a process kill but not a power cut.
    var durability = "normal"
    /// scrypt cost for new password hashes, as log2(N).
    var scryptLog2N = 15
    /// Failed logins allowed per IP and per account within a minute.
    var maxLoginFailures = 5
    var version = "chat-server-0.1"
}
