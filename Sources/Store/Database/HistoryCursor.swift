/// A position in a conversation's total order (time, then storage sequence). A timestamp bound becomes a
/// cursor that sorts before or after every message of that millisecond, so one comparison
/// serves both bound kinds.
struct HistoryCursor: Comparable, Sendable {
    let timeMs: Int64
    let sequence: Int64

    /// Sorts after every message at `timeMs`: "after timestamp T" excludes T itself.
    static func afterAll(at timeMs: Int64) -> HistoryCursor { HistoryCursor(timeMs: timeMs, sequence: .max) }
    /// Sorts before every message at `timeMs`: "before timestamp T" excludes T itself.
    static func beforeAll(at timeMs: Int64) -> HistoryCursor { HistoryCursor(timeMs: timeMs, sequence: .min) }

    static func < (lhs: HistoryCursor, rhs: HistoryCursor) -> Bool {
        (lhs.timeMs, lhs.sequence) < (rhs.timeMs, rhs.sequence)
    }
}
