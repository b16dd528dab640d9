/// `CHATHISTORY TARGETS from to limit` on behalf of one client.
public struct TargetsRequest: Hashable, Sendable {
    /// Who asks; its direct conversations are found through this party.
    public var requester: HistoryParty
    /// The rooms the requester may see (the server passes its current memberships).
    public var rooms: [String]
    /// The first bound, milliseconds since the epoch, exclusive.
    public var fromMs: Int64
    /// The second bound, exclusive; may be earlier than `fromMs`.
    public var toMs: Int64
    /// At most this many targets, counted from the `fromMs` side.
    public var limit: Int
    /// For a guest requester: direct messages before this time stay hidden, so a guest who takes a
    /// nick someone used earlier cannot read that person's conversations. Rooms are not affected.
    public var directVisibleFromMs: Int64?

    /// Creates a request.
    public init(requester: HistoryParty, rooms: [String], fromMs: Int64, toMs: Int64, limit: Int) {
        self.requester = requester
        self.rooms = rooms
        self.fromMs = fromMs
        self.toMs = toMs
        self.limit = limit
    }
}
