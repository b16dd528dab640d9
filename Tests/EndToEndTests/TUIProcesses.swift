import Foundation

/// Finds the binaries under test: `$CHAT_SERVER_BIN` / `$CHAT_TUI_BIN`, else beside the
/// running test bundle (the scratch path's debug folder).
enum TUIBinaries {
    static func path(_ name: String, variable: String) throws -> String {
        if let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty { return path }
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = bundle.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw EndToEndError("\(name) not found at \(path): build it first (swift build --product \(name)) or set \(variable)")
        }
        return path
    }

    static func server() throws -> String { try path("chat-server", variable: "CHAT_SERVER_BIN") }
    static func tui() throws -> String { try path("chat-tui", variable: "CHAT_TUI_BIN") }
}

/// A chat-server started for one test, on loopback; its stderr goes to a file we read for
/// the "listening on" line.
final class TUIServerProcess {
    let pid: pid_t
    let port: Int
    private let logPath: String
    private var running = true

    /// Starts the server on `port` (0 picks a free one) with its store at `database` and
    /// `extraArguments`, and waits until it listens.
    init(port: Int = 0, database: String = ":memory:", extraArguments: [String] = []) throws {
        logPath = NSTemporaryDirectory() + "chat-e2e-server-\(getpid())-\(UUID().uuidString).log"
        pid = try Spawn.start(try TUIBinaries.server(), ["--listen", "127.0.0.1:\(port)", "--db", database] + extraArguments,
                              outputPath: logPath)
        let deadline = Date().addingTimeInterval(15)
        var found: Int?
        while Date() < deadline, found == nil, Spawn.isRunning(pid) {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = log.range(of: "listening on 127.0.0.1:") {
                found = Int(log[range.upperBound...].prefix(while: { $0.isNumber }))
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            kill(pid, SIGKILL)
            _ = Spawn.wait(pid)
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw EndToEndError("chat-server did not start listening: \(log)")
        }
        self.port = found
    }

    /// SIGTERM and wait for the exit.
    func stop() {
        guard running else { return }
        running = false
        kill(pid, SIGTERM)
        _ = Spawn.wait(pid)
    }

    deinit {
        stop()
        unlink(logPath)
    }
}
