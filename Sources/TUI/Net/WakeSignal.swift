import CSupport
import Glibc

/// An eventfd one thread writes to wake another thread's `poll`.
public struct WakeSignal: Sendable {
    /// The descriptor to poll for POLLIN.
    public let fd: Int32

    /// Creates a non-blocking, close-on-exec eventfd.
    public init() throws(WakeSignalError) {
        let fd = chat_eventfd()
        guard fd >= 0 else { throw WakeSignalError(errno: chat_errno()) }
        self.fd = fd
    }

    /// Wakes the poller; safe from any thread and from a signal handler.
    public func signal() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(fd, $0.baseAddress, 8) }
    }

    /// Resets the counter after a wake-up.
    public func clear() {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { read(fd, $0.baseAddress, 8) }
    }
}

/// eventfd could not be created.
public struct WakeSignalError: Error, CustomStringConvertible {
    public let errno: Int32
    public var description: String { "eventfd: " + String(cString: strerror(errno)) }
}
