import Glibc

/// A plain pthread running one worker's loop. The generator wants one OS thread per poll loop,
/// pinned to nothing and free of any executor, so it uses pthreads directly.
struct WorkerThread {
    private let handle: pthread_t

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, workerThreadEntry, box)
        precondition(status == 0, "pthread_create failed: \(status)")
        handle = thread
    }

    /// Waits for the thread to end.
    func join() {
        pthread_join(handle, nil)
    }
}

private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private func workerThreadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    let body = Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue()
    body.body()
    return nil
}
