import Foundation
import Glibc

/// A throwaway folder for one test's database files, removed when the value goes away.
final class TemporaryFolder {
    let path: String

    init(_ prefix: String = "chat-hist") throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the folder.
    func file(_ name: String) -> String { path + "/" + name }
}

/// What a finished `chat-server` command-line run left behind.
struct CommandLineResult: CustomStringConvertible {
    let status: Int32
    let output: String

    var description: String { "exit \(status): \(output)" }
}

extension ChatServer {
    /// Runs `chat-server arguments` to completion with `input` on its standard input (closed after it),
    /// within a deadline; stdout and stderr come back merged.
    static func run(_ arguments: [String], input: String, within seconds: Double = 30) throws -> CommandLineResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binaryPath())
        process.arguments = arguments
        let stdinPipe = Pipe()
        let outputPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let readEnd = dup(outputPipe.fileHandleForReading.fileDescriptor)
        try? outputPipe.fileHandleForWriting.close()
        try? outputPipe.fileHandleForReading.close()
        let output = OutputCollector(fd: readEnd)
        stdinPipe.fileHandleForWriting.write(Data(input.utf8))
        try? stdinPipe.fileHandleForWriting.close()
        guard exited.wait(timeout: .now() + seconds) == .success else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw HarnessError("chat-server \(arguments.joined(separator: " ")) did not exit within \(seconds)s; output:\n\(output.text)")
        }
        // Wait for the pipe to reach end of file so no output is missed.
        _ = output.waitForLine(within: 2) { _ in nil as Int? }
        return CommandLineResult(status: process.terminationStatus, output: output.text)
    }
}
