import Shared

/// The sidebar as a list: what each entry opens and how it looks.
struct SidebarEntry: Equatable, Sendable {
    /// Which section an entry is listed under.
    enum Section: String, Sendable, CaseIterable {
        case server = ""
        case online = "Online"
        case rooms = "Rooms"
        case conversations = "Conversations"
    }

    var section: Section
    /// The conversation it opens (for a user: the DM with them).
    var target: ConversationID
    /// The name shown (a nick keeps the server's spelling).
    var label: String
    var unread: Int
    var isHighlight: Bool
    /// An offline DM partner, or a room we are no longer in.
    var isDimmed: Bool
}

/// One row of the drawn sidebar.
enum SidebarRow: Equatable, Sendable {
    case header(SidebarEntry.Section)
    /// An index into the entry list the rows were made from.
    case entry(Int)
}

/// Builds the sidebar from the state; shared by the renderer and the reducer (Alt-digit,
/// mouse clicks, focus movement), so what is drawn and what a key picks never disagree.
enum Sidebar {
    /// Every entry, unfiltered, in display order: server, Online, Rooms, Conversations.
    static func entries(_ state: AppState) -> [SidebarEntry] {
        var entries: [SidebarEntry] = []
        let server = state.conversations[.server]
        entries.append(SidebarEntry(section: .server, target: .server, label: state.networkName,
                                    unread: server?.unread ?? 0, isHighlight: (server?.highlights ?? 0) > 0,
                                    isDimmed: false))
        for nick in onlineNicks(state) {
            let id = ConversationID(kind: .direct, key: state.fold(nick))
            let dm = state.conversations[id]
            entries.append(SidebarEntry(section: .online, target: id, label: nick, unread: dm?.unread ?? 0,
                                        isHighlight: (dm?.highlights ?? 0) > 0, isDimmed: false))
        }
        for conversation in sortedConversations(state, kind: .room) {
            entries.append(SidebarEntry(section: .rooms, target: conversation.id, label: conversation.name,
                                        unread: conversation.unread, isHighlight: conversation.highlights > 0,
                                        isDimmed: !conversation.joined))
        }
        for conversation in sortedConversations(state, kind: .direct) {
            entries.append(SidebarEntry(section: .conversations, target: conversation.id, label: conversation.name,
                                        unread: conversation.unread, isHighlight: conversation.highlights > 0,
                                        isDimmed: state.presence[conversation.id.key] == nil
                                            && !isInSharedRoom(state, conversation.id.key)))
        }
        return entries
    }

    /// Entries whose label contains `filter` (case-insensitive); the server entry only when it matches.
    static func filtered(_ entries: [SidebarEntry], by filter: String) -> [Int] {
        guard !filter.isEmpty else { return Array(entries.indices) }
        let needle = filter.lowercased()
        return entries.indices.filter { entries[$0].label.lowercased().contains(needle) }
    }

    /// Rows to draw for the entries at `indices`: a header before each non-empty section.
    static func rows(_ entries: [SidebarEntry], indices: [Int]) -> [SidebarRow] {
        var rows: [SidebarRow] = []
        var section: SidebarEntry.Section?
        for index in indices {
            let entry = entries[index]
            if entry.section != section {
                if entry.section != .server { rows.append(.header(entry.section)) }
                section = entry.section
            }
            rows.append(.entry(index))
        }
        return rows
    }

    /// The first row to draw so that row `keep` stays in a window of `height` rows.
    static func scrollOffset(rowCount: Int, keep: Int?, height: Int) -> Int {
        guard rowCount > height, height > 0, let keep else { return 0 }
        return min(max(0, keep - height / 2), rowCount - height)
    }

    /// Conversations in the order Ctrl-N walks them: the sidebar's order, server first.
    static func conversationOrder(_ state: AppState) -> [ConversationID] {
        [.server] + sortedConversations(state, kind: .room).map(\.id) + sortedConversations(state, kind: .direct).map(\.id)
    }

    /// Online nicks sorted case-insensitively, without our own: the roster when the server
    /// keeps one for us, otherwise everyone in our rooms plus DM partners seen online.
    static func onlineNicks(_ state: AppState) -> [String] {
        var online = state.presence
        if !state.hasCap(IRCCapability.roster) {
            for conversation in state.conversations.values where conversation.id.kind == .room && conversation.joined {
                for (key, member) in conversation.members where online[key] == nil { online[key] = member.nick }
            }
        }
        online[state.fold(state.nick)] = nil
        return online.values.sorted { $0.lowercased() < $1.lowercased() }
    }

    private static func isInSharedRoom(_ state: AppState, _ key: String) -> Bool {
        guard !state.hasCap(IRCCapability.roster) else { return false }
        return state.conversations.values.contains { $0.id.kind == .room && $0.joined && $0.members[key] != nil }
    }

    private static func sortedConversations(_ state: AppState, kind: ConversationKind) -> [Conversation] {
        state.conversations.values.filter { $0.id.kind == kind }.sorted { $0.id.key < $1.id.key }
    }
}
