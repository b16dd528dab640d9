import CSupport
import Glibc
import Shared

extension Server {
    /// Binds every listener; prints `chat-server: listening on HOST:PORT` for each once it is ready.
    func start() throws {
        chat_ignore_sigpipe()
        signalFD = chat_termination_signalfd()
        wakeFD = chat_eventfd()
        for address in config.listen {
            let listener = try Listener.open(address)
            listeners.append(listener)
            addSlot(fd: listener.fd, owner: .listener(listeners.count - 1))
        }
        if signalFD >= 0 { addSlot(fd: signalFD, owner: .signal) }
        if wakeFD >= 0 { addSlot(fd: wakeFD, owner: .wake) }
        try openStore()
        writeStandardError("chat-server: database \(config.databasePath)\(config.historyEnabled ? "" : " (history off)")\n")
        for listener in listeners {
            writeStandardError("chat-server: listening on \(listener.address)\n")
        }
    }

    /// Runs until SIGTERM or SIGINT, then shuts down cleanly.
    func run() {
        while !stopRequested {
            let timeout = pollTimeoutMilliseconds()
            let ready = poll(&pollfds, nfds_t(pollfds.count), timeout)
            now = clock.monotonic()
            if ready < 0 && chat_errno() != EINTR {
                logger.error("poll failed: \(String(cString: strerror(chat_errno())))")
                break
            }
            if ready > 0 { handleReadyDescriptors() }
            releaseHeldLines()
            if now >= nextTimerCheck { checkTimers() }
            flushPendingOutput()
            reapClosedClients()
            handOffStagedAppends()
        }
        shutdown()
    }

    private func handleReadyDescriptors() {
        // Slots may be appended (accept) during the scan; only the ones that existed are looked at.
        let count = pollfds.count
        for index in 0..<count where index < pollfds.count {
            let revents = pollfds[index].revents
            if revents == 0 { continue }
            pollfds[index].revents = 0
            switch slotOwners[index] {
            case .listener(let which):
                acceptAll(from: listeners[which])
            case .signal:
                handleSignals()
            case .wake:
                drainWakeFD()
            case .client(let client):
                if client.closeReason != nil {
                    // A closing client gets its last lines (the ERROR) written; nothing more is read.
                    if revents & Int16(POLLOUT) != 0 { writeOut(client) }
                    if revents & Int16(POLLHUP | POLLERR) != 0 { client.closeDeadline = 0 }
                    continue
                }
                if revents & Int16(POLLOUT) != 0 { writeOut(client) }
                if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readIn(client) }
            }
        }
    }

    private func pollTimeoutMilliseconds() -> Int32 {
        var deadline = Double.infinity
        if !clients.isEmpty { deadline = nextTimerCheck }
        for id in throttledClients {
            guard let client = clients[id] else { continue }
            deadline = min(deadline, now + client.bucket.secondsUntilToken(now: now))
        }
        if !flushQueue.isEmpty { return 0 }
        for client in closingClients { deadline = min(deadline, client.closeDeadline) }
        guard deadline.isFinite else { return -1 }
        let milliseconds = (deadline - now) * 1000
        return milliseconds <= 0 ? 0 : Int32(min(milliseconds.rounded(.up), 60_000))
    }

    // MARK: Slots

    func addSlot(fd: Int32, owner: SlotOwner) {
        var entry = pollfd()
        entry.fd = fd
        if case .client = owner { entry.events = readInterest } else { entry.events = Int16(POLLIN) }
        pollfds.append(entry)
        slotOwners.append(owner)
        if case .client(let client) = owner { client.slot = pollfds.count - 1 }
    }

    /// Removes a slot by moving the last one into its place.
    func removeSlot(_ index: Int) {
        let last = pollfds.count - 1
        if index != last {
            pollfds[index] = pollfds[last]
            slotOwners[index] = slotOwners[last]
            if case .client(let moved) = slotOwners[index] { moved.slot = index }
        }
        pollfds.removeLast()
        slotOwners.removeLast()
    }

    // MARK: Accepting

    private func acceptAll(from listener: Listener) {
        var accepted: [Client] = []
        while let (fd, ip) = listener.accept() {
            if clients.count >= config.maxClients {
                refuse(fd, "ERROR :Closing Link: \(ip) (Server is full)\r\n")
                continue
            }
            if clientsPerIP[ip, default: 0] >= config.maxClientsPerIP {
                refuse(fd, "ERROR :Closing Link: \(ip) (Too many connections from your IP address)\r\n")
                continue
            }
            let client = Client(id: nextClientID, fd: fd, ip: ip, now: now, wallMs: clock.wallMilliseconds(), config: config)
            nextClientID += 1
            clients[client.id] = client
            clientsPerIP[ip, default: 0] += 1
            addSlot(fd: fd, owner: .client(client))
            accepted.append(client)
        }
        // A client usually sends its registration right behind the handshake, so it is often here
        // already: reading it now saves a whole poll turn, which with thousands of clients online
        // is most of what a registration waits for. Nothing there: EAGAIN, and poll reports it
        // later as for any client. After the accepts, not between them: the clients then sit
        // together on the heap, apart from the buffers their first lines take, which go again
        // when they fall quiet (read between the accepts, an idle client held ~60 B more; read
        // after them, ~20 B: 766-776 against 751-758 B per connection in the idle scenario).
        guard !readsPaused else { return }
        for client in accepted where client.closeReason == nil { readIn(client) }
    }

    private func refuse(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        _ = Glibc.send(fd, &bytes, bytes.count, Int32(MSG_NOSIGNAL))
        close(fd)
    }

    // MARK: Reading

    private func readIn(_ client: Client) {
        // A few reads per turn at most, so one busy client cannot starve the others.
        for _ in 0..<4 {
            let count = read(client.fd, readBuffer.baseAddress, readBuffer.count)
            if count > 0 {
                client.hadTraffic = true
                client.framer.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                handlingLinesOfOneRead { processFramedLines(client) }
                if client.closeReason != nil || count < readBuffer.count { return }
            } else if count == 0 {
                disconnect(client, reason: "Remote host closed the connection")
                return
            } else {
                let code = chat_errno()
                if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
                disconnect(client, reason: "Read error: \(String(cString: strerror(code)))")
                return
            }
        }
    }

    private func processFramedLines(_ client: Client) {
        while client.closeReason == nil, let frame = client.framer.nextRange() {
            switch frame {
            case .tooLong:
                client.lastReceivedAt = now
                reply(client, IRCNumeric.inputTooLong, "Input line was too long")
            case .line(let range):
                if !client.heldLines.isEmpty || !client.bucket.take(now: now) {
                    client.heldLines.append(client.framer.withLineBytes(range) { Array($0) })
                    throttledClients.insert(client.id)
                    let held = client.heldLines.reduce(0) { $0 + $1.count }
                    if held > config.recvQBytes {
                        disconnect(client, reason: "Excess Flood")
                    }
                } else {
                    handleFramedLine(client, range)
                }
            }
        }
    }

    /// Parses a line where the framer holds it (no copy per line) and runs its command.
    private func handleFramedLine(_ client: Client, _ range: Range<Int>) {
        // A plain direct message, the commonest line, is relayed from its bytes without parsing;
        // anything else (or anything in doubt) goes on to the parser below.
        if client.framer.withLineBytes(range, { deliverDirectMessageFast(client, $0) }) { return }
        let parsed = client.framer.withLineBytes(range) { bytes in
            Result { () throws(IRCParseError) -> IRCMessage in try IRCMessage.parse(bytes, limits: .fromClient) }
        }
        guard case .success(let message) = parsed else {
            // A line that does not parse takes the general path, which reports why.
            handleLine(client, client.framer.withLineBytes(range) { Array($0) })
            return
        }
        client.lastReceivedAt = now
        client.pingSentAt = nil
        dispatch(client, message)
    }

    /// Runs lines that flood control held back, as tokens become available.
    private func releaseHeldLines() {
        guard !throttledClients.isEmpty else { return }
        for id in throttledClients {
            guard let client = clients[id], client.closeReason == nil else {
                throttledClients.remove(id)
                continue
            }
            while !client.heldLines.isEmpty, client.closeReason == nil, client.bucket.take(now: now) {
                let line = client.heldLines.removeFirst()
                handleLine(client, line)
            }
            if client.heldLines.isEmpty { throttledClients.remove(id) }
        }
    }

    // MARK: Writing

    /// Writes as much of the client's queue as the kernel takes; keeps POLLOUT armed for the rest.
    func writeOut(_ client: Client) {
        while client.outStart < client.out.count {
            let written = client.out.withUnsafeBytes { buffer in
                Glibc.send(client.fd, buffer.baseAddress! + client.outStart, buffer.count - client.outStart, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                client.hadTraffic = true
                client.outStart += written
                continue
            }
            let code = chat_errno()
            if written < 0 && code == EINTR { continue }
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) { break }
            client.out.removeAll()
            client.outStart = 0
            if client.closeReason == nil { disconnect(client, reason: "Write error: \(String(cString: strerror(code)))") }
            return
        }
        if client.outStart == client.out.count {
            // Kept for the next turn while the client is busy; the timer check frees it once idle.
            client.drainsSinceCheck &+= 1
            client.out.removeAll(keepingCapacity: client.out.capacity <= client.drainedCapacityToKeep)
            client.outStart = 0
        } else if client.outStart > 64 * 1024 {
            client.out.removeFirst(client.outStart)
            client.outStart = 0
        }
        if client.slot >= 0 {
            if client.closeReason != nil {
                // Nothing more is read from a closing client; only its last lines are written.
                pollfds[client.slot].events = client.pendingOutput > 0 ? Int16(POLLOUT) : 0
            } else {
                pollfds[client.slot].events = client.pendingOutput > 0 ? readInterest | Int16(POLLOUT) : readInterest
            }
        }
    }

    private func flushPendingOutput() {
        guard !flushQueue.isEmpty else { return }
        // By index, not over a copy: a copy would make the queue's storage shared, and emptying it
        // would then allocate afresh every turn. Clients queued meanwhile (a write error makes a
        // QUIT for others) are flushed in this same pass.
        var index = 0
        while index < flushQueue.count {
            // Unretained: the client stays in `clients` (finalClose cannot run during the flush).
            flushQueue[index]._withUnsafeGuaranteedRef { client in
                client.isQueuedForFlush = false
                if client.fd >= 0 { writeOut(client) }
            }
            index += 1
        }
        flushQueue.removeAll(keepingCapacity: true)
    }

    // MARK: Closing

    /// Closes clients marked for closing once their last output is written, or after a short
    /// grace period when the peer does not read (so its ERROR line is not lost to a full buffer).
    private func reapClosedClients() {
        guard !closingClients.isEmpty else { return }
        var lingering: [Client] = []
        for client in closingClients {
            if client.closeDeadline.isInfinite { client.closeDeadline = now + Self.closeGraceSeconds }
            writeOut(client)
            if client.pendingOutput > 0 && now < client.closeDeadline {
                if client.slot >= 0 { pollfds[client.slot].events = Int16(POLLOUT) }
                lingering.append(client)
            } else {
                finalClose(client)
            }
        }
        closingClients = lingering
    }

    /// How long a closing client may take to read its last lines.
    static let closeGraceSeconds = 2.0

    func finalClose(_ client: Client) {
        if client.isQueuedForFlush {
            // The flush queue does not keep its clients alive: one leaving must leave it too.
            client.isQueuedForFlush = false
            flushQueue.removeAll { $0.toOpaque() == Unmanaged.passUnretained(client).toOpaque() }
        }
        guard clients.removeValue(forKey: client.id) != nil else { return }
        if client.slot >= 0 { removeSlot(client.slot) }
        client.slot = -1
        close(client.fd)
        if let count = clientsPerIP[client.ip] {
            if count <= 1 { clientsPerIP[client.ip] = nil } else { clientsPerIP[client.ip] = count - 1 }
        }
        throttledClients.remove(client.id)
    }

    // MARK: Timers

    private func checkTimers() {
        nextTimerCheck = now + 1
        if now >= nextAccountRefresh {
            nextAccountRefresh = now + 10
            refreshAccountNames()
        }
        for client in clients.values where client.closeReason == nil {
            if !client.hadTraffic { client.releaseIdleBuffers() }
            client.hadTraffic = false
            client.startTimerPeriod()
            if !client.isRegistered {
                if now - client.connectedAt > config.registrationTimeout {
                    disconnect(client, reason: "Registration timed out")
                }
                continue
            }
            if let sentAt = client.pingSentAt {
                if now - sentAt > config.idleTimeout {
                    disconnect(client, reason: "Ping timeout: \(Int(now - client.lastReceivedAt)) seconds")
                }
            } else if now - client.lastReceivedAt > config.pingInterval {
                client.pingSentAt = now
                send(IRCMessage(command: "PING", params: [config.serverName]), to: client)
            }
        }
    }

    // MARK: Signals and wake-ups

    private func handleSignals() {
        while true {
            let signal = chat_read_signal(signalFD)
            if signal == 0 { return }
            if signal == SIGTERM || signal == SIGINT {
                logger.notice("received signal \(signal), shutting down")
                stopRequested = true
            }
        }
    }

    private func drainWakeFD() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
        handleWake()
    }

    /// Stops accepting, commits and relays what is in flight, tells every client, flushes what it
    /// can for up to two seconds, closes the database and leaves the loop.
    private func shutdown() {
        for listener in listeners { close(listener.fd) }
        var index = 0
        while index < slotOwners.count {
            if case .listener = slotOwners[index] { removeSlot(index) } else { index += 1 }
        }
        shutdownStorage()
        for client in clients.values where client.closeReason == nil {
            appendBytes(Array("ERROR :Closing Link: \(client.host) (Server shutting down)\r\n".utf8), to: client, force: true)
            client.closeReason = "Server shutting down"
        }
        let deadline = now + 2
        while clock.monotonic() < deadline {
            var waiting = false
            for client in clients.values {
                writeOut(client)
                if client.pendingOutput > 0 { waiting = true }
            }
            if !waiting { break }
            _ = poll(&pollfds, nfds_t(pollfds.count), 50)
        }
        // Nothing is flushed after this: emptying the queue first spares finalClose a search of it per client.
        for entry in flushQueue { entry._withUnsafeGuaranteedRef { $0.isQueuedForFlush = false } }
        flushQueue.removeAll()
        for client in Array(clients.values) { finalClose(client) }
        logger.notice("stopped")
    }
}

/// Writes text to standard error without going through the logger (used for the readiness line).
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}
