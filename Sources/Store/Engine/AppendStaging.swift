/// The appends of the current loop turn, not yet handed to the storage thread.
///
/// The loop stages each accepted message here (under a lock only the staging side takes, so it
/// is never contended by the storage thread) and hands the whole array over once per turn: one
/// lock on the writer's queue and one move, where a push per message cost a contended lock
/// and a copy of every message.
struct AppendStaging: Sendable {
    var entries: [StagedAppend] = []
    /// Set by `ChatStore.close()`: later appends fail at once rather than wait for a hand-off
    /// that will never come.
    var closed = false

    /// Everything staged, leaving an empty array with room for a turn like the last one.
    mutating func takeRun() -> [StagedAppend] {
        var run: [StagedAppend] = []
        run.reserveCapacity(max(entries.count, 16))
        swap(&run, &entries)
        return run
    }
}
