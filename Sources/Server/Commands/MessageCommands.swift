import Glibc
import Shared

/// PRIVMSG, NOTICE and TAGMSG to nicks (direct messages) and rooms.
extension Server {
    func handlePrivmsg(_ client: Client, _ message: IRCMessage) {
        deliverText(client, message, command: "PRIVMSG")
    }

    func handleNotice(_ client: Client, _ message: IRCMessage) {
        deliverText(client, message, command: "NOTICE")
    }

    func handleTagmsg(_ client: Client, _ message: IRCMessage) {
        let tags = clientOnlyTags(of: message, from: client)
        for target in splitTargets(client, message.params[0], command: "TAGMSG") ?? [] {
            route(client, command: "TAGMSG", target: target, text: nil, clientTags: tags, quietErrors: false)
        }
    }

    private func deliverText(_ client: Client, _ message: IRCMessage, command: String) {
        let quiet = command == "NOTICE"
        guard let targetList = message.param(0), !targetList.isEmpty else {
            reply(client, IRCNumeric.noRecipient, "No recipient given (\(command))")
            return
        }
        guard let text = message.param(1), !text.isEmpty else {
            reply(client, IRCNumeric.noTextToSend, "No text to send")
            return
        }
        let tags = clientOnlyTags(of: message, from: client)
        client.lastSpokeAt = now
        if !Self.containsComma(targetList) {
            // One target, the usual case: no list to build.
            deliverText(client, command: command, target: targetList, text: text, clientTags: tags, quietErrors: quiet, takesFollowing: true)
            return
        }
        guard let targets = splitTargets(client, targetList, command: command) else { return }
        guard !targets.isEmpty else {
            reply(client, IRCNumeric.noRecipient, "No recipient given (\(command))")
            return
        }
        for target in targets {
            deliverText(client, command: command, target: target, text: text, clientTags: tags, quietErrors: quiet)
        }
    }

    /// `takesFollowing`: the line named one target, so the plain lines to the same room that follow
    /// it may be relayed with it (``relayRoomRun``) without changing the order of anything.
    private func deliverText(_ client: Client, command: String, target: String, text: String, clientTags: [IRCTag], quietErrors: Bool,
                             takesFollowing: Bool = false) {
        // Relayed, the line gains the sender's prefix; refuse what would not fit rather than cut it.
        let relayedBytes = Self.relayedSize(client, command: command, target: target, text: text)
        if relayedBytes > IRCLimits.lineBytes {
            let room = IRCLimits.lineBytes - (relayedBytes - text.utf8.count)
            reply(client, IRCNumeric.inputTooLong, "Message too long: with your prefix added it would exceed 512 bytes; send at most \(max(room, 0)) bytes of text to \(target)")
            return
        }
        route(client, command: command, target: target, text: text, clientTags: clientTags, quietErrors: quietErrors,
              takesFollowing: takesFollowing)
    }

    /// The size of `text` relayed with the sender's prefix.
    static func relayedSize(_ client: Client, command: String, target: String, text: String) -> Int {
        relayedSize(prefixBytes: client.prefix.utf8.count, commandBytes: command.utf8.count,
                    targetBytes: target.utf8.count, textBytes: text.utf8.count)
    }

    /// The size of the relayed line `:prefix COMMAND target :text` with its CRLF, from the parts' byte
    /// counts (the DM fast path has bytes, not Strings).
    static func relayedSize(prefixBytes: Int, commandBytes: Int, targetBytes: Int, textBytes: Int) -> Int {
        1 + prefixBytes + 1 + commandBytes + 1 + targetBytes + 2 + textBytes + 2
    }

    /// Whether `text` holds a comma, found by memchr rather than byte by byte.
    private static func containsComma(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: ",")), bytes.count) != nil
        } ?? text.utf8.contains(UInt8(ascii: ","))
    }

    /// Splits `a,b,c`, refusing the whole list with 407 when it names more than TARGMAX allows.
    private func splitTargets(_ client: Client, _ list: String, command: String) -> [String]? {
        if !list.utf8.contains(UInt8(ascii: ",")) { return [list] }
        // `bob,BOB` names one person once: duplicates (by casemapping) are dropped, order kept.
        var seen: Set<String> = []
        let targets = list.split(separator: ",").map(String.init).filter { !$0.isEmpty && seen.insert(fold($0)).inserted }
        guard targets.count <= config.maxTargets else {
            reply(client, IRCNumeric.tooManyTargets, list, "Too many recipients (at most \(config.maxTargets))")
            return nil
        }
        return targets
    }

    /// Client-only (`+`) tags are relayed only from clients that negotiated message-tags.
    private func clientOnlyTags(of message: IRCMessage, from client: Client) -> [IRCTag] {
        guard client.has(.messageTags) else { return [] }
        return message.tags.filter(\.isClientOnly)
    }

    /// The tags every relayed message carries: time, msgid, account.
    func messageTags(from client: Client, clientTags: [IRCTag] = [], timeMilliseconds: Int64? = nil) -> [IRCTag] {
        var tags = [
            IRCTag("time", serverTimeText(timeMilliseconds ?? receivedWallMilliseconds())),
            IRCTag("msgid", makeMsgid()),
        ]
        if let account = client.account { tags.append(IRCTag("account", account)) }
        tags.append(contentsOf: clientTags)
        return tags
    }

    private func route(_ client: Client, command: String, target: String, text: String?, clientTags: [IRCTag], quietErrors: Bool,
                       takesFollowing: Bool = false) {
        // STATUSMSG: `@#room` reaches only the room's operators, `+#room` its voiced users and operators.
        var statusPrefix = ""
        var roomName = target
        if let first = target.utf8.first, first == UInt8(ascii: "@") || first == UInt8(ascii: "+"),
           target.utf8.dropFirst().first == UInt8(ascii: "#"), let first = target.first {
            statusPrefix = String(first)
            roomName = String(target.dropFirst())
        }
        if IRCNames.isRoom(roomName) {
            guard let room = rooms[fold(roomName)] else {
                if !quietErrors { reply(client, IRCNumeric.noSuchChannel, roomName, "No such channel") }
                return
            }
            if let reason = cannotSend(client, to: room) {
                if !quietErrors { reply(client, IRCNumeric.cannotSendToChan, room.name, reason) }
                return
            }
            if takesFollowing, let text, statusPrefix.isEmpty, clientTags.isEmpty, client.currentLabel == nil {
                relayRoomRun(client, room: room, command: command, target: target, text: text)
                return
            }
            let timeMs = receivedWallMilliseconds()
            let tags = messageTags(from: client, clientTags: clientTags, timeMilliseconds: timeMs)
            let params = text.map { [statusPrefix + room.name, $0] } ?? [statusPrefix + room.name]
            let relayed = IRCMessage(tags: tags, source: client.prefix, command: command, params: params)
            // Decided once, not per member: three String comparisons per member showed in the fan-out profile.
            let audience = RoomAudience(tagsOnly: command == "TAGMSG", opsOnly: statusPrefix == "@", voicedOnly: statusPrefix == "+")
            let echo = client.has(.echoMessage) && (command != "TAGMSG" || client.has(.messageTags))
            // A status message is for a few members only, so it is not history.
            let echoHeld = statusPrefix.isEmpty && storeForHistory(relayed, from: client, target: .room(room), timeMs: timeMs, echo: echo)
            relay(relayed, toMembersOf: room, from: client, audience: audience, echo: echo && !echoHeld)
            return
        }
        // The direct branch below has a byte-level twin for plain lines, FastPath/DirectMessageFastPath.swift:
        // a new check, tag or side effect here must be made there too (its tests compare the two byte for byte).
        guard let recipient = nicks[fold(target)], recipient.isRegistered else {
            if let text, offlineDelivery(client, command: command, target: target, text: text, clientTags: clientTags) { return }
            if !quietErrors { reply(client, IRCNumeric.noSuchNick, target, "No such nick/channel") }
            return
        }
        let timeMs = receivedWallMilliseconds()
        let tags = messageTags(from: client, clientTags: clientTags, timeMilliseconds: timeMs)
        let params = text.map { [recipient.displayNick, $0] } ?? [recipient.displayNick]
        let relayed = IRCMessage(tags: tags, source: client.prefix, command: command, params: params)
        if command == "PRIVMSG", let away = recipient.awayMessage {
            reply(client, IRCNumeric.away, recipient.displayNick, away)
        }
        // One recipient and perhaps an echo: no recipient list is built for a direct message.
        let echo = client.has(.echoMessage) && (command != "TAGMSG" || client.has(.messageTags))
        let echoHeld = storeForHistory(relayed, from: client, target: .direct(recipient), timeMs: timeMs, echo: echo)
        if command != "TAGMSG" || recipient.has(.messageTags) { relay(relayed, to: recipient) }
        if echo && !echoHeld { relay(relayed, to: client) }
    }

    /// Why `client` may not speak in `room` right now, or nil when it may.
    func cannotSend(_ client: Client, to room: Room) -> String? {
        let privileges = room.members[client.id]
        if room.noExternal && privileges == nil { return "Cannot send to channel (no external messages)" }
        if room.moderated && (privileges ?? []).isEmpty { return "Cannot send to channel (+m)" }
        if (privileges ?? []).isEmpty && isBanned(client, in: room) { return "Cannot send to channel (you're banned)" }
        return nil
    }

    /// Where a relayed message goes, for storage.
    enum MessageTarget {
        case room(Room)
        case direct(Client)
    }
}
