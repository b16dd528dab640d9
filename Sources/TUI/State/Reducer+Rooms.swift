import Shared

/// Joins, parts, quits, nick changes, topics and member lists.
extension Reducer {
    static func event(_ state: inout AppState, _ text: String, in id: ConversationID, message: IRCMessage, now: Int64) {
        guard state.conversations[id] != nil else { return }
        var line = ChatLine(kind: .event, time: messageTime(message, now: now), text: text)
        line.msgid = message.tag("msgid")
        line.isFromHistory = isHistory(state, message)
        add(&state, line, to: id, name: state.conversations[id]?.name ?? "")
    }

    static func handleJoin(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard let room = message.param(0), let source = message.source.map(IRCSource.init(parsing:)) else { return [] }
        let id = state.conversationID(for: room)
        if state.isMe(source.nick) {
            if state.conversations[id] == nil { state.conversations[id] = Conversation(id: id, name: room) }
            state.conversations[id]?.name = room
            state.conversations[id]?.joined = true
            state.conversations[id]?.members = [:]
            // Asked before the JOIN line is added: the server tags JOIN with a msgid and time,
            // and "after our own JOIN" would skip everything said before it.
            let catchUp = historyRequest(state, for: id)
            state.conversations[id]?.historyRequested = true
            event(&state, "You joined \(room)", in: id, message: message, now: now)
            if state.switchOnJoin.remove(id.key) != nil { switchTo(&state, id) }
            return catchUp
        }
        let key = state.fold(source.nick)
        state.conversations[id]?.members[key] = RoomMember(nick: source.nick)
        event(&state, "\(source.nick) (\(source.user ?? "")@\(source.host ?? "")) joined", in: id, message: message, now: now)
        return []
    }

    static func handlePart(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard let room = message.param(0), let nick = message.sourceNick else { return [] }
        let id = state.conversationID(for: room)
        let reason = message.param(1).map { " (\($0))" } ?? ""
        leave(&state, nick: nick, id: id, text: "\(nick) left\(reason)", message: message, now: now)
        return []
    }

    static func handleKick(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 2, let kicker = message.sourceNick else { return [] }
        let id = state.conversationID(for: message.params[0])
        let victim = message.params[1]
        let reason = message.param(2).map { " (\($0))" } ?? ""
        let text = state.isMe(victim) ? "You were kicked by \(kicker)\(reason)" : "\(victim) was kicked by \(kicker)\(reason)"
        leave(&state, nick: victim, id: id, text: text, message: message, now: now)
        return []
    }

    private static func leave(_ state: inout AppState, nick: String, id: ConversationID, text: String, message: IRCMessage, now: Int64) {
        if state.isMe(nick) {
            state.conversations[id]?.joined = false
            state.conversations[id]?.members = [:]
        } else {
            let key = state.fold(nick)
            state.conversations[id]?.members[key] = nil
        }
        event(&state, text, in: id, message: message, now: now)
    }

    static func handleQuit(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard let nick = message.sourceNick else { return [] }
        let key = state.fold(nick)
        let reason = message.param(0).map { " (\($0))" } ?? ""
        for id in state.conversations.keys.sorted(by: { $0.key < $1.key }) {
            guard let conversation = state.conversations[id] else { continue }
            if id.kind == .room, conversation.members[key] != nil {
                state.conversations[id]?.members[key] = nil
                event(&state, "\(nick) quit\(reason)", in: id, message: message, now: now)
            } else if id.kind == .direct, id.key == key {
                event(&state, "\(nick) quit\(reason)", in: id, message: message, now: now)
            }
        }
        if !state.hasCap(IRCCapability.roster) && state.isupport.monitorLimit == nil {
            state.presence[key] = nil
        }
        return []
    }

    static func handleNick(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard let old = message.sourceNick, let new = message.param(0) else { return [] }
        let oldKey = state.fold(old)
        let newKey = state.fold(new)
        let isMe = state.isMe(old)
        if isMe {
            state.nick = new
            state.identity.nick = new
            info(&state, "You are now known as \(new)", now: now, in: .server)
        }
        for id in state.conversations.keys.sorted(by: { $0.key < $1.key }) where id.kind == .room {
            guard let member = state.conversations[id]?.members[oldKey] else { continue }
            state.conversations[id]?.members[oldKey] = nil
            state.conversations[id]?.members[newKey] = RoomMember(nick: new, prefix: member.prefix)
            event(&state, isMe ? "You are now known as \(new)" : "\(old) is now known as \(new)", in: id, message: message, now: now)
        }
        // The DM follows the person to the new nick, unless one with that nick already exists.
        let oldID = ConversationID(kind: .direct, key: oldKey)
        let newID = ConversationID(kind: .direct, key: newKey)
        if !isMe, var conversation = state.conversations[oldID], state.conversations[newID] == nil || oldID == newID {
            state.conversations[oldID] = nil
            var renamed = Conversation(id: newID, name: new)
            renamed.lines = conversation.lines
            renamed.unread = conversation.unread
            renamed.highlights = conversation.highlights
            renamed.firstUnread = conversation.firstUnread
            renamed.seenMessageIDs = conversation.seenMessageIDs
            renamed.scrollRows = conversation.scrollRows
            conversation = renamed
            state.conversations[newID] = conversation
            if state.current == oldID { state.current = newID }
            event(&state, "\(old) is now known as \(new)", in: newID, message: message, now: now)
        }
        if state.presence.removeValue(forKey: oldKey) != nil, !state.hasCap(IRCCapability.roster) {
            state.presence[newKey] = new
        }
        return []
    }

    static func handleTopic(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 2, let nick = message.sourceNick else { return [] }
        let id = state.conversationID(for: message.params[0])
        state.conversations[id]?.topic = message.params[1]
        event(&state, "\(nick) changed the topic to: \(message.params[1])", in: id, message: message, now: now)
        return []
    }

    static func handleNames(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 4 else { return [] }
        let id = state.conversationID(for: message.params[2])
        guard state.conversations[id] != nil else { return [] }
        let symbols = Set(state.isupport.prefixes.map(\.symbol))
        var incoming = state.conversations[id]?.incomingNames ?? [:]
        for word in message.params[3].split(separator: " ") {
            let prefix = String(word.prefix(while: { symbols.contains($0) }))
            let rest = word.dropFirst(prefix.count)
            let nick = IRCSource(parsing: String(rest)).nick
            guard !nick.isEmpty else { continue }
            incoming[state.fold(nick)] = RoomMember(nick: nick, prefix: prefix)
        }
        state.conversations[id]?.incomingNames = incoming
        return []
    }

    static func handleEndOfNames(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard let room = message.param(1) else { return [] }
        let id = state.conversationID(for: room)
        guard let incoming = state.conversations[id].map({ $0.incomingNames ?? $0.members }) else { return [] }
        let shouldPrint = state.conversations[id]?.printNames ?? false
        state.conversations[id]?.members = incoming
        state.conversations[id]?.incomingNames = nil
        state.conversations[id]?.printNames = false
        if shouldPrint {
            let names = incoming.values.sorted { $0.nick.lowercased() < $1.nick.lowercased() }
                .map { $0.prefix.prefix(1) + $0.nick }
            info(&state, "\(names.count) in \(room): " + names.joined(separator: " "), now: now, in: id)
        }
        return []
    }

    static func presenceChange(_ state: inout AppState, _ message: IRCMessage, online: Bool) {
        guard let list = message.params.last else { return }
        for item in list.split(separator: ",") {
            let nick = IRCSource(parsing: String(item)).nick
            guard !nick.isEmpty else { continue }
            state.presence[state.fold(nick)] = online ? nick : nil
        }
    }
}
