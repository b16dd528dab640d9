import Glibc

/// Waits for changes in one directory through inotify, so a test can wait for a file to appear,
/// be opened or grow without sleeping.
final class DirectoryWatcher {
    private let fd: Int32
    let path: String

    /// Watches `path` (which must exist) for files created, opened, written or moved in.
    init(_ path: String) throws {
        self.path = path
        fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw HarnessError("inotify_init1 failed, errno \(errno)") }
        let mask = UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_OPEN)
        guard inotify_add_watch(fd, path, mask) >= 0 else {
            close(fd)
            throw HarnessError("inotify_add_watch \(path) failed, errno \(errno)")
        }
    }

    deinit {
        close(fd)
    }

    /// Re-checks `condition` after every change in the directory until it holds; false at the deadline.
    func wait(within seconds: Double, until condition: () -> Bool) -> Bool {
        let deadline = Deadline(seconds: seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if condition() { return true }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, deadline.remainingMilliseconds)
            if ready > 0 {
                _ = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            } else if ready == 0 || deadline.hasPassed {
                return condition()
            }
        }
    }
}
