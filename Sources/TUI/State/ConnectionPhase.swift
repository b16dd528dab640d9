/// Where the connection to the server stands, as the status line shows it.
enum ConnectionPhase: Equatable, Sendable {
    /// Resolving and connecting (attempt number from 1).
    case connecting(attempt: Int)
    /// TCP is up; CAP negotiation and NICK/USER are under way.
    case registering
    /// The server welcomed us (001).
    case connected
    /// The connection dropped; the next attempt starts at `retryAt` (ms since the epoch).
    case waiting(retryAt: Int64, reason: String)
    /// /quit was given; the client is leaving.
    case quitting
}

/// The server and identity this client connects with.
struct ServerIdentity: Equatable, Sendable {
    var host: String
    var port: Int
    var nick: String
    var user: String
    var realname: String
    var password: String?

    /// Creates an identity.
    init(host: String, port: Int, nick: String, user: String, realname: String, password: String? = nil) {
        self.host = host
        self.port = port
        self.nick = nick
        self.user = user
        self.realname = realname
        self.password = password
    }

    /// `host:port`, with brackets around an IPv6 address.
    var address: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
