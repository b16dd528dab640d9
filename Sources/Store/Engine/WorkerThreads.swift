import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
            let threadName = count == 1 ? name : "\(name)-\(index)"
            let thread = Thread {
                WorkerThreads.nameKernelThread(threadName)
                body()
                finished.signal()
            }
            thread.name = threadName
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Foundation keeps a thread's name to itself on Linux; the kernel's copy is what
    /// /proc/PID/task/*/comm, top and perf show, so per-thread CPU can be read from outside.
    /// Glibc's pthread_setname_np is hidden behind _GNU_SOURCE; writing the calling thread's
    /// comm file does the same (proc(5)). The kernel keeps 15 bytes.
    private static func nameKernelThread(_ name: String) {
        #if os(Linux)
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        #endif
    }

    /// Blocks until every thread has returned from its body.
    func join() {
        for _ in 0..<count { finished.wait() }
    }
}
