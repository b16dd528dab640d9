import Synchronization

/// Finished requests waiting for the server loop; workers append, the loop swaps the array out.
final class CompletionQueue: Sendable {
    private let pending = Mutex<[StoreCompletion]>([])
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    /// Queues completions and wakes the loop once for all of them.
    func publish(_ completions: [StoreCompletion]) {
        guard !completions.isEmpty else { return }
        pending.withLock { $0.append(contentsOf: completions) }
        wake()
    }

    func publish(_ completion: StoreCompletion) {
        publish([completion])
    }

    /// Everything finished so far, in completion order; never blocks on I/O.
    func drain() -> [StoreCompletion] {
        pending.withLock { queue in
            let drained = queue
            queue.removeAll(keepingCapacity: true)
            return drained
        }
    }
}
