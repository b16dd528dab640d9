import Dispatch
import Foundation

/// Starts named threads and waits for them to end: Foundation's `Thread` has no join.
struct WorkerThreads: Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// How many threads were started.
    let count: Int

    /// Starts `count` threads running `body`.
    init(name: String, count: Int, body: @escaping @Sendable () -> Void) {
        self.count = count
        for index in 0..<count {
            let finished = self.finished
            let thread = Thread {
                body()
                finished.signal()
            }
            thread.name = count == 1 ? name : "\(name)-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Blocks until every thread has returned from its body.
    func join() {
        for _ in 0..<count { finished.wait() }
    }
}
