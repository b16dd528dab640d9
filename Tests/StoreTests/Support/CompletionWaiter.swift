import ChatStore
import Dispatch
import Synchronization

/// Collects a store's completions, woken by its wake callback, and notices any ticket that
/// completes twice.
final class CompletionWaiter: Sendable {
    private let signal = DispatchSemaphore(value: 0)
    private let wakes = Atomic<Int>(0)
    private let received = Mutex<[StoreTicket: StoreResult]>([:])
    private let duplicates = Mutex<[StoreTicket]>([])

    /// The wake callback to give the store.
    var wake: @Sendable () -> Void {
        { [self] in
            wakes.add(1, ordering: .relaxed)
            signal.signal()
        }
    }

    /// How many times the store woke us.
    var wakeCount: Int { wakes.load(ordering: .relaxed) }

    /// Tickets that completed more than once.
    var duplicateTickets: [StoreTicket] { duplicates.withLock { $0 } }

    /// Drains `store` until every ticket has completed or the deadline passes; returns what came.
    func wait(for tickets: [StoreTicket], on store: ChatStore, seconds: Double = 30) -> [StoreTicket: StoreResult] {
        let deadline = DispatchTime.now() + seconds
        while true {
            absorb(store.drainCompletions())
            let done = received.withLock { received in tickets.allSatisfy { received[$0] != nil } }
            if done || DispatchTime.now() >= deadline { break }
            _ = signal.wait(timeout: min(deadline, .now() + 0.5))
        }
        return received.withLock { received in
            var answer: [StoreTicket: StoreResult] = [:]
            for ticket in tickets { answer[ticket] = received[ticket] }
            return answer
        }
    }

    /// The result of one ticket, or nil after the deadline.
    func result(of ticket: StoreTicket, on store: ChatStore, seconds: Double = 30) -> StoreResult? {
        wait(for: [ticket], on: store, seconds: seconds)[ticket]
    }

    /// Takes completions drained elsewhere (after `close()`).
    func absorb(_ completions: [StoreCompletion]) {
        received.withLock { received in
            for completion in completions {
                if received[completion.ticket] != nil {
                    duplicates.withLock { $0.append(completion.ticket) }
                }
                received[completion.ticket] = completion.result
            }
        }
    }

    /// Every completion absorbed so far.
    var all: [StoreTicket: StoreResult] { received.withLock { $0 } }
}
