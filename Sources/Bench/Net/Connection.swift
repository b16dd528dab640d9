/// One simulated IRC client: its socket, its pending output and what the loop knows about it.
///
/// Owned by exactly one ``EventLoop`` and touched only from that loop's thread.
final class Connection {
    /// Where the client is in its life.
    enum State {
        case notStarted, connecting, registering, registered, closed
    }

    /// Position in the loop's connection list; drivers use it to index their own per-client data.
    let index: Int
    /// The nick this client registers with.
    let nick: [UInt8]
    /// The socket, or -1 before connecting and after closing.
    var fd: Int32 = -1
    /// Life-cycle state.
    var state: State = .notStarted
    /// Bytes queued for the socket; `outOffset` of them are already written.
    var out: [UInt8] = []
    /// How much of `out` is already written.
    var outOffset = 0
    /// True while epoll reports writability for this socket (only while output waits).
    var watchesWritable = false
    /// True while the connection is on the loop's list of clients with output to flush.
    var isQueuedForFlush = false
    /// The incomplete last line of the previous read.
    var partialLine: [UInt8] = []
    /// Every byte the server sent this client.
    var bytesReceived = 0
    /// When the connect call was made.
    var connectStartedAt: UInt64 = 0
    /// When 001 arrived.
    var registeredAt: UInt64 = 0
    /// Sync PINGs sent and not yet answered.
    var pendingSyncs = 0

    /// Creates a client that is not yet connected.
    init(index: Int, nick: String) {
        self.index = index
        self.nick = Array(nick.utf8)
    }

    /// Bytes waiting to be written.
    var pendingOutput: Int { out.count - outOffset }

    /// Queues raw bytes.
    @inline(__always)
    func append(_ text: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Queues raw bytes.
    @inline(__always)
    func append(_ bytes: [UInt8]) {
        out.append(contentsOf: bytes)
    }

    /// Queues a decimal number.
    @inline(__always)
    func append(number: UInt64) {
        var value = number
        var digits: (UInt64, UInt64) = (0, 0)
        var count = 0
        // Digits are produced backwards into a small stack buffer, then copied forward.
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(48 + value % 10)
                value /= 10
                count += 1
            } while value > 0
            for position in stride(from: count - 1, through: 0, by: -1) { out.append(raw[position]) }
        }
    }

    /// Queues an arbitrary line of text followed by CR LF.
    func append(line: String) {
        out.append(contentsOf: line.utf8)
        append("\r\n")
    }
}
