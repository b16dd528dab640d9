/// The CHATHISTORY subcommands that return messages, with the draft/chathistory edges:
/// every bound is exclusive except AROUND's centre, and results are in ascending order
/// of (time, storage sequence), so equal timestamps still page without gaps or repeats.
public enum HistoryQuery: Hashable, Sendable {
    /// `LATEST *` (nil) or `LATEST bound`: the newest messages, only those after the bound.
    case latest(after: HistoryBound?)
    /// `BEFORE bound`: the newest messages strictly before the bound.
    case before(HistoryBound)
    /// `AFTER bound`: the oldest messages strictly after the bound.
    case after(HistoryBound)
    /// `AROUND bound`: about half before the bound, the rest from it on (a msgid bound's own
    /// message included); a short side leaves its room to the other.
    case around(HistoryBound)
    /// `BETWEEN first second`: messages strictly between the two, either order. The page starts
    /// at `first`: when `first` is the later bound, the newest messages before it are returned.
    case between(HistoryBound, HistoryBound)
}
