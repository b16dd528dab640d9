import Foundation
import Glibc

/// A server binary started for one test: it is killed when the value goes away.
final class ServerProcess {
    /// The loopback port the server listens on.
    let port: UInt16
    /// stdout and stderr of the process, merged.
    let output: OutputCollector
    private let process: Process
    private let exited: DispatchSemaphore
    private var exitStatus: Int32?
    /// Clients made through this server live as long as it does, so `_ = server.client(…)` stays online.
    var retainedClients: [TestClient] = []

    private init(process: Process, output: OutputCollector, exited: DispatchSemaphore, port: UInt16) {
        self.process = process
        self.output = output
        self.exited = exited
        self.port = port
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The process id, for signals.
    var pid: Int32 { process.processIdentifier }

    /// Starts `executable` and waits until a line of its output yields the listening port.
    static func launch(
        executable: String, arguments: [String], within seconds: Double = 15,
        port portFromLine: @escaping (Substring) -> UInt16?
    ) throws -> ServerProcess {
        let (process, output, exited) = try spawn(executable: executable, arguments: arguments)
        guard let port = output.waitForLine(within: seconds, portFromLine) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw HarnessError("""
                \(executable) \(arguments.joined(separator: " ")) did not report a listening port within \(seconds)s \
                (exit \(process.terminationStatus)); its output:
                \(output.text)
                """)
        }
        return ServerProcess(process: process, output: output, exited: exited, port: port)
    }

    /// Runs `executable` to completion (for command-line checks) and returns its exit status and output.
    static func run(executable: String, arguments: [String], within seconds: Double = 15) throws -> (status: Int32, output: String) {
        let (process, output, exited) = try spawn(executable: executable, arguments: arguments)
        guard exited.wait(timeout: .now() + seconds) == .success else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw HarnessError("\(executable) \(arguments.joined(separator: " ")) did not exit within \(seconds)s; output:\n\(output.text)")
        }
        _ = output.waitForLine(within: 2) { _ in nil as Int? }
        return (process.terminationStatus, output.text)
    }

    /// Sends `signal` to the server.
    func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit; returns its exit status, or nil if it is still running at the deadline.
    /// A death by signal is reported as 128 + the signal number.
    func waitForExit(within seconds: Double) -> Int32? {
        if let exitStatus { return exitStatus }
        guard exited.wait(timeout: .now() + seconds) == .success else { return nil }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        exitStatus = status
        return status
    }

    /// True while the process runs.
    var isRunning: Bool { process.isRunning }

    /// Starts `executable` with stdout and stderr collected; the caller owns the Process.
    static func spawn(executable: String, arguments: [String]) throws -> (Process, OutputCollector, DispatchSemaphore) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HarnessError("no executable at \(executable)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // The collector owns its own copy of the read end; the Pipe's handles close with it.
        let readEnd = dup(pipe.fileHandleForReading.fileDescriptor)
        try? pipe.fileHandleForWriting.close()
        try? pipe.fileHandleForReading.close()
        return (process, OutputCollector(fd: readEnd), exited)
    }
}
