import Synchronization

/// How far the slowest receiver of each worker has got, so the room's one sender can keep a
/// bounded window of messages in flight across threads.
final class FanOutProgress: Sendable {
    private let slowest: [Counter]
    private let senderWaiting = Atomic<Bool>(false)

    /// Creates one slot per worker; a worker without receivers reports `Int.max`.
    init(workers: Int) {
        slowest = (0..<workers).map { _ in Counter() }
    }

    /// Publishes the fewest messages any receiver of `worker` has had; wakes the sender if it waits.
    func publish(worker: Int, slowest value: Int, coordinator: Coordinator) {
        slowest[worker].value.store(value, ordering: .releasing)
        if senderWaiting.exchange(false, ordering: .acquiringAndReleasing) { coordinator.wake(0) }
    }

    /// The fewest messages any receiver on any worker has had.
    var slowestOverall: Int {
        slowest.reduce(Int.max) { min($0, $1.value.load(ordering: .acquiring)) }
    }

    /// The sender found its window full and sleeps until a receiver makes progress.
    func senderIsWaiting() { senderWaiting.store(true, ordering: .releasing) }

    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }
}
