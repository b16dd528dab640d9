import Dispatch
import Glibc
import CSupport
import Synchronization

/// The steps every scenario goes through, in order.
enum Phase: Int, Sendable {
    /// Connect, register, join: everything that is not measured.
    case setup = 0
    /// The measured work.
    case run = 1
    /// Close every connection and hand in results.
    case finish = 2
}

/// Moves the worker threads through the phases together and collects their failures.
///
/// Workers run their own poll loops; the coordinator wakes them through one eventfd each when
/// the phase changes, and they report back through a semaphore, so nobody sleeps on a timer to
/// find out that something happened.
final class Coordinator: Sendable {
    private let phaseValue = Atomic<Int>(Phase.setup.rawValue)
    private let abortedValue = Atomic<Bool>(false)
    private let failures = Mutex<[String]>([])
    private let arrivals = DispatchSemaphore(value: 0)
    /// One eventfd per worker; writing to it makes that worker's poll return.
    let wakeDescriptors: [Int32]

    /// Creates a coordinator for `workers` threads.
    init(workers: Int) {
        wakeDescriptors = (0..<workers).map { _ in chat_eventfd() }
    }

    deinit {
        for fd in wakeDescriptors { close(fd) }
    }

    /// The phase the workers should be in.
    var phase: Phase { Phase(rawValue: phaseValue.load(ordering: .acquiring)) ?? .finish }

    /// True once anything failed; every worker stops.
    var isAborted: Bool { abortedValue.load(ordering: .relaxed) }

    /// Every failure reported, first one first.
    var failureMessages: [String] { failures.withLock { $0 } }

    /// Moves every worker to `phase`.
    func advance(to phase: Phase) {
        phaseValue.store(phase.rawValue, ordering: .releasing)
        wakeAll()
    }

    /// Wakes worker `index` (used between workers, e.g. when a slow receiver catches up).
    func wake(_ index: Int) {
        var one: UInt64 = 1
        _ = write(wakeDescriptors[index], &one, 8)
    }

    /// A worker finished what the current phase asks of it.
    func reportReached() {
        arrivals.signal()
    }

    /// Waits (up to `seconds`) until `collector` holds `count` results, whatever else was signalled.
    func waitForResults(_ count: Int, in collector: ResultCollector, seconds: Double) -> Bool {
        let deadline = DispatchTime.now() + seconds
        while collector.all.count < count {
            if arrivals.wait(timeout: deadline) == .timedOut { return false }
        }
        return true
    }

    /// Records a failure and stops the run.
    func fail(_ message: String) {
        failures.withLock { $0.append(message) }
        abortedValue.store(true, ordering: .relaxed)
        wakeAll()
        arrivals.signal()
    }

    /// Waits until `count` workers reported (or a failure, or `seconds` passed).
    /// Returns false on failure or timeout; a timeout is recorded as a failure, and also stops
    /// the workers unless `abortOnTimeout` is false (then the caller collects what they saw).
    func waitForWorkers(_ count: Int, seconds: Double, what: String, abortOnTimeout: Bool = true) -> Bool {
        let deadline = DispatchTime.now() + seconds
        var arrived = 0
        while arrived < count {
            if arrivals.wait(timeout: deadline) == .timedOut {
                let message = "timed out after \(Report.format(seconds, decimals: 1)) s waiting for \(what) (\(arrived)/\(count) workers done)"
                if abortOnTimeout { fail(message) } else { failures.withLock { $0.append(message) } }
                return false
            }
            if isAborted { return false }
            arrived += 1
        }
        return !isAborted
    }

    private func wakeAll() {
        for index in wakeDescriptors.indices { wake(index) }
    }
}
