import Glibc
import CSupport

/// One worker's readiness loop (level-triggered epoll) over its non-blocking client sockets.
///
/// epoll rather than poll(2): with 10,000 idle clients, poll would scan every socket on every
/// turn and the generator, not the server, would become the cost being measured.
/// Reads in large chunks into one buffer shared by all its clients, splits lines in place,
/// and writes each client's queued output once per loop turn, so a burst of messages costs one
/// system call per socket rather than one per message.
final class EventLoop {
    /// The clients this loop owns.
    private(set) var connections: [Connection] = []
    /// Registration latency (connect to 001) of every client that registered.
    private(set) var registrationLatency = LatencySamples()
    /// Clients that received 001 so far.
    private(set) var registeredCount = 0
    /// The worker number, for waking it and for messages.
    let workerIndex: Int
    let coordinator: Coordinator

    private let server: Endpoint
    private let sources: [Endpoint]
    private let registrationText: (prefix: [UInt8], suffix: [UInt8])
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var flushQueue: [Int] = []
    private var connectCursor = 0
    private var connectEnd = 0
    private var connectLimit = 0
    private var connectingNow = 0
    private let epollFD: Int32
    private var readyKeys = [UInt64](repeating: 0, count: 512)
    private var readyEvents = [UInt32](repeating: 0, count: 512)
    private static let wakeKey = UInt64.max
    private var closedByUs = false
    private var stopped = false
    private static let syncToken: [UInt8] = Array("chatbench-sync".utf8)

    /// Creates a loop that connects to `server`, binding client sockets to `sources` in turn
    /// (several loopback addresses get around per-address limits of some servers) and asking for
    /// `capabilities` during registration.
    init(workerIndex: Int, coordinator: Coordinator, server: Endpoint, sources: [Endpoint], capabilities: [String]) {
        self.workerIndex = workerIndex
        self.coordinator = coordinator
        self.server = server
        self.sources = sources
        if capabilities.isEmpty {
            registrationText = ([], [])
        } else {
            registrationText = (Array("CAP LS 302\r\nCAP REQ :\(capabilities.joined(separator: " "))\r\n".utf8), Array("CAP END\r\n".utf8))
        }
        readBuffer = .allocate(byteCount: 256 * 1024, alignment: 16)
        epollFD = chat_epoll_create()
        _ = chat_epoll_control(epollFD, Int32(CHAT_EPOLL_ADD), coordinator.wakeDescriptors[workerIndex], UInt32(CHAT_EPOLL_IN), Self.wakeKey)
    }

    deinit {
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
        readBuffer.deallocate()
        close(epollFD)
    }

    /// Adds a client; it connects when ``connectAll(concurrency:)`` or ``connect(_:)`` says so.
    @discardableResult
    func addClient(nick: String) -> Connection {
        let connection = Connection(index: connections.count, nick: nick)
        connections.append(connection)
        return connection
    }

    /// Connects every client not yet started (or the first `limit` clients), keeping at most
    /// `concurrency` registrations open at once.
    func connectAll(concurrency: Int, limit: Int? = nil) {
        connectLimit = max(1, concurrency)
        connectEnd = min(limit ?? connections.count, connections.count)
        startPendingConnects(now: MonotonicClock.now())
    }

    /// Connects one client now.
    func connect(_ connection: Connection, now: UInt64) {
        guard connection.state == .notStarted else { return }
        let source = sources.isEmpty ? nil : sources[connection.index % sources.count]
        switch server.startConnect(from: source) {
        case .failure(let error):
            fail("client \(String(decoding: connection.nick, as: UTF8.self)): \(error)")
        case .success(let fd):
            connection.fd = fd
            connection.state = .connecting
            connection.watchesWritable = true
            if chat_epoll_control(epollFD, Int32(CHAT_EPOLL_ADD), fd, UInt32(CHAT_EPOLL_IN | CHAT_EPOLL_OUT), UInt64(connection.index)) != 0 {
                fail("epoll_ctl: \(String(cString: strerror(errno)))")
                return
            }
            connection.connectStartedAt = now
            connectingNow += 1
            connection.append(registrationText.prefix)
            connection.append("NICK ")
            connection.append(connection.nick)
            connection.append("\r\nUSER ")
            connection.append(connection.nick)
            connection.append(" 0 * :chat-bench\r\n")
            connection.append(registrationText.suffix)
        }
    }

    /// Queues a sync PING; ``LoopDriver/synced(_:loop:now:)`` follows once the server answered.
    func sync(_ connection: Connection) {
        connection.pendingSyncs += 1
        connection.append("PING :")
        connection.append(Self.syncToken)
        connection.append("\r\n")
        queueFlush(connection)
    }

    /// Marks `connection` as having output to write at the end of this loop turn.
    @inline(__always)
    func queueFlush(_ connection: Connection) {
        if !connection.isQueuedForFlush && connection.state != .notStarted && connection.state != .closed {
            connection.isQueuedForFlush = true
            flushQueue.append(connection.index)
        }
    }

    /// Stops the run with `message`.
    func fail(_ message: String) {
        if !stopped { coordinator.fail("worker \(workerIndex): \(message)") }
        stopped = true
    }

    /// Ends the loop after this turn (the driver's work is done and its result handed in).
    func stop() { stopped = true }

    /// Closes every socket; server-side closes after this are expected, not failures.
    func closeAll() {
        closedByUs = true
        for connection in connections where connection.fd >= 0 {
            close(connection.fd)
            connection.fd = -1
            connection.state = .closed
        }
    }

    /// Runs until the driver stops the loop or the run is aborted.
    func run(driver: LoopDriver) {
        var phase = Phase.setup
        driver.entered(.setup, loop: self, now: MonotonicClock.now())
        flushAll()
        while !stopped && !coordinator.isAborted {
            let now = MonotonicClock.now()
            let current = coordinator.phase
            if current.rawValue > phase.rawValue {
                phase = current
                driver.entered(phase, loop: self, now: now)
                flushAll()
                if stopped { break }
            }
            var timeout: Int32 = 200
            if let deadline = driver.nextDeadline(now: now) {
                timeout = deadline <= now ? 0 : Int32(min(200, (deadline - now + 999_999) / 1_000_000))
            }
            let ready = readyKeys.withUnsafeMutableBufferPointer { keys in
                readyEvents.withUnsafeMutableBufferPointer { events in
                    chat_epoll_wait(epollFD, keys.baseAddress, events.baseAddress, Int32(keys.count), timeout)
                }
            }
            if ready < 0 {
                if errno == EINTR { continue }
                fail("epoll_wait: \(String(cString: strerror(errno)))")
                break
            }
            if ready > 0 { handleReady(count: Int(ready), driver: driver) }
            driver.tick(loop: self, now: MonotonicClock.now())
            flushAll()
        }
    }

    private func handleReady(count: Int, driver: LoopDriver) {
        let readable = UInt32(CHAT_EPOLL_IN | CHAT_EPOLL_HUP | CHAT_EPOLL_ERR)
        let writable = UInt32(CHAT_EPOLL_OUT)
        for slot in 0..<count {
            let revents = readyEvents[slot]
            let key = readyKeys[slot]
            if key == Self.wakeKey {
                var value: UInt64 = 0
                _ = read(coordinator.wakeDescriptors[workerIndex], &value, 8)
                continue
            }
            let owner = Int(key)
            let connection = connections[owner]
            guard connection.fd >= 0 else { continue }
            if connection.state == .connecting {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(connection.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error != 0 {
                    fail("connect \(server) for \(String(decoding: connection.nick, as: UTF8.self)): \(String(cString: strerror(error)))")
                    return
                }
                if revents & (writable | UInt32(CHAT_EPOLL_IN)) == 0 { continue }
                connection.state = .registering
                queueFlush(connection)
            }
            if revents & readable != 0 {
                readAvailable(connection, driver: driver)
                if stopped { return }
            }
            if revents & writable != 0 {
                if connection.pendingOutput > 0 { queueFlush(connection) } else { watchWritable(connection, false) }
            }
        }
    }

    private func readAvailable(_ connection: Connection, driver: LoopDriver) {
        let base = readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        for _ in 0..<4 {
            let carried = connection.partialLine.count
            if carried > 0 {
                connection.partialLine.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: carried) }
                connection.partialLine.removeAll(keepingCapacity: true)
            }
            let room = readBuffer.count - carried
            let count = read(connection.fd, base + carried, room)
            if count < 0 {
                let code = errno
                if carried > 0 { connection.partialLine.append(contentsOf: UnsafeBufferPointer(start: base, count: carried)) }
                if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
                serverClosed(connection, reason: String(cString: strerror(code)))
                return
            }
            if count == 0 {
                serverClosed(connection, reason: "end of stream")
                return
            }
            connection.bytesReceived += count
            let total = carried + count
            var start = 0
            let now = MonotonicClock.now()
            while start < total {
                guard let found = memchr(base + start, 0x0A, total - start) else { break }
                let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                var end = newline
                if end > start && base[end - 1] == 0x0D { end -= 1 }
                if end > start {
                    let line = UnsafeBufferPointer(start: base + start, count: end - start)
                    if !driver.receivedExpected(line, on: connection) {
                        handle(IRCLine(line), on: connection, driver: driver, now: now)
                        if stopped { return }
                    }
                }
                start = newline + 1
            }
            if start < total {
                connection.partialLine.append(contentsOf: UnsafeBufferPointer(start: base + start, count: total - start))
            }
            if count < room { return }
        }
    }

    private func handle(_ line: IRCLine, on connection: Connection, driver: LoopDriver, now: UInt64) {
        if let numeric = line.numeric {
            switch numeric {
            case 1:
                guard connection.state == .registering else { break }
                connection.state = .registered
                connection.registeredAt = now
                registrationLatency.record(now - connection.connectStartedAt)
                registeredCount += 1
                connectingNow -= 1
                driver.registered(connection, loop: self, now: now)
                startPendingConnects(now: now)
                return
            case 422:
                break
            case 400..<600:
                fail("\(String(decoding: connection.nick, as: UTF8.self)) got an error reply: \(line.text)")
                return
            default:
                break
            }
        } else if line.commandIs("PING") {
            connection.append("PONG :")
            if let token = line.lastParam { connection.out.append(contentsOf: UnsafeBufferPointer(rebasing: line.bytes[token])) }
            connection.append("\r\n")
            queueFlush(connection)
            return
        } else if line.commandIs("PONG") {
            if let token = line.lastParam, line.equal(token, Self.syncToken), connection.pendingSyncs > 0 {
                connection.pendingSyncs -= 1
                if connection.pendingSyncs == 0 { driver.synced(connection, loop: self, now: now) }
                return
            }
        } else if line.commandIs("ERROR") {
            if !closedByUs { fail("\(String(decoding: connection.nick, as: UTF8.self)) got \(line.text)") }
            return
        }
        driver.received(line, on: connection, loop: self, now: now)
    }

    private func serverClosed(_ connection: Connection, reason: String) {
        close(connection.fd)
        connection.fd = -1
        connection.state = .closed
        if !closedByUs {
            fail("server closed the connection of \(String(decoding: connection.nick, as: UTF8.self)) (\(reason))")
        }
    }

    private func startPendingConnects(now: UInt64) {
        while connectLimit > 0 && connectingNow < connectLimit && connectCursor < connectEnd {
            let connection = connections[connectCursor]
            connectCursor += 1
            if connection.state == .notStarted { connect(connection, now: now) }
            if stopped { return }
        }
    }

    private func flushAll() {
        var index = 0
        while index < flushQueue.count {
            let connection = connections[flushQueue[index]]
            connection.isQueuedForFlush = false
            if connection.fd >= 0 && connection.state != .connecting { flush(connection) }
            index += 1
        }
        flushQueue.removeAll(keepingCapacity: true)
    }

    private func flush(_ connection: Connection) {
        let pending = connection.pendingOutput
        guard pending > 0 else { return }
        let written = connection.out.withUnsafeBytes { raw in
            send(connection.fd, raw.baseAddress! + connection.outOffset, pending, Int32(MSG_NOSIGNAL))
        }
        if written < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR {
                watchWritable(connection, true)
                return
            }
            serverClosed(connection, reason: String(cString: strerror(code)))
            return
        }
        if written == pending {
            connection.out.removeAll(keepingCapacity: connection.out.capacity <= 256 * 1024)
            connection.outOffset = 0
            watchWritable(connection, false)
        } else {
            watchWritable(connection, true)
            connection.outOffset += written
            // Drop what was written once it is most of the buffer, so the queue does not only grow.
            if connection.outOffset > 64 * 1024 && connection.outOffset * 2 > connection.out.count {
                connection.out.removeFirst(connection.outOffset)
                connection.outOffset = 0
            }
        }
    }

    /// Asks epoll for writability only while output is waiting; level-triggered EPOLLOUT on an
    /// idle socket would wake the loop on every turn.
    private func watchWritable(_ connection: Connection, _ wanted: Bool) {
        guard connection.fd >= 0, connection.watchesWritable != wanted else { return }
        connection.watchesWritable = wanted
        let events = UInt32(CHAT_EPOLL_IN) | (wanted ? UInt32(CHAT_EPOLL_OUT) : 0)
        _ = chat_epoll_control(epollFD, Int32(CHAT_EPOLL_MOD), connection.fd, events, UInt64(connection.index))
    }
}
