import Shared

/// draft/read-marker: the server keeps, per account and target, the time of the newest
/// message read. Every session of the account hears when it moves, so unread counts and the
/// "new messages" line agree everywhere.
extension Reducer {
    /// True when read markers can be used: the capability, and an account to keep them.
    static func tracksReadMarkers(_ state: AppState) -> Bool {
        state.registered && state.account != nil && state.hasCap(IRCCapability.readMarker)
    }

    /// `MARKREAD <target>`: asks for a DM's marker (rooms get theirs on JOIN).
    static func readMarkerRequest(_ state: AppState, for id: ConversationID) -> [Effect] {
        guard tracksReadMarkers(state), id.kind == .direct, let name = state.conversations[id]?.name else { return [] }
        return [.send(IRCMessage("MARKREAD", name))]
    }

    /// `MARKREAD <target> timestamp=…|*`: another session (or our own request) says how far
    /// the account has read; the counts follow.
    static func handleMarkRead(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard message.params.count >= 2 else { return [] }
        let id = state.conversationID(for: message.params[0])
        guard state.conversations[id] != nil else { return [] }
        let known = state.conversations[id]?.readMarker
        let value = message.params[1]
        let marker: Int64?
        if value == "*" {
            marker = nil
        } else if value.hasPrefix("timestamp="), let time = IRCTime.parse(String(value.dropFirst("timestamp=".count))) {
            marker = time
        } else {
            return []
        }
        // Markers only move forward; a late answer never undoes a newer one.
        if let marker { state.conversations[id]?.readMarker = max(known ?? marker, marker) }
        state.conversations[id]?.readMarkerKnown = true
        state.conversations[id]?.applyReadMarker(isShown: id == state.current)
        return []
    }

    /// A history batch for `id` has ended: history older than the marker is read, newer is not.
    static func historyArrived(_ state: inout AppState, in id: ConversationID) {
        guard state.conversations[id]?.readMarkerKnown == true else { return }
        state.conversations[id]?.applyReadMarker(isShown: id == state.current)
    }

    /// The conversation on screen has been seen up to its newest confirmed message: move the
    /// marker there once per batch of events (not once per message), unless the user is
    /// reading back with the newest lines off screen.
    static func markShownAsRead(_ state: inout AppState) -> [Effect] {
        guard tracksReadMarkers(state), state.current.kind != .server, state.passwordPrompt == nil,
              let conversation = state.conversations[state.current], conversation.scrollRows == 0,
              let newest = conversation.lines.last(where: { $0.msgid != nil && !$0.isPending })?.time,
              newest > (conversation.readMarker ?? Int64.min) else { return [] }
        state.conversations[state.current]?.readMarker = newest
        return [.send(IRCMessage("MARKREAD", conversation.name,
                                 "timestamp=" + IRCTime.format(millisecondsSince1970: newest)))]
    }
}
