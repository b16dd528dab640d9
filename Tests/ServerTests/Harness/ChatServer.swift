import Foundation

/// Finds and starts the real `chat-server` binary.
enum ChatServer {
    /// `$CHAT_SERVER_BIN`, else `chat-server` beside the running test bundle (the scratch path's
    /// debug folder, where `swift build --product chat-server` puts it).
    static func binaryPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["CHAT_SERVER_BIN"], !path.isEmpty {
            return path
        }
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let path = bundle.deletingLastPathComponent().appendingPathComponent("chat-server").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("chat-server not found at \(path): build it first (swift build --product chat-server) or set CHAT_SERVER_BIN")
        }
        return path
    }

    /// Flags every test server gets unless the test overrides them: a throwaway database and quiet logs.
    static let baseFlags = ["--db", ":memory:", "--scrypt-cost", "10"]

    /// Starts `chat-server --listen 127.0.0.1:0` plus `flags` and waits for its listening line.
    static func start(_ flags: [String] = [], listen: String = "127.0.0.1:0") throws -> ServerProcess {
        try ServerProcess.launch(executable: try binaryPath(), arguments: ["--listen", listen] + baseFlags + flags) { line in
            listeningPort(in: line)
        }
    }

    /// The port from `chat-server: listening on HOST:PORT`, where HOST may be `[v6]`.
    static func listeningPort(in line: Substring) -> UInt16? {
        guard let range = line.range(of: "chat-server: listening on ") else { return nil }
        let address = line[range.upperBound...]
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return UInt16(address[address.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// Runs chat-server with `arguments` to completion, for command-line checks.
    static func run(_ arguments: [String], within seconds: Double = 15) throws -> (status: Int32, output: String) {
        try ServerProcess.run(executable: try binaryPath(), arguments: arguments, within: seconds)
    }
}
