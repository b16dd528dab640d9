import Shared

/// The only place the state changes: `reduce(&state, event, now:)` returns the effects to run.
enum Reducer {
    /// Applies one event at time `now` (ms since the epoch) and returns what to do outside.
    static func reduce(_ state: inout AppState, _ event: AppEvent, now: Int64) -> [Effect] {
        switch event {
        case .key(let key):
            return handleKey(&state, key, now: now)
        case .network(let networkEvent):
            return handleNetwork(&state, networkEvent, now: now)
        case .resize(let rows, let columns):
            state.rows = max(rows, 1)
            state.columns = max(columns, 1)
            return []
        case .tick:
            return handleTick(&state, now: now)
        }
    }

    /// The earliest time the loop must wake without input, or nil to sleep until input comes.
    static func nextDeadline(_ state: AppState, now: Int64) -> Int64? {
        var deadline: Int64?
        if case .waiting(let retryAt, _) = state.phase, retryAt > now {
            // Redraw the "reconnecting in N s" countdown at each whole second.
            let remaining = retryAt - now
            deadline = now + (remaining % 1000 == 0 ? 1000 : remaining % 1000)
        }
        if let due = state.isonDue, state.registered {
            deadline = min(deadline ?? due, due)
        }
        return deadline
    }

    /// After each batch of events (one wake-up of the loop): what follows from what is now on
    /// screen, done once per batch rather than once per event.
    static func settle(_ state: inout AppState) -> [Effect] {
        loadShownConversation(&state) + markShownAsRead(&state)
    }

    static func handleTick(_ state: inout AppState, now: Int64) -> [Effect] {
        guard let due = state.isonDue, due <= now, state.registered else { return [] }
        return pollISON(&state, now: now)
    }

    // MARK: - Switching

    /// Shows `id`: what was unread there is now read; the conversation left loses its
    /// "new messages" line because its lines have now been seen.
    static func switchTo(_ state: inout AppState, _ id: ConversationID) {
        guard state.conversations[id] != nil else { return }
        if state.current != id {
            state.conversations[state.current]?.firstUnread = nil
            state.current = id
        }
        state.conversations[id]?.unread = 0
        state.conversations[id]?.highlights = 0
    }

    /// Opens (creating if needed) the DM with `nick` and returns its ID.
    @discardableResult
    static func openDirect(_ state: inout AppState, nick: String) -> ConversationID {
        let id = ConversationID(kind: .direct, key: state.fold(nick))
        if state.conversations[id] == nil {
            state.conversations[id] = Conversation(id: id, name: nick)
        }
        return id
    }

    /// Moves `step` places along the conversation order (wrapping).
    static func cycle(_ state: inout AppState, step: Int) {
        let order = Sidebar.conversationOrder(state)
        guard !order.isEmpty else { return }
        let index = order.firstIndex(of: state.current) ?? 0
        let next = (index + step + order.count) % order.count
        switchTo(&state, order[next])
    }

    /// Alt-A: the next conversation after the current one with highlights, else with unread.
    static func jumpToActivity(_ state: inout AppState) {
        let order = Sidebar.conversationOrder(state)
        let start = order.firstIndex(of: state.current) ?? 0
        let rotated = (1...order.count).map { order[(start + $0) % order.count] }
        if let target = rotated.first(where: { (state.conversations[$0]?.highlights ?? 0) > 0 })
            ?? rotated.first(where: { (state.conversations[$0]?.unread ?? 0) > 0 }) {
            switchTo(&state, target)
        }
    }

    /// Opens what a sidebar entry points at (a user's entry opens the DM with them).
    static func open(_ state: inout AppState, entry: SidebarEntry) {
        if entry.target.kind == .direct {
            openDirect(&state, nick: entry.label)
            if needsPresenceWatch(state) { watchPresence(&state, nicks: [entry.label]) }
        }
        switchTo(&state, entry.target)
    }

    // MARK: - Lines

    /// Adds a line to `id` and keeps the unread counts; returns false for a duplicate msgid.
    /// Mutates the conversation in place: a copy of a 100,000-line conversation per message
    /// would make receiving quadratic.
    @discardableResult
    static func add(_ state: inout AppState, _ line: ChatLine, to id: ConversationID, name: String) -> Bool {
        if state.conversations[id] == nil {
            state.conversations[id] = Conversation(id: id, name: name)
        }
        let isShown = id == state.current
        let senderKey = line.sender.map { state.fold($0) }
        let scrolled = (state.conversations[id]?.scrollRows ?? 0) > 0
        // Keep the rows on screen still while the user reads back.
        let extraRows = scrolled && isShown
            ? MessageRows.rowCount(line, width: Layout(state: state).paneWidth, utcOffset: state.utcOffset) : 0
        return state.conversations[id]?.receive(line, isShown: isShown, senderKey: senderKey, extraScrollRows: extraRows) ?? false
    }

    /// A local information line in `id` (default: the conversation shown).
    static func info(_ state: inout AppState, _ text: String, now: Int64, in id: ConversationID? = nil) {
        let target = id ?? state.current
        add(&state, ChatLine(kind: .info, time: now, text: text), to: target,
            name: state.conversations[target]?.name ?? "server")
    }

    /// A local error line in the conversation shown.
    static func error(_ state: inout AppState, _ text: String, now: Int64) {
        add(&state, ChatLine(kind: .error, time: now, text: text), to: state.current,
            name: state.currentConversation.name)
    }

    /// A fresh label for a labeled-response request.
    static func takeLabel(_ state: inout AppState) -> String {
        defer { state.nextLabel += 1 }
        return "c\(state.nextLabel)"
    }
}
