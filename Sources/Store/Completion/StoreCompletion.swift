/// A finished request, drained by the server loop with `ChatStore.drainCompletions()`.
public struct StoreCompletion: Sendable, Equatable {
    /// The ticket returned when the request was made.
    public let ticket: StoreTicket
    /// The outcome.
    public let result: StoreResult

    /// Pairs a ticket with its outcome.
    public init(ticket: StoreTicket, result: StoreResult) {
        self.ticket = ticket
        self.result = result
    }
}
