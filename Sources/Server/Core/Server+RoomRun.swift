import Shared

extension Server {
    /// Longest run of room messages relayed together; bounds the memory of one run's variants.
    static let maxRoomRun = 256

    /// Relays a plain room message together with the plain messages to the same room that
    /// follow it in the sender's read buffer: one walk of the room and one append per member for
    /// the whole run, instead of one per message (a 500-member room otherwise pays a cache miss on
    /// every member's queue for every message).
    ///
    /// Each following line is taken only if it is `COMMAND target :text` without tags, exactly as
    /// the first, and flood control has a token for it; it then has the side effects the loop and
    /// ``deliverText`` give a line (receive time, ping cleared, last spoke). Anything else stays in
    /// the buffer for the loop. Nothing else runs between the lines of a run, so the room, its
    /// members and the sender's right to speak there cannot change within it.
    func relayRoomRun(_ client: Client, room: Room, command: String, target: String, text: String) {
        let echo = client.has(.echoMessage)
        var messages: [IRCMessage] = []
        var echoNow: [IRCMessage] = []
        var nextText: String? = text
        while let text = nextText {
            let timeMs = receivedWallMilliseconds()
            let tags = messageTags(from: client, timeMilliseconds: timeMs)
            let relayed = IRCMessage(tags: tags, source: client.prefix, command: command, params: [room.name, text])
            // Stored (with the echo held for the commit) in order, before any of the run is relayed.
            if !storeForHistory(relayed, from: client, target: .room(room), timeMs: timeMs, echo: echo) && echo {
                echoNow.append(relayed)
            }
            messages.append(relayed)
            nextText = messages.count < Self.maxRoomRun ? takeFollowingRoomLine(client, command: command, target: target) : nil
        }
        if messages.count == 1 {
            relay(messages[0], toMembersOf: room, from: client, audience: RoomAudience(), echo: !echoNow.isEmpty)
            return
        }
        relay(RelayRun(messages), toMembersOf: room, from: client, echo: echoNow)
    }

    /// The text of the sender's next buffered line when it is `command target :text` without tags,
    /// valid and sendable, taken from the buffer; nil (the line left in place) otherwise.
    private func takeFollowingRoomLine(_ client: Client, command: String, target: String) -> String? {
        guard client.closeReason == nil, client.heldLines.isEmpty, let range = client.framer.peekLineRange() else { return nil }
        let parsed = client.framer.withLineBytes(range) { line -> IRCMessage? in
            // Cheap refusal first: most lines that are not part of a run differ in the first bytes.
            guard Self.startsWith(line, command, target) else { return nil }
            return try? IRCMessage.parse(line, limits: .fromClient)
        }
        guard let message = parsed, message.tags.isEmpty, message.source == nil, message.command == command,
              message.params.count == 2, message.params[0] == target else { return nil }
        let text = message.params[1]
        guard !text.isEmpty, Self.relayedSize(client, command: command, target: target, text: text) <= IRCLimits.lineBytes else { return nil }
        // Flood control decides as it would in the loop; without a token the line is held there.
        guard client.bucket.take(now: now) else { return nil }
        _ = client.framer.nextRange()
        client.lastReceivedAt = now
        client.pingSentAt = nil
        client.lastSpokeAt = now
        return text
    }

    /// Whether `line` starts with `COMMAND target :`.
    private static func startsWith(_ line: UnsafeBufferPointer<UInt8>, _ command: String, _ target: String) -> Bool {
        let commandBytes = command.utf8
        let targetBytes = target.utf8
        let length = commandBytes.count + 1 + targetBytes.count + 2
        guard line.count > length else { return false }
        var index = 0
        for byte in commandBytes {
            guard line[index] == byte else { return false }
            index += 1
        }
        guard line[index] == UInt8(ascii: " ") else { return false }
        index += 1
        for byte in targetBytes {
            guard line[index] == byte else { return false }
            index += 1
        }
        return line[index] == UInt8(ascii: " ") && line[index + 1] == UInt8(ascii: ":")
    }

    /// Relays a run to every member but the sender, one append per member, then the echoes that
    /// were not held for the commit.
    func relay(_ run: RelayRun, toMembersOf room: Room, from sender: Client, echo: [IRCMessage]) {
        var run = run
        // A local copy: a member cut for SendQ mid-walk changes the room's array, not this one.
        let members = room.memberClients
        members.forEachUnretained { _, member in
            if member === sender || member.closeReason != nil { return }
            if member.labelCapture != nil {
                // Only the client whose command is running gathers replies, and that is the sender;
                // should that ever change, the gathered replies keep every message of the run.
                for message in run.messages { send(message, to: member) }
                return
            }
            let caps = member.caps
            run.withVariant(for: caps.intersection(Self.tagCaps).rawValue, caps: caps) { bytes, ends in
                appendRun(bytes, lineEnds: ends, to: member)
            }
        }
        // The echo goes last, so a sender cut by its own echo has had the run delivered to everyone first.
        if echo.count == run.messages.count, sender.labelCapture == nil {
            let caps = sender.caps
            run.withVariant(for: caps.intersection(Self.tagCaps).rawValue, caps: caps) { bytes, ends in
                appendRun(bytes, lineEnds: ends, to: sender)
            }
        } else {
            for message in echo { relay(message, to: sender) }
        }
    }
}
