import Shared

/// Where a message went, or whose history a query reads: a room, or a direct conversation with
/// another party (the other side being the sender on append, the requester on a query).
public enum HistoryConversation: Hashable, Sendable {
    /// A room, by name (`#chat`).
    case room(String)
    /// A direct conversation with this party.
    case direct(HistoryParty)

    /// True for `.room`.
    public var isRoom: Bool {
        if case .room = self { return true }
        return false
    }

    /// The stored key: the casefolded room name, or both party keys sorted and joined by a space.
    func key(between party: HistoryParty, _ mapping: IRCCaseMapping) -> ConversationKey {
        switch self {
        case .room(let name):
            return ConversationKey(key: mapping.fold(name), partyA: nil, partyB: nil, senderKey: party.key(mapping))
        case .direct(let other):
            let mine = party.key(mapping)
            let theirs = other.key(mapping)
            let (first, second) = mine <= theirs ? (mine, theirs) : (theirs, mine)
            return ConversationKey(key: first + " " + second, partyA: first, partyB: second, senderKey: mine)
        }
    }
}

/// The stored identity of a conversation; `partyA` and `partyB` only for direct ones.
struct ConversationKey: Hashable, Sendable {
    let key: String
    let partyA: String?
    let partyB: String?
    /// The key of the party the conversation was seen from (the sender, on append).
    let senderKey: String
}
