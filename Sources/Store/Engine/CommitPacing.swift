/// How long the storage thread lets writes gather before its next commit, from the size of the
/// commit it just made.
///
/// Each commit has a cost of its own whatever it holds: the fsync, and a leaf page of
/// `chunk_by_target_max` rewritten per conversation it touches (the index is ordered by
/// conversation, so each conversation's new entry lands on its own page). Under a heavy stream
/// those pages are as many as the messages fill; fewer, larger commits write each once for more
/// messages. A quiet store keeps the short wait, since a client with echo-message waits for the
/// commit of its message: a commit of `writes` messages buys `writes × perWrite` of gathering,
/// never less than `minimum` nor more than `maximum`. Under a stream of R messages a second the
/// wait settles at `minimum / (1 − R × perWrite)` and reaches `maximum` once R × perWrite nears 1.
struct CommitPacing: Sendable {
    /// Nanoseconds between the starts of two commits, at the least.
    let minimum: UInt64
    /// Nanoseconds at the most, however large the last commit was.
    let maximum: UInt64
    /// Nanoseconds of gathering per message of the last commit.
    let perWrite: UInt64

    init(configuration: StoreConfiguration) {
        minimum = Self.nanoseconds(configuration.commitInterval)
        maximum = max(minimum, Self.nanoseconds(configuration.busyCommitInterval))
        perWrite = Self.nanoseconds(configuration.commitGatherPerWrite)
    }

    /// The nanoseconds from the start of the last commit to the start of the next.
    func interval(afterCommitOf writes: Int) -> UInt64 {
        let (scaled, overflow) = UInt64(max(writes, 0)).multipliedReportingOverflow(by: perWrite)
        return min(maximum, max(minimum, overflow ? maximum : scaled))
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt64(min(seconds, 60) * 1e9)
    }
}
