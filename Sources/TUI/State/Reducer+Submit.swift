import Shared

/// Enter: a /command, or text for the conversation shown, split to fit IRC's line limit.
extension Reducer {
    static func submit(_ state: inout AppState, now: Int64) -> [Effect] {
        let text = state.editor.text
        guard !text.isEmpty else { return [] }
        if !holdsSecret(text) { state.history.record(text) }
        state.editor.setText("")
        state.conversations[state.current]?.scrollRows = 0
        return sendText(&state, text, now: now)
    }

    /// True for a command line whose arguments may be a password (/register, /login, /quote PASS…).
    static func holdsSecret(_ text: String) -> Bool {
        guard text.hasPrefix("/"), !text.hasPrefix("//") else { return false }
        let (word, args) = firstWord(String(text.dropFirst()))
        if CommandTable.command(named: word)?.keepsOutOfHistory == true { return true }
        let raw = firstWord(args).0.uppercased()
        return word.lowercased() == "quote" && ["PASS", "AUTHENTICATE", "REGISTER"].contains(raw)
    }

    /// Runs `text` as typed on the input line.
    static func sendText(_ state: inout AppState, _ text: String, now: Int64) -> [Effect] {
        if text.hasPrefix("/") && !text.hasPrefix("//") {
            let (word, args) = firstWord(String(text.dropFirst()))
            guard let command = CommandTable.command(named: word) else {
                error(&state, "Unknown command /\(word). /help lists the commands; //\(word) sends it as text.", now: now)
                return []
            }
            return command.run(&state, args, now)
        }
        let body = text.hasPrefix("//") ? String(text.dropFirst()) : text
        switch state.current.kind {
        case .server:
            error(&state, "This is the server buffer: pick someone in the sidebar (Ctrl-G), /query NICK or /join #ROOM.", now: now)
            return []
        case .room where state.currentConversation.joined == false:
            error(&state, "You are not in \(state.currentConversation.name); /join it first.", now: now)
            return []
        default:
            return sendMessage(&state, to: state.currentConversation.name, text: body, action: false, now: now)
        }
    }

    /// Sends a PRIVMSG (or a CTCP ACTION) and shows it, pending until the server echoes it.
    /// While disconnected the line is kept pending and goes out after the reconnect.
    static func sendMessage(_ state: inout AppState, to target: String, text: String, action: Bool, now: Int64) -> [Effect] {
        let id = state.conversationID(for: target)
        if id.kind == .room, state.conversations[id]?.joined != true {
            error(&state, "You are not in \(target); /join it first.", now: now)
            return []
        }
        if id.kind == .direct, !IRCNames.isValidNick(target, maxLength: 64) {
            error(&state, "\(target) is not a nick or a room.", now: now)
            return []
        }
        var effects: [Effect] = []
        if id.kind == .direct, state.conversations[id] == nil {
            openDirect(&state, nick: target)
            if needsPresenceWatch(state) { effects += watchPresence(&state, nicks: [target]) }
        }
        let name = state.conversations[id]?.name ?? target
        for chunk in splitForWire(text, target: name, nick: state.nick, action: action) {
            var line = ChatLine(kind: action ? .action : .message, time: now, sender: state.nick, text: chunk)
            line.isSelf = true
            line.pendingToken = "\(now)-\(takeLabel(&state))"
            if state.registered {
                let (message, label) = outgoing(&state, target: name, text: chunk, action: action, token: line.pendingToken)
                line.isPending = state.hasCap(IRCCapability.echoMessage)
                line.label = line.isPending ? label : nil
                effects.append(.send(message))
            } else {
                line.isPending = true
            }
            add(&state, line, to: id, name: name)
        }
        return effects
    }

    /// The PRIVMSG for `text`, labelled when the server can answer labels.
    static func outgoing(_ state: inout AppState, target: String, text: String, action: Bool, token: String?) -> (IRCMessage, String?) {
        var message = IRCMessage("PRIVMSG", target, action ? "\u{01}ACTION \(text)\u{01}" : text)
        if let token, state.hasCap(IRCCapability.messageTags) { message.setTag(pendingTag, token) }
        var label: String?
        if state.hasCap(IRCCapability.labeledResponse), state.hasCap(IRCCapability.echoMessage) {
            let fresh = takeLabel(&state)
            message.setTag("label", fresh)
            label = fresh
        }
        return (message, label)
    }

    /// The client-only tag that carries a line's pending token through the server and its history.
    static let pendingTag = "+chat.localhost/pending"

    /// After (re)registration, sends again the lines still waiting for their echo. With
    /// history available, a conversation first catches up: a line the server already has
    /// comes back in the replay (same pending token) and is not sent twice.
    static func resendPending(_ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for id in Sidebar.conversationOrder(state) where state.conversations[id]?.lines.contains(where: \.isPending) == true {
            if state.hasCap(IRCCapability.chathistory), state.hasCap(IRCCapability.batch) {
                state.resendAfterHistory.insert(id)
                if id.kind == .room { continue } // its catch-up follows the JOIN
            } else {
                effects += resendPending(&state, in: id)
            }
        }
        return effects
    }

    /// Sends again the pending lines of one conversation.
    static func resendPending(_ state: inout AppState, in id: ConversationID) -> [Effect] {
        state.resendAfterHistory.remove(id)
        guard let name = state.conversations[id]?.name, let lines = state.conversations[id]?.lines else { return [] }
        guard id.kind != .room || state.conversations[id]?.joined == true else { return [] }
        var effects: [Effect] = []
        let echo = state.hasCap(IRCCapability.echoMessage)
        for index in lines.indices where lines[index].isPending {
            let line = lines[index]
            let (message, label) = outgoing(&state, target: name, text: line.text, action: line.kind == .action,
                                            token: line.pendingToken)
            effects.append(.send(message))
            state.conversations[id]?.lines[index].isPending = echo
            state.conversations[id]?.lines[index].label = echo ? label : nil
        }
        return effects
    }

    /// Splits `text` into pieces that fit one IRC line once the server adds our full source,
    /// breaking at a space when one is near the limit and never inside a grapheme.
    static func splitForWire(_ text: String, target: String, nick: String, action: Bool) -> [String] {
        // ":nick!user@host PRIVMSG target :" with room for a long user@host, plus CR LF.
        let overhead = 1 + nick.utf8.count + 1 + 10 + 1 + 63 + " PRIVMSG ".utf8.count + target.utf8.count + 2 + 2
        let budget = max(32, IRCLimits.lineBytes - overhead - (action ? 9 : 0))
        guard text.utf8.count > budget else { return [text] }
        var pieces: [String] = []
        var current = ""
        var currentBytes = 0
        var lastSpace: String.Index?
        for character in text {
            let size = character.utf8.count
            if currentBytes + size > budget {
                if let space = lastSpace, space > current.startIndex {
                    let head = String(current[..<space])
                    let tail = String(current[current.index(after: space)...])
                    pieces.append(head)
                    current = tail
                } else {
                    pieces.append(current)
                    current = ""
                }
                currentBytes = current.utf8.count
                lastSpace = nil
            }
            if character == " " { lastSpace = current.endIndex }
            current.append(character)
            currentBytes += size
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
