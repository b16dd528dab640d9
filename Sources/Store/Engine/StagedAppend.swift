/// A message handed to ``ChatStore/stageAppend(_:routeHint:)``: it reaches the storage thread
/// with the rest of its loop turn, and its commit is confirmed with theirs.
struct StagedAppend: Sendable {
    let ticket: StoreTicket
    /// The caller's cheap name for the message's route (sender and destination), so the storage
    /// thread finds the conversation without hashing strings; 0 when the caller has none.
    let routeHint: UInt64
    let message: NewMessage
}
