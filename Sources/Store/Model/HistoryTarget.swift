/// One line of a `CHATHISTORY TARGETS` answer.
public struct HistoryTarget: Hashable, Sendable {
    /// The name to show and to query with: the room as last addressed; for a registered
    /// account its account name; for a guest (or a deleted account) the nick as last seen.
    public var name: String
    /// The room or the other party (its name casefolded), to query the conversation with.
    public var conversation: HistoryConversation
    /// The time of the newest message in the conversation within the requested range.
    public var latestTimeMs: Int64

    /// Creates a target line.
    public init(name: String, conversation: HistoryConversation, latestTimeMs: Int64) {
        self.name = name
        self.conversation = conversation
        self.latestTimeMs = latestTimeMs
    }
}
