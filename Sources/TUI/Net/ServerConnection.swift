import CSupport
import Foundation
import Shared
import Synchronization

/// The socket thread: connects (again and again, with backoff), frames and parses what the
/// server sends, and hands typed events to the UI through a locked queue and a wake fd.
/// The UI queues outgoing lines the same way in the other direction.
final class ServerConnection: Sendable {
    private struct Outbox {
        var lines: [[UInt8]] = []
        var stopping = false
    }

    let host: String
    let port: Int
    /// The UI polls this; it is signalled whenever events are queued.
    let uiWake: WakeSignal
    private let netWake: WakeSignal
    private let done: WakeSignal
    private let inbox = Mutex<[NetworkEvent]>([])
    /// CLOCK_MONOTONIC nanoseconds of the last read that produced events (for the benchmark log).
    let lastReadNanos = Atomic<Int64>(0)
    private let outbox = Mutex(Outbox())

    /// Creates a connection to `host:port`; nothing happens until ``start()``.
    init(host: String, port: Int, uiWake: WakeSignal) throws(WakeSignalError) {
        self.host = host
        self.port = port
        self.uiWake = uiWake
        netWake = try WakeSignal()
        done = try WakeSignal()
    }

    /// Starts the socket thread.
    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "chat-tui socket"
        thread.start()
    }

    /// Queues a line for the server. Lines queued while disconnected are dropped at the next
    /// connect: the reducer re-sends what matters (pending messages, joins) after registering.
    func send(_ message: IRCMessage) {
        let bytes = message.wireBytes
        outbox.withLock { $0.lines.append(bytes) }
        netWake.signal()
    }

    /// Takes every event queued since the last call.
    func drain() -> [NetworkEvent] {
        inbox.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }

    /// Flushes queued lines, closes, and waits up to `timeoutMilliseconds` for the thread.
    func stop(timeoutMilliseconds: Int32) {
        outbox.withLock { $0.stopping = true }
        netWake.signal()
        var pollfd = Glibc.pollfd(fd: done.fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&pollfd, 1, timeoutMilliseconds)
    }

    private var isStopping: Bool { outbox.withLock { $0.stopping } }

    private func publish(_ events: [NetworkEvent]) {
        guard !events.isEmpty else { return }
        inbox.withLock { $0.append(contentsOf: events) }
        uiWake.signal()
    }

    // MARK: - Thread body

    private func run() {
        var backoff = Backoff()
        var attempt = 0
        while !isStopping {
            attempt += 1
            publish([.connecting(attempt: attempt)])
            let reason: String
            switch Socket.connect(host: host, port: port, timeoutMilliseconds: 10_000) {
            case .failure(let error):
                reason = error.description
            case .success(let fd):
                outbox.withLock { $0.lines.removeAll() }
                publish([.connected])
                let (why, heardFromServer) = serve(fd)
                close(fd)
                reason = why
                if heardFromServer {
                    backoff.reset()
                    attempt = 0
                }
            }
            if isStopping { break }
            let delay = backoff.nextDelay()
            publish([.disconnected(reason: reason, retryAt: IRCTime.nowMilliseconds() + delay)])
            waitOrStop(milliseconds: delay)
        }
        done.signal()
    }

    /// Sleeps for the backoff delay unless asked to stop; lines queued meanwhile are dropped.
    private func waitOrStop(milliseconds: Int64) {
        let deadline = IRCTime.nowMilliseconds() + milliseconds
        while !isStopping {
            let left = deadline - IRCTime.nowMilliseconds()
            if left <= 0 { return }
            var pollfd = Glibc.pollfd(fd: netWake.fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&pollfd, 1, Int32(min(left, Int64(Int32.max))))
            netWake.clear()
        }
    }

    /// Runs one connection until it ends; returns why, and whether the server said anything.
    private func serve(_ fd: Int32) -> (String, Bool) {
        var framer = LineFramer()
        var pending: [UInt8] = []
        var sent = 0
        var heard = false
        var readBuffer = [UInt8](repeating: 0, count: 16 * 1024)
        var lastHeard = IRCTime.nowMilliseconds()
        var probed = false
        // A server that vanishes without a FIN is noticed after this silence plus a PING.
        let silenceLimit: Int64 = 240_000
        while true {
            let stopping = outbox.withLock { box -> Bool in
                for line in box.lines { pending.append(contentsOf: line) }
                box.lines.removeAll(keepingCapacity: true)
                return box.stopping
            }
            if stopping, sent >= pending.count {
                shutdown(fd, Int32(SHUT_WR))
                drainUntilClosed(fd, milliseconds: 1000)
                return ("quit", heard)
            }
            var fds = [
                Glibc.pollfd(fd: fd, events: Int16(POLLIN) | (sent < pending.count ? Int16(POLLOUT) : 0), revents: 0),
                Glibc.pollfd(fd: netWake.fd, events: Int16(POLLIN), revents: 0),
            ]
            let silence = IRCTime.nowMilliseconds() - lastHeard
            let timeout = Int32(clamping: max(0, (probed ? silenceLimit + 60_000 : silenceLimit) - silence))
            let ready = poll(&fds, 2, timeout)
            if ready < 0 {
                if chat_errno() == EINTR { continue }
                return ("poll: " + String(cString: strerror(chat_errno())), heard)
            }
            if ready == 0 {
                if probed { return ("no reply from the server for \(silenceLimit / 1000 + 60) s", heard) }
                probed = true
                pending.append(contentsOf: IRCMessage("PING", "chat-tui").wireBytes)
                continue
            }
            if fds[1].revents != 0 { netWake.clear() }
            if fds[0].revents & Int16(POLLOUT) != 0, sent < pending.count {
                let written = pending[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if written < 0 {
                    let code = chat_errno()
                    if code != EAGAIN && code != EINTR { return ("write: " + String(cString: strerror(code)), heard) }
                } else {
                    sent += written
                    if sent == pending.count {
                        pending.removeAll(keepingCapacity: true)
                        sent = 0
                    }
                }
            }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let count = readBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count == 0 { return ("the server closed the connection", heard) }
                if count < 0 {
                    let code = chat_errno()
                    if code == EAGAIN || code == EINTR { continue }
                    return ("read: " + String(cString: strerror(code)), heard)
                }
                heard = true
                lastHeard = IRCTime.nowMilliseconds()
                probed = false
                framer.append(readBuffer[0..<count])
                var events: [NetworkEvent] = []
                while let frame = framer.next() {
                    switch frame {
                    case .line(let bytes):
                        do {
                            events.append(.message(try IRCMessage.parse(bytes, limits: .fromServer)))
                        } catch {
                            events.append(.unreadable("\(error)"))
                        }
                    case .tooLong:
                        events.append(.unreadable("a line longer than \(framer.maxLineBytes) bytes"))
                    }
                }
                if !events.isEmpty { lastReadNanos.store(MonotonicClock.nanoseconds(), ordering: .relaxed) }
                publish(events)
            }
        }
    }

    private func drainUntilClosed(_ fd: Int32, milliseconds: Int64) {
        let deadline = IRCTime.nowMilliseconds() + milliseconds
        var scratch = [UInt8](repeating: 0, count: 4096)
        while IRCTime.nowMilliseconds() < deadline {
            var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(clamping: deadline - IRCTime.nowMilliseconds())
            guard poll(&pollfd, 1, max(0, left)) > 0 else { return }
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
        }
    }
}
