import Shared

/// The /command handlers named in ``CommandTable``.
extension Reducer {
    /// Splits the first word off `text`.
    static func firstWord(_ text: String) -> (String, String) {
        let trimmed = text.drop(while: { $0 == " " })
        guard let space = trimmed.firstIndex(of: " ") else { return (String(trimmed), "") }
        return (String(trimmed[..<space]), String(trimmed[trimmed.index(after: space)...].drop(while: { $0 == " " })))
    }

    static func usage(_ state: inout AppState, _ name: String, now: Int64) -> [Effect] {
        error(&state, "usage: " + (CommandTable.command(named: name)?.usage ?? "/" + name), now: now)
        return []
    }

    /// Refuses commands that need the server while we are not registered.
    static func requireConnection(_ state: inout AppState, now: Int64) -> Bool {
        guard state.registered else {
            error(&state, "Not connected: wait for the connection to come back.", now: now)
            return false
        }
        return true
    }

    static func commandMsg(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        let (target, text) = firstWord(args)
        guard !target.isEmpty, !text.isEmpty else { return usage(&state, "msg", now: now) }
        return sendMessage(&state, to: target, text: text, action: false, now: now)
    }

    static func commandQuery(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        let (nick, text) = firstWord(args)
        guard !nick.isEmpty else { return usage(&state, "query", now: now) }
        let id = state.conversationID(for: nick)
        guard id.kind == .direct, IRCNames.isValidNick(nick, maxLength: 64) else {
            error(&state, "\(nick) is not a nick; use /join for rooms.", now: now)
            return []
        }
        var effects: [Effect] = []
        openDirect(&state, nick: nick)
        if needsPresenceWatch(state) { effects += watchPresence(&state, nicks: [nick]) }
        switchTo(&state, id)
        if !text.isEmpty { effects += sendMessage(&state, to: nick, text: text, action: false, now: now) }
        return effects
    }

    static func commandJoin(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        let (rawRoom, key) = firstWord(args)
        guard !rawRoom.isEmpty else { return usage(&state, "join", now: now) }
        let room = state.conversationID(for: rawRoom).kind == .room ? rawRoom : "#" + rawRoom
        let roomLength = Int(state.isupport["CHANNELLEN"] ?? "") ?? 64
        guard IRCNames.isValidRoom(room, maxLength: roomLength) else {
            error(&state, "\(room) is not a valid room name.", now: now)
            return []
        }
        let id = state.conversationID(for: room)
        if state.conversations[id]?.joined == true {
            switchTo(&state, id)
            return []
        }
        guard requireConnection(&state, now: now) else { return [] }
        state.switchOnJoin.insert(id.key)
        let message = key.isEmpty ? IRCMessage("JOIN", room) : IRCMessage("JOIN", room, firstWord(key).0)
        return [.send(message)]
    }

    static func commandPart(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        var (room, reason) = firstWord(args)
        if room.isEmpty || state.conversationID(for: room).kind != .room {
            room = state.currentConversation.name
            reason = args
        }
        let id = state.conversationID(for: room)
        guard id.kind == .room, state.conversations[id]?.joined == true else {
            error(&state, "Not in a room here; /close closes a conversation.", now: now)
            return []
        }
        guard requireConnection(&state, now: now) else { return [] }
        return [.send(reason.isEmpty ? IRCMessage("PART", room) : IRCMessage("PART", room, reason))]
    }

    static func commandNick(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        let (nick, _) = firstWord(args)
        guard !nick.isEmpty else { return usage(&state, "nick", now: now) }
        let limit = Int(state.isupport["NICKLEN"] ?? "") ?? 30
        guard IRCNames.isValidNick(nick, maxLength: limit) else {
            error(&state, "\(nick) is not a valid nick (letters, digits, -[]\\`_^{|}, at most \(limit)).", now: now)
            return []
        }
        state.identity.nick = nick
        guard state.registered else {
            info(&state, "Will use \(nick) when connected.", now: now)
            return []
        }
        return [.send(IRCMessage("NICK", nick))]
    }

    static func commandMe(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        guard !args.isEmpty else { return usage(&state, "me", now: now) }
        guard state.current != .server else {
            error(&state, "/me needs a room or a conversation.", now: now)
            return []
        }
        return sendMessage(&state, to: state.currentConversation.name, text: args, action: true, now: now)
    }

    static func commandTopic(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        guard state.current.kind == .room else {
            error(&state, "/topic works in a room.", now: now)
            return []
        }
        guard requireConnection(&state, now: now) else { return [] }
        let room = state.currentConversation.name
        return [.send(args.isEmpty ? IRCMessage("TOPIC", room) : IRCMessage("TOPIC", room, args))]
    }

    static func commandNames(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        guard state.current.kind == .room else {
            error(&state, "/names works in a room.", now: now)
            return []
        }
        guard requireConnection(&state, now: now) else { return [] }
        state.conversations[state.current]?.printNames = true
        return [.send(IRCMessage("NAMES", state.currentConversation.name))]
    }

    static func commandWhois(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        var (nick, _) = firstWord(args)
        if nick.isEmpty, state.current.kind == .direct { nick = state.currentConversation.name }
        guard !nick.isEmpty else { return usage(&state, "whois", now: now) }
        guard requireConnection(&state, now: now) else { return [] }
        return [.send(IRCMessage("WHOIS", nick))]
    }

    static func commandClose(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        let id = state.current
        guard id != .server else {
            error(&state, "The server buffer stays open; /quit leaves.", now: now)
            return []
        }
        var effects: [Effect] = []
        let name = state.currentConversation.name
        if id.kind == .room, state.conversations[id]?.joined == true, state.registered {
            effects.append(.send(IRCMessage("PART", name)))
        }
        if id.kind == .direct, state.registered, state.isupport.monitorLimit != nil, !state.hasCap(IRCCapability.roster) {
            effects.append(.send(IRCMessage("MONITOR", "-", name)))
        }
        let order = Sidebar.conversationOrder(state)
        let position = order.firstIndex(of: id) ?? 0
        state.conversations[id] = nil
        state.current = order[max(0, position - 1)]
        switchTo(&state, state.conversations[state.current] == nil ? .server : state.current)
        return effects
    }

    static func commandAway(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        guard requireConnection(&state, now: now) else { return [] }
        state.awayMessage = args.isEmpty ? nil : args
        return [.send(args.isEmpty ? IRCMessage("AWAY") : IRCMessage("AWAY", args))]
    }

    static func commandQuote(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        guard !args.isEmpty else { return usage(&state, "quote", now: now) }
        guard requireConnection(&state, now: now) else { return [] }
        do {
            let message = try IRCMessage.parse(args, limits: .fromClient)
            return [.send(message)]
        } catch {
            Reducer.error(&state, "Cannot send that line: \(error).", now: now)
            return []
        }
    }

    static func commandHelp(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        let (name, _) = firstWord(args)
        if name.isEmpty {
            state.showHelp = true
            return []
        }
        let bare = name.hasPrefix("/") ? String(name.dropFirst()) : name
        guard let command = CommandTable.command(named: bare) else {
            error(&state, "No command /\(bare); /help lists them.", now: now)
            return []
        }
        info(&state, "\(command.usage) — \(command.summary)", now: now)
        return []
    }

    static func commandQuit(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        state.phase = .quitting
        let reason = args.isEmpty ? "chat-tui" : args
        return state.registered ? [.send(IRCMessage("QUIT", reason)), .quit] : [.quit]
    }
}
