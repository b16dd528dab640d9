import CSupport
import Glibc

/// An eventfd one thread writes to wake another thread's `poll`.
struct WakeSignal: Sendable {
    /// The descriptor to poll for POLLIN.
    let fd: Int32

    /// Creates a non-blocking, close-on-exec eventfd.
    init() throws(WakeSignalError) {
        let fd = chat_eventfd()
        guard fd >= 0 else { throw WakeSignalError(errno: chat_errno()) }
        self.fd = fd
    }

    /// Wakes the poller; safe from any thread and from a signal handler.
    func signal() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(fd, $0.baseAddress, 8) }
    }

    /// Resets the counter after a wake-up.
    func clear() {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { read(fd, $0.baseAddress, 8) }
    }
}

/// eventfd could not be created.
struct WakeSignalError: Error, CustomStringConvertible {
    let errno: Int32
    var description: String { "eventfd: " + String(cString: strerror(errno)) }
}
