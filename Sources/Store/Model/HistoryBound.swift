/// A point in a conversation's history, as CHATHISTORY names one: `timestamp=` or `msgid=`.
public enum HistoryBound: Hashable, Sendable {
    /// Milliseconds since the Unix epoch.
    case timestamp(Int64)
    /// A stored message's `msgid`. A msgid that is not in the conversation yields an empty page.
    case msgid(String)
}
