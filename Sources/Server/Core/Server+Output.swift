import Shared

extension Server {
    /// Sends `message` to `client`, adding `time` for server-time clients and keeping only the tags
    /// the client's capabilities allow. Inside a labeled command the reply is gathered instead.
    func send(_ message: IRCMessage, to client: Client) {
        guard client.closeReason == nil else { return }
        if client.labelCapture != nil {
            client.labelCapture?.append(message)
            return
        }
        var tags = message.tags
        if client.has(.serverTime), message.tag("time") == nil {
            tags.append(IRCTag("time", serverTimeText(receivedWallMilliseconds())))
        }
        appendMessage(message, tags: Self.visibleTags(tags, for: client.caps), to: client)
    }

    /// At least the wire size of `message` with all its tags.
    @inline(__always)
    static func serializedSizeEstimate(_ message: IRCMessage) -> Int {
        var size = 16 + (message.source?.utf8.count ?? 0) + message.command.utf8.count
        for tag in message.tags { size += tag.key.utf8.count + tag.value.utf8.count + 2 }
        for param in message.params { size += param.utf8.count + 2 }
        return size
    }

    /// Sends a numeric reply: `:server CODE nick params…`.
    func reply(_ client: Client, _ numeric: String, _ params: String...) {
        send(IRCMessage(source: config.serverName, command: numeric, params: [client.displayNick] + params), to: client)
    }

    /// Sends a numeric reply whose parameters are already an array.
    func reply(_ client: Client, _ numeric: String, params: [String]) {
        send(IRCMessage(source: config.serverName, command: numeric, params: [client.displayNick] + params), to: client)
    }

    /// Sends an IRCv3 standard reply: `FAIL COMMAND CODE [context…] :description`.
    func fail(_ client: Client, _ command: String, _ code: String, _ context: [String] = [], _ description: String) {
        send(IRCMessage(source: config.serverName, command: "FAIL", params: [command, code] + context + [description]), to: client)
    }

    /// Sends a server NOTICE to the client.
    func notice(_ client: Client, _ text: String) {
        send(IRCMessage(source: config.serverName, command: "NOTICE", params: [client.displayNick, text]), to: client)
    }

    /// Sends one relayed message to many clients, serialising it once per distinct set of
    /// tag-relevant capabilities rather than once per recipient.
    func relay(_ message: IRCMessage, to recipients: [Client]) {
        var lines = RelayLines()
        // The caller holds `recipients` for the whole call, so the clients need no retain each:
        // one retain and release per recipient was a tenth of a fan-out delivery's loop time.
        let last = recipients.count - 1
        recipients.forEachUnretained { position, client in
            relay(message, to: client, isLast: position == last, lines: &lines)
        }
    }

    /// Sends one relayed message to one of many recipients: the bytes serialised for an earlier
    /// recipient with the same tag-relevant capabilities are reused, new ones are kept in `lines`.
    @inline(__always)
    func relay(_ message: IRCMessage, to client: Client, isLast: Bool, lines: inout RelayLines) {
        if client.closeReason != nil { return }
        if client.labelCapture != nil {
            send(message, to: client)
            return
        }
        let key = client.caps.intersection(Self.tagCaps).rawValue
        if lines.withBytes(for: key, { appendShared($0, to: client) }) { return }
        if isLast {
            // Nobody after this one can share the bytes (a direct message): straight into its queue.
            appendMessage(message, tags: Self.visibleTags(message.tags, for: client.caps), to: client)
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.serializedSizeEstimate(message))
        message.write(into: &bytes, tags: Self.visibleTags(message.tags, for: client.caps))
        lines.keep(bytes, for: key)
        appendBytes(bytes, to: client)
    }

    /// Sends one relayed message to a single client, serialised straight into its queue.
    func relay(_ message: IRCMessage, to client: Client) {
        guard client.closeReason == nil else { return }
        if client.labelCapture != nil {
            send(message, to: client)
            return
        }
        appendMessage(message, tags: Self.visibleTags(message.tags, for: client.caps), to: client)
    }

    /// Capabilities that decide which tags a client sees.
    static let tagCaps: CapSet = [.messageTags, .serverTime, .accountTag, .batch, .labeledResponse]

    /// The tags a client with `caps` may receive.
    static func visibleTags(_ tags: [IRCTag], for caps: CapSet) -> [IRCTag] {
        guard !tags.isEmpty, !caps.isDisjoint(with: tagCaps) else { return [] }
        if caps.contains(.messageTags) && caps.contains(.serverTime) && caps.contains(.accountTag)
            && caps.contains(.batch) && caps.contains(.labeledResponse) {
            return tags
        }
        return tags.filter { tag in
            switch tag.key {
            case "time": return caps.contains(.serverTime)
            case "account": return caps.contains(.accountTag)
            case "batch": return caps.contains(.batch)
            case "label": return caps.contains(.labeledResponse)
            default: return caps.contains(.messageTags)
            }
        }
    }

    /// Appends bytes to the client's send queue; over the SendQ cap the client is cut cleanly.
    func appendBytes(_ bytes: [UInt8], to client: Client, force: Bool = false) {
        guard force || client.closeReason == nil else { return }
        if !force && client.pendingOutput + bytes.count > config.sendQBytes {
            // The cap is on what the kernel would not take: offer the queue to the socket first.
            if client.fd >= 0 { writeOut(client) }
            if client.closeReason != nil { return }
            if client.pendingOutput + bytes.count > config.sendQBytes {
                sendQExceeded(client)
                return
            }
        }
        client.out.append(contentsOf: bytes)
        queueForFlush(client)
    }

    /// Appends a line shared by many recipients; the SendQ rules are those of ``appendBytes(_:to:force:)``.
    @inline(__always)
    private func appendShared(_ bytes: UnsafeBufferPointer<UInt8>, to client: Client) {
        guard client.pendingOutput + bytes.count <= config.sendQBytes else {
            appendBytes(Array(bytes), to: client)
            return
        }
        client.out.append(contentsOf: bytes)
        queueForFlush(client)
    }

    /// Appends a run of lines shared by many recipients in one go; a recipient the run would take
    /// over its SendQ gets them one at a time under the rules of ``appendBytes(_:to:force:)``, as
    /// if they had been relayed one by one.
    func appendRun(_ bytes: UnsafeBufferPointer<UInt8>, lineEnds: UnsafeBufferPointer<Int>, to client: Client) {
        if client.pendingOutput + bytes.count <= config.sendQBytes {
            client.out.append(contentsOf: bytes)
            queueForFlush(client)
            return
        }
        var start = 0
        for end in lineEnds {
            if client.closeReason != nil { return }
            appendShared(UnsafeBufferPointer(rebasing: bytes[start..<end]), to: client)
            start = end
        }
    }

    /// Serialises `message` with `tags` straight into the client's send queue (no intermediate
    /// buffer); the SendQ rules are those of ``appendBytes(_:to:force:)``.
    func appendMessage(_ message: IRCMessage, tags: [IRCTag], to client: Client) {
        appendWritten(to: client) { message.write(into: &$0, tags: tags) }
    }

    /// Lets `write` append one line straight to the client's send queue; the SendQ rules are those
    /// of ``appendBytes(_:to:force:)``.
    @inline(__always)
    func appendWritten(to client: Client, _ write: (inout [UInt8]) -> Void) {
        guard client.closeReason == nil else { return }
        let before = client.out.count
        write(&client.out)
        if client.pendingOutput > config.sendQBytes {
            // Over the cap: take the line back out and let the general rules decide.
            let bytes = Array(client.out[before...])
            client.out.removeSubrange(before...)
            appendBytes(bytes, to: client)
            return
        }
        queueForFlush(client)
    }

    @inline(__always)
    private func queueForFlush(_ client: Client) {
        // A client without a poll slot has been closed (finalClose): the queue, which does not keep
        // its clients alive, must never take one.
        if !client.isQueuedForFlush && client.slot >= 0 {
            client.isQueuedForFlush = true
            flushQueue.append(Unmanaged.passUnretained(client))
        }
    }

    private func sendQExceeded(_ client: Client) {
        // Drop what is queued, except the rest of a line the kernel already has in part, so the
        // client reads whole lines and then one clear ERROR.
        if client.outStart < client.out.count {
            var keepUntil = client.outStart
            // outStart 0 may follow writeOut's compaction in mid-line, so it proves nothing: keeping
            // one whole line too many is harmless, gluing ERROR onto half of one is not.
            if client.outStart == 0 || client.out[client.outStart - 1] != 0x0A {
                keepUntil = client.out[client.outStart...].firstIndex(of: 0x0A).map { $0 + 1 } ?? client.out.count
            }
            client.out.removeSubrange(keepUntil..<client.out.count)
        }
        disconnect(client, reason: "SendQ exceeded", errorText: "SendQ exceeded")
    }

    /// Runs `body` with the client's replies gathered, then sends them as labeled-response asks:
    /// one reply gets the label, several go in a `labeled-response` batch, none gives an ACK.
    func withLabel(_ label: String?, for client: Client, _ body: () -> Void) {
        guard let label, client.has(.labeledResponse), client.labelCapture == nil else {
            body()
            return
        }
        client.labelCapture = []
        client.currentLabel = label
        client.labelDeferred = false
        body()
        let captured = client.labelCapture ?? []
        client.labelCapture = nil
        client.currentLabel = nil
        if client.labelDeferred {
            // The answer comes later and carries the label itself; anything said now goes as is.
            client.labelDeferred = false
            for message in captured { send(message, to: client) }
            return
        }
        switch captured.count {
        case 0:
            send(IRCMessage(tags: [IRCTag("label", label)], source: config.serverName, command: "ACK"), to: client)
        case 1:
            var only = captured[0]
            only.setTag("label", label)
            send(only, to: client)
        default:
            guard client.has(.batch) else {
                for message in captured { send(message, to: client) }
                return
            }
            let id = makeBatchID()
            send(IRCMessage(tags: [IRCTag("label", label)], source: config.serverName, command: "BATCH", params: ["+" + id, "labeled-response"]), to: client)
            for var message in captured {
                message.setTag("batch", id)
                send(message, to: client)
            }
            send(IRCMessage(source: config.serverName, command: "BATCH", params: ["-" + id]), to: client)
        }
    }

    func makeBatchID() -> String {
        msgidCounter += 1
        return "b" + String(msgidCounter, radix: 36)
    }

    /// Marks the client for closing: the user leaves every room, peers and watchers are told,
    /// and the client gets `ERROR` before the socket closes.
    func disconnect(_ client: Client, reason: String, errorText: String? = nil) {
        guard client.closeReason == nil else { return }
        if client.isRegistered {
            userLeft(client, quitMessage: reason)
        } else if let folded = client.foldedNick, nicks[folded] === client {
            nicks[folded] = nil
        }
        for folded in client.monitoring { removeWatcher(client.id, of: folded) }
        client.monitoring.removeAll()
        rosterClients.remove(client.id)
        let text = errorText ?? "Closing Link: \(client.host) (\(reason))"
        var bytes: [UInt8] = []
        IRCMessage(command: "ERROR", params: [text]).write(into: &bytes)
        appendBytes(bytes, to: client, force: true)
        client.closeReason = reason
        client.heldLines.removeAll()
        closingClients.append(client)
    }
}

/// Last formatted server time; a pure function of the millisecond, so one cache serves every server in the process.
