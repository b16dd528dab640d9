/// A history query on behalf of one client.
///
/// The store enforces direct-conversation privacy by construction: a direct query always reads
/// the conversation between `requester` and the named party. Room membership is the server's
/// call, checked before it asks.
public struct HistoryRequest: Hashable, Sendable {
    /// Who asks: the requester's account when logged in, else its nick.
    public var requester: HistoryParty
    /// The room, or the other party of the direct conversation.
    public var conversation: HistoryConversation
    /// The subcommand and its bounds.
    public var query: HistoryQuery
    /// At most this many messages (clamped to 1...`StoreConfiguration.maxQueryLimit`).
    public var limit: Int
    /// For a guest requester: direct messages before this time stay hidden, so a guest who takes a
    /// nick someone used earlier cannot read that person's conversations. Rooms are not affected.
    public var directVisibleFromMs: Int64?

    /// Creates a request.
    public init(requester: HistoryParty, conversation: HistoryConversation, query: HistoryQuery, limit: Int) {
        self.requester = requester
        self.conversation = conversation
        self.query = query
        self.limit = limit
    }
}
