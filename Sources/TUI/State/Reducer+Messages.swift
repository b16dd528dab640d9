import Shared

/// Lines from the server, dispatched through a table keyed by command.
extension Reducer {
    typealias MessageHandler = @Sendable (inout AppState, IRCMessage, Int64) -> [Effect]

    static let handlers: [String: MessageHandler] = [
        "CAP": handleCap,
        "PING": { state, message, now in
            var effects: [Effect] = [.send(IRCMessage(command: "PONG", params: message.params))]
            effects += startLagProbe(&state, now: now)
            return effects
        },
        "PONG": { state, message, now in handlePong(&state, message, now: now); return [] },
        "PRIVMSG": handlePrivmsg,
        "NOTICE": handlePrivmsg,
        "JOIN": handleJoin,
        "PART": handlePart,
        "KICK": handleKick,
        "QUIT": handleQuit,
        "NICK": handleNick,
        "TOPIC": handleTopic,
        "BATCH": handleBatch,
        "CHATHISTORY": handleHistoryTarget,
        "MARKREAD": handleMarkRead,
        "AUTHENTICATE": handleAuthenticate,
        "REGISTER": handleRegisterReply,
        "TAGMSG": { _, _, _ in [] },
        "ERROR": { state, message, now in
            info(&state, "Server closed the link: \(message.params.last ?? "")", now: now, in: .server)
            return []
        },
        "FAIL": { state, message, now in
            if message.param(0) == "REGISTER" {
                handleRegisterFailure(&state, message, now: now)
                return []
            }
            var effects = standardReply(&state, message, now: now)
            // No history after all: send what is pending rather than wait for a replay.
            if message.param(0) == "CHATHISTORY" {
                for id in state.resendAfterHistory.sorted(by: { $0.key < $1.key }) { effects += resendPending(&state, in: id) }
            }
            return effects
        },
        "WARN": standardReply,
        "NOTE": standardReply,
        IRCNumeric.welcome: welcome,
        IRCNumeric.loggedIn: handleLoggedIn,
        IRCNumeric.saslSuccess: handleSASLSuccess,
        IRCNumeric.saslFail: handleSASLFailure,
        IRCNumeric.saslTooLong: handleSASLFailure,
        IRCNumeric.nickLocked: handleSASLFailure,
        IRCNumeric.saslAborted: handleSASLFailure,
        IRCNumeric.saslAlready: handleSASLAlready,
        IRCNumeric.isupport: { state, message, now in state.isupport.apply(message); return [] },
        IRCNumeric.endOfMotd: { state, message, now in afterISupport(&state, now: now) },
        IRCNumeric.noMotd: { state, message, now in afterISupport(&state, now: now) },
        IRCNumeric.nicknameInUse: nickRejected,
        IRCNumeric.erroneousNickname: nickRejected,
        IRCNumeric.topic: { state, message, now in
            guard message.params.count >= 3 else { return [] }
            let id = state.conversationID(for: message.params[1])
            state.conversations[id]?.topic = message.params[2]
            info(&state, "Topic: \(message.params[2])", now: now, in: state.conversations[id] == nil ? .server : id)
            return []
        },
        IRCNumeric.noTopic: { state, message, now in
            let id = state.conversationID(for: message.param(1) ?? "")
            state.conversations[id]?.topic = ""
            info(&state, "No topic is set.", now: now, in: state.conversations[id] == nil ? .server : id)
            return []
        },
        IRCNumeric.topicWhoTime: { _, _, _ in [] },
        IRCNumeric.namReply: handleNames,
        IRCNumeric.endOfNames: handleEndOfNames,
        IRCNumeric.monOnline: { state, message, now in presenceChange(&state, message, online: true); return [] },
        IRCNumeric.monOffline: { state, message, now in presenceChange(&state, message, online: false); return [] },
        IRCNumeric.ison: { state, message, now in handleISON(&state, message); return [] },
        IRCNumeric.nowAway: { state, message, now in info(&state, "You are marked away.", now: now); return [] },
        IRCNumeric.unaway: { state, message, now in info(&state, "You are back.", now: now); return [] },
        IRCNumeric.away: { state, message, now in
            guard message.params.count >= 3 else { return [] }
            let id = state.conversationID(for: message.params[1])
            info(&state, "\(message.params[1]) is away: \(message.params[2])", now: now,
                 in: state.conversations[id] == nil ? state.current : id)
            return []
        },
    ]

    static func handleMessage(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        if let handler = handlers[message.command] {
            return handler(&state, message, now)
        }
        if let code = Int(message.command), message.command.count == 3 {
            showNumeric(&state, message, code: code, now: now)
        }
        return []
    }

    /// The time a message was sent: the `time` tag when present, otherwise now.
    static func messageTime(_ message: IRCMessage, now: Int64) -> Int64 {
        message.tag("time").flatMap(IRCTime.parse) ?? now
    }

    /// True for messages replayed inside a history batch.
    static func isHistory(_ state: AppState, _ message: IRCMessage) -> Bool {
        guard let reference = message.tag("batch"), let type = state.batches[reference] else { return false }
        return type.hasSuffix("chathistory")
    }

    static func handlePrivmsg(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 2 else { return [] }
        let target = message.params[0]
        var text = message.params[1]
        let source = message.source.map(IRCSource.init(parsing:))
        let sender = source?.nick ?? state.identity.host
        let isNotice = message.command == "NOTICE"
        // A server notice (no user part, or before registration) belongs in the server buffer
        // until we are registered; after that it usually answers what the user just did (a DM
        // stored for an offline account), so it goes where the user is looking.
        if source?.user == nil, isNotice || !state.registered {
            info(&state, text, now: messageTime(message, now: now), in: state.registered ? state.current : .server)
            return []
        }
        var kind: ChatLine.Kind = isNotice ? .notice : .message
        if text.hasPrefix("\u{01}") {
            var body = text.dropFirst()
            if body.hasSuffix("\u{01}") { body = body.dropLast() }
            let (verb, rest) = firstWord(String(body))
            if verb.uppercased() == "ACTION" {
                kind = .action
                text = rest
            } else if !isNotice {
                return answerCTCP(&state, from: sender, verb: verb.uppercased(), argument: rest, now: now)
            }
        }
        let fromMe = state.isMe(sender)
        let conversationName = state.conversationID(for: target).kind == .room || fromMe ? target : sender
        let id = state.conversationID(for: conversationName)
        let time = messageTime(message, now: now)
        if fromMe, confirmEcho(&state, message, in: id, text: text, time: time) { return [] }
        var line = ChatLine(kind: kind, time: time, sender: sender, text: text)
        line.isSelf = fromMe
        line.msgid = message.tag("msgid")
        line.isFromHistory = isHistory(state, message)
        line.isHighlight = !fromMe && (id.kind == .direct || mentions(text, nick: state.nick))
        var effects: [Effect] = []
        if id.kind == .direct, state.conversations[id] == nil, needsPresenceWatch(state) {
            openDirect(&state, nick: conversationName)
            effects += watchPresence(&state, nicks: [conversationName])
        }
        if id.kind == .direct, !fromMe, state.presence[id.key] == nil, !state.hasCap(IRCCapability.roster) {
            state.presence[id.key] = sender
        }
        add(&state, line, to: id, name: conversationName)
        return effects
    }

    /// Marks our own pending line as confirmed: by its label, else by its text. Returns false
    /// when nothing was waiting (a line sent from elsewhere, which is then shown as new).
    static func confirmEcho(_ state: inout AppState, _ message: IRCMessage, in id: ConversationID, text: String, time: Int64) -> Bool {
        let msgid = message.tag("msgid")
        if let msgid, state.conversations[id]?.seenMessageIDs.contains(msgid) == true { return true }
        guard let index = pendingIndex(state, in: id, label: message.tag("label"), token: message.tag(pendingTag), text: text)
        else { return false }
        state.conversations[id]?.lines[index].isPending = false
        state.conversations[id]?.lines[index].label = nil
        state.conversations[id]?.lines[index].time = time
        if let msgid {
            state.conversations[id]?.lines[index].msgid = msgid
            state.conversations[id]?.seenMessageIDs.insert(msgid)
        }
        return true
    }

    /// The pending line an echo confirms: by label when it carries one, else by text.
    /// (A separate function so no copy of the lines outlives the search.)
    private static func pendingIndex(_ state: AppState, in id: ConversationID, label: String?, token: String?, text: String) -> Int? {
        guard let lines = state.conversations[id]?.lines else { return nil }
        if let token, let index = lines.lastIndex(where: { $0.isPending && $0.pendingToken == token }) { return index }
        return lines.lastIndex { line in
            line.isPending && (label != nil ? line.label == label : line.text == text)
        } ?? lines.firstIndex { $0.isPending && $0.text == text }
    }

    /// True when `text` names `nick` as a word (case-insensitive, formatting ignored).
    static func mentions(_ text: String, nick: String) -> Bool {
        let plain = FormattedText.stripped(text).lowercased()
        let needle = nick.lowercased()
        guard !needle.isEmpty else { return false }
        var searchRange = plain.startIndex..<plain.endIndex
        while let found = plain.range(of: needle, range: searchRange) {
            let before = found.lowerBound == plain.startIndex ? nil : plain[plain.index(before: found.lowerBound)]
            let after = found.upperBound == plain.endIndex ? nil : plain[found.upperBound]
            let isBoundary: (Character?) -> Bool = { character in
                guard let character else { return true }
                return !(character.isLetter || character.isNumber || "_-[]\\`^{|}".contains(character))
            }
            if isBoundary(before) && isBoundary(after) { return true }
            searchRange = found.upperBound..<plain.endIndex
        }
        return false
    }

    static func answerCTCP(_ state: inout AppState, from sender: String, verb: String, argument: String, now: Int64) -> [Effect] {
        let reply: String
        switch verb {
        case "VERSION": reply = "VERSION chat-tui"
        case "PING": reply = "PING " + argument
        case "CLIENTINFO": reply = "CLIENTINFO ACTION CLIENTINFO PING VERSION"
        default: return []
        }
        info(&state, "\(sender) asked for \(verb).", now: now, in: .server)
        return [.send(IRCMessage("NOTICE", sender, "\u{01}\(reply)\u{01}"))]
    }

    static func standardReply(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        let text = "\(message.command) \(message.params.dropLast().joined(separator: " ")): \(message.params.last ?? "")"
        if message.command == "FAIL" { error(&state, text, now: now) } else { info(&state, text, now: now) }
        return []
    }

    static func handleBatch(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard let reference = message.param(0), reference.count > 1 else { return [] }
        let name = String(reference.dropFirst())
        if reference.hasPrefix("+") {
            state.batches[name] = message.param(1) ?? ""
            state.batchTargets[name] = message.param(2)
            return []
        }
        let type = state.batches.removeValue(forKey: name) ?? ""
        let target = state.batchTargets.removeValue(forKey: name)
        // A conversation's catch-up is over: what the replay did not confirm goes out again.
        if type.hasSuffix("chathistory"), let target {
            let id = state.conversationID(for: target)
            historyArrived(&state, in: id)
            olderPageArrived(&state, in: id)
            if state.resendAfterHistory.contains(id) { return resendPending(&state, in: id) }
        }
        return []
    }

    /// A numeric nobody handles specially: errors go to the conversation shown, the rest
    /// (MOTD, LUSERS, WHOIS lines) too once registered, or to the server buffer before.
    static func showNumeric(_ state: inout AppState, _ message: IRCMessage, code: Int, now: Int64) {
        let text = message.params.dropFirst().joined(separator: " ")
        guard !text.isEmpty else { return }
        if code >= 400 && code < 600 {
            error(&state, text, now: now)
        } else if (311...319).contains(code) || code == 330 || code == 338 || code == 378 || code == 379 || code == 671 {
            info(&state, text, now: now)
        } else {
            info(&state, text, now: now, in: .server)
        }
    }
}
