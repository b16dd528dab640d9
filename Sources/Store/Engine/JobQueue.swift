import Dispatch
import Synchronization

/// A queue of jobs for worker threads: producers never block; consumers sleep on a semaphore,
/// which a push signals only when a consumer is asleep on it (a signal per job would leave the
/// storage thread one empty wake-up per message it had already taken in a batch).
///
/// Jobs are kept in segments of at most `segmentCapacity`. A consumer that takes a whole
/// segment gets its array as it is, moved out without copying a job: the storage thread takes
/// thousands of appends per batch, and copying each one (a message holds a dozen strings) cost
/// as much as encoding it.
final class JobQueue<Job: Sendable>: Sendable {
    private struct State {
        var segments: [[Job]] = [[]]
        /// Jobs of the first segment already handed out (by takes smaller than a segment).
        var head = 0
        var count = 0
        var closed = false
        /// Consumers that found nothing and are (about to be) waiting on the semaphore.
        var waiting = 0
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let segmentCapacity: Int

    /// - Parameter segmentCapacity: the batch size the consumer takes; takes of that size or
    ///   more move whole segments.
    init(segmentCapacity: Int = 4096) {
        self.segmentCapacity = max(segmentCapacity, 1)
    }

    /// Queues a job; false when the queue is closed (the job is not taken).
    func push(_ job: Job) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (false, false) }
            if state.segments[state.segments.count - 1].count >= segmentCapacity {
                var fresh: [Job] = []
                fresh.reserveCapacity(segmentCapacity)
                state.segments.append(fresh)
            }
            state.segments[state.segments.count - 1].append(job)
            state.count += 1
            guard state.waiting > 0 else { return (true, false) }
            state.waiting -= 1
            return (true, true)
        }
        if wake { available.signal() }
        return accepted
    }

    /// Jobs queued and not yet taken.
    var count: Int {
        state.withLock { $0.count }
    }

    /// Refuses new jobs and wakes every consumer; queued jobs are still handed out.
    func close(consumers: Int) {
        state.withLock { $0.closed = true }
        for _ in 0..<consumers { available.signal() }
    }

    /// Up to `max` jobs in order, waiting for at least one for up to `timeout` seconds (nil:
    /// forever). Returns `finished` true once the queue is closed and empty.
    func take(max: Int, timeout: Double? = nil) -> (jobs: [Job], finished: Bool) {
        while true {
            let batch = state.withLock { state -> (jobs: [Job], finished: Bool)? in
                guard state.count > 0 else {
                    if state.closed { return ([], true) }
                    // Registered under the lock, so a push after it always signals: no lost wake-up.
                    state.waiting += 1
                    return nil
                }
                let first = state.segments[0].count - state.head
                let jobs: [Job]
                if state.head == 0, first <= max {
                    jobs = state.segments.removeFirst()
                    if state.segments.isEmpty { state.segments.append([]) }
                } else {
                    let end = state.head + Swift.min(first, max)
                    jobs = Array(state.segments[0][state.head..<end])
                    state.head = end
                    if end == state.segments[0].count {
                        state.head = 0
                        if state.segments.count > 1 {
                            state.segments.removeFirst()
                        } else {
                            state.segments[0].removeAll(keepingCapacity: true)
                        }
                    }
                }
                state.count -= jobs.count
                return (jobs, false)
            }
            if let batch { return batch }
            if let timeout {
                if available.wait(timeout: .now() + timeout) == .timedOut {
                    // No push claimed this wait; if one did meanwhile, its signal only makes the
                    // next wait return at once.
                    state.withLock { state in if state.waiting > 0 { state.waiting -= 1 } }
                    return ([], false)
                }
            } else {
                available.wait()
            }
        }
    }
}
