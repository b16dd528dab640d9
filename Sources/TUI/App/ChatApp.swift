import CNcursesw
import CSupport
import Foundation
import Glibc
import Shared

/// The UI loop on the main thread: poll(stdin, wake fd) with no timeout unless the state
/// asks for one, drain keys and network events, reduce each, draw once per batch.
final class ChatApp {
    private var state: AppState
    private var decoder = KeyDecoder()
    private let uiWake: WakeSignal
    private let connection: ServerConnection
    private let benchLog = BenchLog(environment: ProcessInfo.processInfo.environment)

    init(identity: ServerIdentity) throws {
        state = AppState(identity: identity)
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        state.utcOffset = Int(parts.tm_gmtoff)
        uiWake = try WakeSignal()
        connection = try ServerConnection(host: identity.host, port: identity.port, uiWake: uiWake)
    }

    /// Runs until /quit or a signal; returns the exit status.
    func run() throws -> Int32 {
        SignalFlags.install()
        signalWakeFD.store(uiWake.fd, ordering: .relaxed)
        let screen = CursesScreen()
        TerminalSession.begin(screen)
        defer { TerminalSession.end() }
        state.rows = screen.rows
        state.columns = screen.columns
        connection.start()
        Renderer.render(state, on: screen, now: IRCTime.nowMilliseconds())
        var quitting = false
        while !quitting {
            let now = IRCTime.nowMilliseconds()
            let deadline = Reducer.nextDeadline(state, now: now)
            let timeout = deadline.map { Int32(clamping: max(0, $0 - now)) } ?? -1
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: uiWake.fd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, timeout)
            if ready < 0, chat_errno() != EINTR { return 1 }
            if pendingSignal.load(ordering: .relaxed) != 0 {
                connection.send(IRCMessage("QUIT", "terminal closed"))
                connection.stop(timeoutMilliseconds: 500)
                return 0
            }
            var events: [AppEvent] = []
            // A resize shows up as EINTR plus KEY_RESIZE, so read keys on every wake-up.
            let (keys, resized) = decoder.decode(screen.readInput())
            if resized { events.append(.resize(rows: screen.rows, columns: screen.columns)) }
            events += keys.map(AppEvent.key)
            if fds[1].revents != 0 { uiWake.clear() }
            let network = connection.drain()
            events += network.map(AppEvent.network)
            if let deadline, IRCTime.nowMilliseconds() >= deadline { events.append(.tick) }
            let stamp = IRCTime.nowMilliseconds()
            var effects: [Effect] = []
            for event in events {
                effects += Reducer.reduce(&state, event, now: stamp)
            }
            if !events.isEmpty { effects += Reducer.settle(&state) }
            for effect in effects {
                switch effect {
                case .send(let message): connection.send(message)
                case .repaint: screen.repaint()
                case .quit: quitting = true
                }
            }
            if !events.isEmpty || deadline != nil {
                let start = MonotonicClock.nanoseconds()
                Renderer.render(state, on: screen, now: IRCTime.nowMilliseconds())
                if let benchLog {
                    let end = MonotonicClock.nanoseconds()
                    let readAt = connection.lastReadNanos.load(ordering: .relaxed)
                    benchLog.record(renderNanos: end - start, arrivalToDrawNanos: network.isEmpty ? nil : end - readAt,
                                    lines: state.currentConversation.lines.count)
                }
            }
        }
        Renderer.render(state, on: screen, now: IRCTime.nowMilliseconds())
        connection.stop(timeoutMilliseconds: 1500)
        return 0
    }
}

/// The one curses session, so `atexit` can end it on any exit path.
enum TerminalSession {
    nonisolated(unsafe) private static var screen: CursesScreen?

    static func begin(_ active: CursesScreen) {
        screen = active
        atexit { TerminalSession.end() }
    }

    static func end() {
        guard let active = screen else { return }
        screen = nil
        active.end()
    }
}
