import Foundation

/// Failure in the end-to-end harness, with what was on screen when it happened.
struct EndToEndError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A program running in its own private tmux server (`tmux -L name`), driven with
/// send-keys and read with capture-pane.
final class TmuxSession {
    let socket: String
    private(set) var isAlive = true

    /// Starts `command` in a detached session of `width`×`height`, in a UTF-8 locale.
    init(name: String, width: Int, height: Int, command: [String], environment: [String: String] = [:]) throws {
        socket = "chat-e2e-\(name)-\(getpid())-\(UInt32.random(in: 0..<UInt32.max))"
        var env = ["LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=tmux-256color", "SWIFT_BACKTRACE=enable=no"]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { env.append("\(key)=\(value)") }
        let shellCommand = (["env"] + env + command).map(Self.quote).joined(separator: " ")
        let result = try Self.tmux(["-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height),
                                    "-s", "main", shellCommand])
        guard result.status == 0 else { throw EndToEndError("tmux new-session failed: \(result.output)") }
        _ = try? Self.tmux(["-L", socket, "set-option", "-g", "remain-on-exit", "on"])
    }

    deinit { kill() }

    /// Ends the tmux server and whatever runs in it.
    func kill() {
        guard isAlive else { return }
        isAlive = false
        _ = try? Self.tmux(["-L", socket, "kill-server"])
    }

    /// Presses keys by tmux name: "C-g", "Down", "Enter", "M-1".
    func press(_ keys: String...) throws {
        let result = try Self.tmux(["-L", socket, "send-keys", "-t", "main"] + keys)
        guard result.status == 0 else { throw EndToEndError("send-keys \(keys) failed: \(result.output)") }
    }

    /// Types text literally (UTF-8 as it is).
    func type(_ text: String) throws {
        let result = try Self.tmux(["-L", socket, "send-keys", "-t", "main", "-l", text])
        guard result.status == 0 else { throw EndToEndError("send-keys -l failed: \(result.output)") }
    }

    /// The screen as text.
    func screen() throws -> String {
        try Self.tmux(["-L", socket, "capture-pane", "-p", "-t", "main"]).output
    }

    /// Resizes the window (the program sees SIGWINCH).
    func resize(width: Int, height: Int) throws {
        let result = try Self.tmux(["-L", socket, "resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
        guard result.status == 0 else { throw EndToEndError("resize-window failed: \(result.output)") }
    }

    /// The pid of the program in the pane.
    func panePID() throws -> Int32 {
        let output = try Self.tmux(["-L", socket, "display-message", "-p", "-t", "main", "#{pane_pid}"]).output
        guard let pid = Int32(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw EndToEndError("no pane pid in \(output)")
        }
        return pid
    }

    /// True once the program in the pane has exited (the pane is kept to read it).
    func paneIsDead() throws -> Bool {
        try Self.tmux(["-L", socket, "display-message", "-p", "-t", "main", "#{pane_dead}"]).output.hasPrefix("1")
    }

    /// Waits until the screen satisfies `condition`, reading it every 50 ms; throws with the
    /// last screen after `seconds`.
    @discardableResult
    func waitFor(_ what: String, seconds: Double = 10, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(50_000)
        }
        throw EndToEndError("timed out after \(seconds) s waiting for \(what); screen was:\n\(last)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    func waitFor(text: String, seconds: Double = 10) throws -> String {
        try waitFor("\"\(text)\"", seconds: seconds) { $0.contains(text) }
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs tmux and returns its status and output.
    @discardableResult
    static func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Spawn.run("/usr/bin/tmux", arguments)
    }
}

/// Starts programs with posix_spawn and a clean signal mask, and reaps them with waitpid.
/// (Foundation's Process inherits the test runner's blocked signals and waits for SIGCHLD,
/// which a blocked mask never delivers.)
enum Spawn {
    /// Starts `path` with `arguments`, stdout and stderr into `outputPath`; returns the pid.
    static func start(_ path: String, _ arguments: [String], outputPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard status == 0 else { throw EndToEndError("posix_spawn \(path): \(String(cString: strerror(status)))") }
        return pid
    }

    /// Runs a program to completion; its output is collected through a temporary file.
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let outputPath = NSTemporaryDirectory() + "chat-e2e-spawn-\(getpid())-\(UUID().uuidString)"
        defer { unlink(outputPath) }
        let pid = try start(path, arguments, outputPath: outputPath)
        let status = wait(pid)
        return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
    }

    /// Waits for `pid` and returns its exit status (128 + signal when killed).
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        if status & 0x7F == 0 { return (status >> 8) & 0xFF }
        return 128 + (status & 0x7F)
    }

    /// True while `pid` has not exited (reaping it if it has).
    static func isRunning(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == 0
    }
}
