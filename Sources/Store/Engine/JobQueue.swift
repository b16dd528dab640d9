import Dispatch
import Synchronization

/// A queue of jobs for worker threads: producers never block; consumers sleep on a semaphore.
final class JobQueue<Job: Sendable>: Sendable {
    private struct State {
        var jobs: [Job] = []
        var head = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// Queues a job; false when the queue is closed (the job is not taken).
    func push(_ job: Job) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Jobs queued and not yet taken.
    var count: Int {
        state.withLock { $0.jobs.count - $0.head }
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
                let waiting = state.jobs.count - state.head
                if waiting > 0 {
                    let end = state.head + Swift.min(waiting, max)
                    let jobs = Array(state.jobs[state.head..<end])
                    state.head = end
                    if state.head == state.jobs.count {
                        state.jobs.removeAll(keepingCapacity: true)
                        state.head = 0
                    } else if state.head >= 4096, state.head * 2 >= state.jobs.count {
                        // Under a steady backlog the queue never empties: drop the taken prefix.
                        state.jobs.removeFirst(state.head)
                        state.head = 0
                    }
                    return (jobs, false)
                }
                return state.closed ? ([], true) : nil
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
