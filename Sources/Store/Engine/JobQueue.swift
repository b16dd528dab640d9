import Dispatch
import Synchronization

/// A queue of jobs for worker threads: producers never block; consumers sleep on a semaphore.
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
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            if state.segments[state.segments.count - 1].count >= segmentCapacity {
                var fresh: [Job] = []
                fresh.reserveCapacity(segmentCapacity)
                state.segments.append(fresh)
            }
            state.segments[state.segments.count - 1].append(job)
            state.count += 1
            return true
        }
        if accepted { available.signal() }
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
                guard state.count > 0 else { return state.closed ? ([], true) : nil }
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
                if available.wait(timeout: .now() + timeout) == .timedOut { return ([], false) }
            } else {
                available.wait()
            }
        }
    }
}
