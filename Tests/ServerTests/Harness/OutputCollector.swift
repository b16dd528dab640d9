import Foundation
import Synchronization

/// Drains a child's stdout/stderr pipe on its own thread, so the child can never block on a full
/// pipe, and lets a test wait for a line with a deadline.
final class OutputCollector: Sendable {
    private struct State {
        var text = ""
        var finished = false
    }

    private let state = Mutex(State())
    private let changed = DispatchSemaphore(value: 0)

    /// Starts draining `fd` until end of file. The collector owns and closes `fd`.
    init(fd: Int32) {
        let thread = Thread { [self] in drain(fd) }
        thread.name = "output-collector"
        thread.start()
    }

    /// Everything the child has written so far.
    var text: String { state.withLock { $0.text } }

    /// True once the child closed its end (usually: it exited).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Waits until some complete line satisfies `extract`, returning its result; nil at the deadline
    /// or when the output ended without such a line.
    func waitForLine<T>(within seconds: Double, _ extract: (Substring) -> T?) -> T? {
        let deadline = Deadline(seconds: seconds)
        while true {
            let (text, finished) = state.withLock { ($0.text, $0.finished) }
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                if let found = extract(line) { return found }
            }
            if finished || deadline.hasPassed { return nil }
            _ = changed.wait(timeout: .now() + .milliseconds(Int(deadline.remainingMilliseconds)))
        }
    }

    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            let chunk = String(decoding: buffer[0..<count], as: UTF8.self)
            state.withLock { $0.text += chunk }
            changed.signal()
        }
        close(fd)
        state.withLock { $0.finished = true }
        changed.signal()
    }
}
