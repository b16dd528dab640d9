import Shared

/// Everything that can change the state: keys, the network, the terminal, and time.
enum AppEvent: Equatable, Sendable {
    case key(Key)
    case network(NetworkEvent)
    /// The terminal has a new size.
    case resize(rows: Int, columns: Int)
    /// A deadline the loop was asked to wake for has passed (reconnect countdown, ISON poll).
    case tick
}

/// What the socket thread reports.
enum NetworkEvent: Equatable, Sendable {
    /// A connection attempt starts.
    case connecting(attempt: Int)
    /// TCP connected; registration may begin.
    case connected
    /// A line from the server.
    case message(IRCMessage)
    /// The server sent a line we could not parse; shown, not fatal.
    case unreadable(String)
    /// The connection is gone; the socket thread tries again at `retryAt`.
    case disconnected(reason: String, retryAt: Int64)
}

/// What the reducer asks the outside world to do.
enum Effect: Equatable, Sendable {
    /// Queue a line for the server.
    case send(IRCMessage)
    /// Leave: flush what is queued, restore the terminal, exit.
    case quit
    /// Repaint the whole terminal (Ctrl-L).
    case repaint
}
