import Shared

/// Catching up through draft/chathistory: after (re)registration each open conversation asks
/// for what came after its newest line, and TARGETS finds DMs we have history with. Lines are
/// de-duplicated by msgid, so asking twice never shows a message twice.
extension Reducer {
    /// How many lines one request asks for (bounded by the server's CHATHISTORY limit).
    static func historyLimit(_ state: AppState) -> Int {
        let advertised = Int(state.isupport["CHATHISTORY"] ?? "") ?? 100
        return max(1, min(advertised == 0 ? 100 : advertised, 100))
    }

    /// The request that fills `id` from its newest line on (or the latest lines when empty).
    static func historyRequest(_ state: AppState, for id: ConversationID) -> [Effect] {
        guard state.hasCap(IRCCapability.chathistory), state.registered, let conversation = state.conversations[id],
              id.kind != .server else { return [] }
        let limit = String(historyLimit(state))
        let newest = conversation.lines.last { $0.msgid != nil }
        if let newest {
            let bound = "timestamp=" + IRCTime.format(millisecondsSince1970: newest.time)
            return [.send(IRCMessage("CHATHISTORY", "AFTER", conversation.name, bound, limit))]
        }
        return [.send(IRCMessage("CHATHISTORY", "LATEST", conversation.name, "*", limit))]
    }

    /// After registration: catch up every DM and list the DMs the server has history for.
    /// Rooms catch up once the server confirms the JOIN (their history is for members).
    static func catchUp(_ state: inout AppState, now: Int64) -> [Effect] {
        guard state.hasCap(IRCCapability.chathistory) else { return [] }
        var effects: [Effect] = []
        for id in Sidebar.conversationOrder(state) where id.kind == .direct {
            state.conversations[id]?.historyRequested = true
            effects += historyRequest(state, for: id)
            effects += readMarkerRequest(state, for: id)
        }
        // Since the newest message held (anything newer is news), or from the start on a fresh
        // start; newest first (bounds from late to early), so a long list keeps the recent ones.
        let newestHeld = state.conversations.values.compactMap { $0.lines.last { $0.msgid != nil }?.time }.max() ?? 0
        effects.append(.send(IRCMessage("CHATHISTORY", "TARGETS",
                                        "timestamp=" + IRCTime.format(millisecondsSince1970: now + 60_000),
                                        "timestamp=" + IRCTime.format(millisecondsSince1970: newestHeld),
                                        String(historyLimit(state)))))
        return effects
    }

    /// `CHATHISTORY TARGETS <name> <time>`: a DM with history becomes a conversation and is fetched.
    static func handleHistoryTarget(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 2, message.params[0].uppercased() == "TARGETS" else { return [] }
        let name = message.params[1]
        let id = state.conversationID(for: name)
        guard id.kind == .direct, !state.isMe(name), state.conversations[id] == nil else { return [] }
        openDirect(&state, nick: name)
        state.conversations[id]?.historyRequested = true
        var effects = historyRequest(state, for: id)
        effects += readMarkerRequest(state, for: id)
        if needsPresenceWatch(state) { effects += watchPresence(&state, nicks: [name]) }
        return effects
    }

    /// A conversation opened on screen with nothing from the server yet loads its latest page once.
    static func loadShownConversation(_ state: inout AppState) -> [Effect] {
        let id = state.current
        guard state.hasCap(IRCCapability.chathistory), state.registered, id.kind == .direct,
              let conversation = state.conversations[id], !conversation.historyRequested,
              !conversation.lines.contains(where: { $0.msgid != nil }) else { return [] }
        state.conversations[id]?.historyRequested = true
        return historyRequest(state, for: id)
    }

    /// Scrolling past the top: the page before the oldest line the server gave us.
    static func loadOlder(_ state: inout AppState) -> [Effect] {
        let id = state.current
        guard state.hasCap(IRCCapability.chathistory), state.registered, id.kind != .server,
              let conversation = state.conversations[id], !conversation.loadingOlder, !conversation.reachedStart,
              let oldest = conversation.lines.first(where: { $0.msgid != nil }) else { return [] }
        state.conversations[id]?.loadingOlder = true
        state.conversations[id]?.oldestBeforeLoad = oldest.time
        return [.send(IRCMessage("CHATHISTORY", "BEFORE", conversation.name,
                                 "timestamp=" + IRCTime.format(millisecondsSince1970: oldest.time), String(historyLimit(state))))]
    }

    /// A history batch for `id` ended: an older page that brought nothing older means the start.
    static func olderPageArrived(_ state: inout AppState, in id: ConversationID) {
        guard state.conversations[id]?.loadingOlder == true else { return }
        state.conversations[id]?.loadingOlder = false
        let oldest = state.conversations[id]?.lines.first(where: { $0.msgid != nil })?.time
        if let before = state.conversations[id]?.oldestBeforeLoad, let oldest, oldest >= before {
            state.conversations[id]?.reachedStart = true
        }
    }
}
