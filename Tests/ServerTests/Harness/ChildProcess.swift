import Foundation
import Glibc

/// Any helper program a test starts (a third-party client, say): killed when the value goes away.
final class ChildProcess {
    /// stdout and stderr, merged.
    let output: OutputCollector
    private let process: Process
    private let exited: DispatchSemaphore

    /// Starts `executable` with `arguments`.
    init(executable: String, arguments: [String]) throws {
        (process, output, exited) = try ServerProcess.spawn(executable: executable, arguments: arguments)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            if exited.wait(timeout: .now() + 2) != .success { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// True while the program runs.
    var isRunning: Bool { process.isRunning }
}
