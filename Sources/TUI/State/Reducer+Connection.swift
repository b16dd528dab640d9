import Shared

/// Connection life: registration, capability negotiation, lag, presence fallbacks.
extension Reducer {
    /// Capabilities requested when the server offers them.
    static let wantedCaps: [String] = [
        IRCCapability.roster, IRCCapability.echoMessage, IRCCapability.serverTime, IRCCapability.messageTags,
        IRCCapability.batch, IRCCapability.labeledResponse, IRCCapability.awayNotify, IRCCapability.multiPrefix,
        IRCCapability.capNotify, IRCCapability.setname, IRCCapability.accountTag, IRCCapability.chathistory,
        IRCCapability.sasl, IRCCapability.readMarker, IRCCapability.accountRegistration,
    ]

    static func handleNetwork(_ state: inout AppState, _ event: NetworkEvent, now: Int64) -> [Effect] {
        switch event {
        case .connecting(let attempt):
            if state.phase != .quitting { state.phase = .connecting(attempt: attempt) }
            info(&state, "Connecting to \(state.identity.address)…", now: now, in: .server)
            return []
        case .connected:
            state.phase = .registering
            state.registered = false
            state.offeredCaps = [:]
            state.enabledCaps = []
            state.capListing = true
            state.isupport = ISupport()
            state.batches = [:]
            state.batchTargets = [:]
            state.resendAfterHistory = []
            state.nick = state.identity.nick
            state.sasl = .idle
            state.loginAccount = nil
            state.account = nil
            state.registeringPassword = nil
            var effects: [Effect] = [.send(IRCMessage("CAP", "LS", "302"))]
            if let password = state.identity.password { effects.append(.send(IRCMessage("PASS", password))) }
            effects.append(.send(IRCMessage("NICK", state.nick)))
            effects.append(.send(IRCMessage("USER", state.identity.user, "0", "*", state.identity.realname)))
            return effects
        case .message(let message):
            return handleMessage(&state, message, now: now)
        case .unreadable(let reason):
            info(&state, "Ignored a line from the server: \(reason)", now: now, in: .server)
            return []
        case .disconnected(let reason, let retryAt):
            let wasRegistered = state.registered
            state.registered = false
            state.lag = nil
            state.lagProbe = nil
            state.isonDue = nil
            if state.phase == .quitting { return [] }
            state.phase = .waiting(retryAt: retryAt, reason: reason)
            // Rooms stay listed and come back after the reconnect; members will be re-sent.
            for id in state.conversations.keys where id.kind == .room {
                state.conversations[id]?.members = [:]
            }
            // Requests in flight died with the connection.
            for id in state.conversations.keys where state.conversations[id]?.loadingOlder == true {
                state.conversations[id]?.loadingOlder = false
            }
            state.presence = [:]
            let seconds = max(0, (retryAt - now + 999) / 1000)
            let text = "Disconnected: \(reason). Reconnecting in \(seconds) s."
            info(&state, text, now: now, in: .server)
            if wasRegistered, state.current != .server { info(&state, text, now: now) }
            return []
        }
    }

    // MARK: - Capabilities

    static func handleCap(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 3 else { return [] }
        let subcommand = message.params[1].uppercased()
        let more = message.params.count >= 4 && message.params[2] == "*"
        let list = message.params.last ?? ""
        let items = list.split(separator: " ").map(String.init)
        switch subcommand {
        case "LS", "NEW":
            for item in items {
                if let equals = item.firstIndex(of: "=") {
                    state.offeredCaps[String(item[..<equals])] = String(item[item.index(after: equals)...])
                } else {
                    state.offeredCaps[item] = ""
                }
            }
            if subcommand == "LS" && more { return [] }
            let wanted = wantedCaps.filter { state.offeredCaps[$0] != nil && !state.enabledCaps.contains($0) }
            let wasListing = state.capListing
            state.capListing = false
            if wanted.isEmpty {
                return wasListing && !state.registered ? [.send(IRCMessage("CAP", "END"))] : []
            }
            return requestCaps(wanted)
        case "ACK":
            for item in items {
                if item.hasPrefix("-") { state.enabledCaps.remove(String(item.dropFirst())) } else { state.enabledCaps.insert(item) }
            }
            if state.registered || state.sasl != .idle { return [] }
            return startSASLIfPossible(&state) ?? [.send(IRCMessage("CAP", "END"))]
        case "NAK":
            if state.sasl != .idle { return [] }
            return state.registered ? [] : [.send(IRCMessage("CAP", "END"))]
        case "DEL":
            for item in items {
                state.enabledCaps.remove(item)
                state.offeredCaps[item] = nil
            }
            return []
        default:
            return []
        }
    }

    /// CAP REQ lines, each short enough for the server's limit.
    private static func requestCaps(_ caps: [String]) -> [Effect] {
        var effects: [Effect] = []
        var line = ""
        for cap in caps {
            if line.utf8.count + cap.utf8.count + 1 > 400 {
                effects.append(.send(IRCMessage("CAP", "REQ", line)))
                line = ""
            }
            line += line.isEmpty ? cap : " " + cap
        }
        if !line.isEmpty { effects.append(.send(IRCMessage("CAP", "REQ", line))) }
        return effects
    }

    // MARK: - Registration

    static func welcome(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        state.registered = true
        state.phase = .connected
        if let me = message.param(0) { state.nick = me }
        info(&state, message.params.dropFirst().joined(separator: " "), now: now, in: .server)
        var effects: [Effect] = []
        let rooms = state.conversations.values.filter { $0.id.kind == .room && $0.joined }.map(\.name).sorted()
        for room in rooms {
            state.conversations[state.conversationID(for: room)]?.joined = false
            state.switchOnJoin.remove(state.fold(room))
            effects.append(.send(IRCMessage("JOIN", room)))
        }
        effects += startLagProbe(&state, now: now)
        // A password typed at the prompt while registration was still under way logs in now.
        if state.account == nil, state.sasl == .idle, let password = state.identity.password,
           state.hasCap(IRCCapability.sasl), offersPlain(state), !state.isMe(state.identity.nick) {
            effects += logIn(&state, account: state.identity.nick, password: password, now: now)
        }
        return effects
    }

    /// After the 005 burst ends (the MOTD follows it): presence watching and pending lines.
    static func afterISupport(_ state: inout AppState, now: Int64) -> [Effect] {
        var effects = resendPending(&state)
        effects += catchUp(&state, now: now)
        if needsPresenceWatch(state) {
            let partners = state.conversations.values.filter { $0.id.kind == .direct }.map(\.name)
            effects += watchPresence(&state, nicks: partners)
        }
        return effects
    }

    static func nickRejected(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        let tried = message.param(1) ?? state.nick
        let reason = message.params.last ?? "rejected"
        // A nick that belongs to an account: ask for its password (never when one was just refused).
        let askPassword = message.command == IRCNumeric.nicknameInUse && saysRegistered(reason)
            && state.identity.password == nil && state.account == nil && state.passwordPrompt == nil
            && IRCNames.isValidNick(tried, maxLength: 64)
        if askPassword {
            state.passwordPrompt = PasswordPrompt(purpose: .login(account: tried))
        }
        guard !state.registered else {
            error(&state, "Cannot use \(tried): \(reason)", now: now)
            return []
        }
        var next = fallbackNick(state, for: tried, now: now)
        if message.command == IRCNumeric.erroneousNickname {
            next = "chat" + String(now % 100_000)
        }
        state.nick = next
        info(&state, "The nick \(tried) is taken (\(reason)); trying \(next).", now: now, in: .server)
        if state.current != .server { info(&state, "The nick \(tried) is taken; trying \(next).", now: now) }
        if askPassword {
            info(&state, "\(tried) is a registered account: type its password to log in, or Esc to stay \(next).", now: now)
        }
        return [.send(IRCMessage("NICK", next))]
    }

    // MARK: - Lag

    /// Sends a PING whose PONG measures the round trip. Probes ride on traffic that happens
    /// anyway (registration, the server's own PINGs), so an idle client sets no timer.
    static func startLagProbe(_ state: inout AppState, now: Int64) -> [Effect] {
        guard state.registered, state.lagProbe == nil else { return [] }
        let token = "lag\(now)"
        state.lagProbe = LagProbe(token: token, sentAt: now)
        return [.send(IRCMessage("PING", token))]
    }

    static func handlePong(_ state: inout AppState, _ message: IRCMessage, now: Int64) {
        guard let probe = state.lagProbe, message.params.last == probe.token else { return }
        state.lag = Int(now - probe.sentAt)
        state.lagProbe = nil
    }

    // MARK: - Presence without the roster capability

    /// True when DM partners' presence must be watched by MONITOR or ISON.
    static func needsPresenceWatch(_ state: AppState) -> Bool {
        state.registered && !state.hasCap(IRCCapability.roster)
    }

    /// Starts watching `nicks`: MONITOR when offered, else schedules an ISON poll.
    @discardableResult
    static func watchPresence(_ state: inout AppState, nicks: [String]) -> [Effect] {
        guard needsPresenceWatch(state), !nicks.isEmpty else { return [] }
        if state.isupport.monitorLimit != nil {
            return nicks.sorted().chunked(by: 400).map { .send(IRCMessage("MONITOR", "+", $0)) }
        }
        if state.isonDue == nil { state.isonDue = 0 }
        return []
    }

    /// One ISON round for every DM partner; the next is due in 30 s. This is the only
    /// periodic wake-up the client has, and only against servers without MONITOR.
    static func pollISON(_ state: inout AppState, now: Int64) -> [Effect] {
        let partners = state.conversations.values.filter { $0.id.kind == .direct }.map(\.name).sorted()
        guard !partners.isEmpty else {
            state.isonDue = nil
            return []
        }
        state.isonDue = now + 30_000
        state.isonAsked = partners
        return partners.chunked(by: 400, separator: " ").map { .send(IRCMessage("ISON", $0)) }
    }

    static func handleISON(_ state: inout AppState, _ message: IRCMessage) {
        let online = Set((message.params.last ?? "").split(separator: " ").map { state.fold(String($0)) })
        for nick in state.isonAsked {
            let key = state.fold(nick)
            state.presence[key] = online.contains(key) ? nick : nil
        }
    }
}

extension Array where Element == String {
    /// Joins the strings with `separator` into pieces of at most `limit` bytes.
    func chunked(by limit: Int, separator: String = ",") -> [String] {
        var pieces: [String] = []
        var current = ""
        for item in self {
            if !current.isEmpty, current.utf8.count + item.utf8.count + 1 > limit {
                pieces.append(current)
                current = ""
            }
            current += current.isEmpty ? item : separator + item
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
