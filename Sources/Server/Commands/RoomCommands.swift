import Shared

/// JOIN, PART, NAMES, TOPIC, LIST, KICK and INVITE.
extension Server {
    /// `JOIN #a,#b [key1,key2]`; `JOIN 0` leaves every room.
    func handleJoin(_ client: Client, _ message: IRCMessage) {
        if message.params[0] == "0" {
            for folded in client.rooms.sorted() {
                if let room = rooms[folded] { part(client, from: room, reason: "Left all channels") }
            }
            return
        }
        // Keys pair with names by position, so empty names keep their slot: `#a,,#b k1,,k2`.
        let names = message.params[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names.contains(where: { !$0.isEmpty }) else {
            reply(client, IRCNumeric.needMoreParams, "JOIN", "Not enough parameters")
            return
        }
        let keys = (message.param(1) ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (index, name) in names.enumerated() where !name.isEmpty {
            let key = index < keys.count && !keys[index].isEmpty ? keys[index] : nil
            join(client, name: name, key: key)
        }
    }

    private func join(_ client: Client, name: String, key: String?) {
        guard IRCNames.isValidRoom(name, maxLength: config.roomLength) else {
            reply(client, IRCNumeric.noSuchChannel, name, "No such channel")
            return
        }
        let folded = fold(name)
        if client.rooms.contains(folded) { return }
        guard client.rooms.count < config.maxRoomsPerClient else {
            reply(client, IRCNumeric.tooManyChannels, name, "You have joined too many channels")
            return
        }
        let room: Room
        var privileges: Room.Privileges = []
        if let existing = rooms[folded] {
            room = existing
            if let refusal = joinRefusal(client, room: room, key: key) {
                reply(client, refusal.numeric, room.name, refusal.text)
                return
            }
        } else {
            room = Room(name: name, folded: folded, createdAt: clock.wallMilliseconds() / 1000)
            rooms[folded] = room
            privileges = .op
        }
        if let folded = client.foldedNick { room.invited.remove(folded) }
        room.add(client, privileges: privileges)
        client.rooms.insert(folded)

        let members = room.memberClients
        let tags = messageTags(from: client)
        let plain = IRCMessage(tags: tags, source: client.prefix, command: "JOIN", params: [room.name])
        let extended = IRCMessage(tags: tags, source: client.prefix, command: "JOIN", params: [room.name, client.account ?? "*", client.realname])
        relay(plain, to: members.filter { !$0.has(.extendedJoin) })
        relay(extended, to: members.filter { $0.has(.extendedJoin) })
        if let away = client.awayMessage {
            let awayLine = IRCMessage(source: client.prefix, command: "AWAY", params: [away])
            relay(awayLine, to: members.filter { $0.has(.awayNotify) && $0 !== client })
        }
        sendTopic(client, room: room, explicit: false)
        sendNames(client, room: room)
        roomJoined(client, room: room)
    }

    private func joinRefusal(_ client: Client, room: Room, key: String?) -> (numeric: String, text: String)? {
        let invited = client.foldedNick.map { room.invited.contains($0) } ?? false
        if let roomKey = room.key, key != roomKey { return (IRCNumeric.badChannelKey, "Cannot join channel (+k)") }
        if let limit = room.limit, room.members.count >= limit, !invited { return (IRCNumeric.channelIsFull, "Cannot join channel (+l)") }
        if room.inviteOnly && !invited { return (IRCNumeric.inviteOnlyChan, "Cannot join channel (+i)") }
        if isBanned(client, in: room) && !invited { return (IRCNumeric.bannedFromChan, "Cannot join channel (+b)") }
        return nil
    }

    /// `PART #a,#b [:reason]`.
    func handlePart(_ client: Client, _ message: IRCMessage) {
        for name in message.params[0].split(separator: ",").map(String.init) {
            guard let room = rooms[fold(name)] else {
                reply(client, IRCNumeric.noSuchChannel, name, "No such channel")
                continue
            }
            guard room.members[client.id] != nil else {
                reply(client, IRCNumeric.notOnChannel, room.name, "You're not on that channel")
                continue
            }
            part(client, from: room, reason: message.param(1))
        }
    }

    func part(_ client: Client, from room: Room, reason: String?) {
        let params = reason.map { [room.name, String($0.prefix(config.kickLength))] } ?? [room.name]
        let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "PART", params: params)
        relay(line, to: room.memberClients)
        removeMember(client, from: room)
    }

    func removeMember(_ client: Client, from room: Room) {
        room.remove(client.id)
        client.rooms.remove(room.folded)
        if room.members.isEmpty { rooms[room.folded] = nil }
    }

    /// `NAMES [#room]`.
    func handleNames(_ client: Client, _ message: IRCMessage) {
        guard let name = message.param(0)?.split(separator: ",").first.map(String.init) else {
            reply(client, IRCNumeric.endOfNames, "*", "End of /NAMES list")
            return
        }
        guard let room = rooms[fold(name)], !room.secret || room.members[client.id] != nil else {
            reply(client, IRCNumeric.endOfNames, name, "End of /NAMES list")
            return
        }
        sendNames(client, room: room)
    }

    /// 353 lines (prefixes, multi-prefix, userhost-in-names) and 366.
    func sendNames(_ client: Client, room: Room) {
        let multi = client.has(.multiPrefix)
        let userhost = client.has(.userhostInNames)
        let entries = room.memberOrder.compactMap { id -> String? in
            guard let member = clients[id], let privileges = room.members[id] else { return nil }
            return privileges.symbols(multiPrefix: multi) + (userhost ? member.prefix : member.displayNick)
        }
        let symbol = room.secret ? "@" : "="
        let overhead = 1 + config.serverName.utf8.count + 5 + client.displayNick.utf8.count + 3 + room.name.utf8.count + 4
        for text in LinePacking.pack(entries, separator: " ", budget: IRCLimits.lineBytes - overhead - 3) {
            reply(client, IRCNumeric.namReply, symbol, room.name, text)
        }
        reply(client, IRCNumeric.endOfNames, room.name, "End of /NAMES list")
    }

    /// `TOPIC #room` shows it, `TOPIC #room :text` sets it (ops only when +t), `TOPIC #room :` clears it.
    func handleTopic(_ client: Client, _ message: IRCMessage) {
        let name = message.params[0]
        guard let room = rooms[fold(name)] else {
            reply(client, IRCNumeric.noSuchChannel, name, "No such channel")
            return
        }
        let privileges = room.members[client.id]
        guard let text = message.param(1) else {
            if room.secret && privileges == nil {
                reply(client, IRCNumeric.notOnChannel, room.name, "You're not on that channel")
                return
            }
            sendTopic(client, room: room, explicit: true)
            return
        }
        guard privileges != nil else {
            reply(client, IRCNumeric.notOnChannel, room.name, "You're not on that channel")
            return
        }
        if room.topicLocked && !(privileges ?? []).contains(.op) {
            reply(client, IRCNumeric.chanOpPrivsNeeded, room.name, "You're not channel operator")
            return
        }
        let topic = String(text.prefix(config.topicLength))
        room.topic = topic.isEmpty ? nil : topic
        room.topicSetBy = client.prefix
        room.topicSetAt = clock.wallMilliseconds() / 1000
        let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "TOPIC", params: [room.name, topic])
        relay(line, to: room.memberClients)
    }

    /// 332 + 333, or 331 when asked explicitly and there is none.
    func sendTopic(_ client: Client, room: Room, explicit: Bool) {
        guard let topic = room.topic else {
            if explicit { reply(client, IRCNumeric.noTopic, room.name, "No topic is set") }
            return
        }
        reply(client, IRCNumeric.topic, room.name, topic)
        reply(client, IRCNumeric.topicWhoTime, room.name, room.topicSetBy ?? config.serverName, String(room.topicSetAt))
    }

    /// `LIST [#a,#b]`; secret rooms are listed only to their members.
    func handleList(_ client: Client, _ message: IRCMessage) {
        reply(client, IRCNumeric.listStart, "Channel", "Users  Name")
        let wanted = message.param(0).map { Set($0.split(separator: ",").map { fold(String($0)) }) }
        for room in rooms.values.sorted(by: { $0.folded < $1.folded }) {
            if let wanted, !wanted.contains(room.folded) { continue }
            if room.secret && room.members[client.id] == nil { continue }
            reply(client, IRCNumeric.list, room.name, String(room.members.count), room.topic ?? "")
        }
        reply(client, IRCNumeric.listEnd, "End of /LIST")
    }

    /// `KICK #room nick[,nick] [:reason]` (operators only).
    func handleKick(_ client: Client, _ message: IRCMessage) {
        let name = message.params[0]
        guard let room = rooms[fold(name)] else {
            reply(client, IRCNumeric.noSuchChannel, name, "No such channel")
            return
        }
        guard let privileges = room.members[client.id] else {
            reply(client, IRCNumeric.notOnChannel, room.name, "You're not on that channel")
            return
        }
        guard privileges.contains(.op) else {
            reply(client, IRCNumeric.chanOpPrivsNeeded, room.name, "You're not channel operator")
            return
        }
        let reason = String((message.param(2) ?? client.displayNick).prefix(config.kickLength))
        for target in message.params[1].split(separator: ",").map(String.init) {
            guard let victim = nicks[fold(target)], room.members[victim.id] != nil else {
                reply(client, IRCNumeric.userNotInChannel, target, room.name, "They aren't on that channel")
                continue
            }
            let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "KICK", params: [room.name, victim.displayNick, reason])
            relay(line, to: room.memberClients)
            removeMember(victim, from: room)
        }
    }

    /// `INVITE nick #room`: on +i rooms only operators may invite.
    func handleInvite(_ client: Client, _ message: IRCMessage) {
        let targetNick = message.params[0]
        let name = message.params[1]
        guard let target = nicks[fold(targetNick)], target.isRegistered else {
            reply(client, IRCNumeric.noSuchNick, targetNick, "No such nick/channel")
            return
        }
        guard let room = rooms[fold(name)] else {
            reply(client, IRCNumeric.noSuchChannel, name, "No such channel")
            return
        }
        guard let privileges = room.members[client.id] else {
            reply(client, IRCNumeric.notOnChannel, room.name, "You're not on that channel")
            return
        }
        if room.inviteOnly && !privileges.contains(.op) {
            reply(client, IRCNumeric.chanOpPrivsNeeded, room.name, "You're not channel operator")
            return
        }
        if room.members[target.id] != nil {
            reply(client, IRCNumeric.userOnChannel, target.displayNick, room.name, "is already on channel")
            return
        }
        if let folded = target.foldedNick { room.invited.insert(folded) }
        reply(client, IRCNumeric.inviting, target.displayNick, room.name)
        let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "INVITE", params: [target.displayNick, room.name])
        send(line, to: target)
        let notified = room.memberClients.filter {
            $0 !== client && $0.has(.inviteNotify) && (room.members[$0.id]?.contains(.op) ?? false)
        }
        relay(line, to: notified)
    }
}
