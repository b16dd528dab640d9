/// One staged message of a ``StagedRun``: plain values only, so staging it and reading it on
/// the storage thread retain nothing.
///
/// A direct message staged from its bytes (``ChatStore/stageDirect(_:)``) keeps its msgid and
/// text in the run's byte arena and names its sender and destination by a row of the run's
/// route table; a ``NewMessage`` staged whole is named by its index in the run's messages.
struct StagedRecord: Sendable {
    let ticket: StoreTicket
    /// The caller's cheap name for the message's route; 0 when the caller has none.
    let routeHint: UInt64
    let timeMs: Int64
    /// The row of ``StagedRun/routes``, or of ``StagedRun/messages`` when `isMessage`.
    let index: Int32
    let isMessage: Bool
    let msgidStart: Int32
    let msgidCount: Int32
    let textStart: Int32
    let textCount: Int32
}
