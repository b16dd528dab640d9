import CSupport
import Glibc
import Synchronization

/// The signal that asked us to leave (0 while none has); handlers only set this and wake
/// the loop, which does the real work.
let pendingSignal = Atomic<Int32>(0)
/// The eventfd the UI loop polls; -1 until the loop exists.
let signalWakeFD = Atomic<Int32>(-1)
/// The terminal modes from before curses started, for the crash path.
nonisolated(unsafe) var savedTerminalModes = termios()
nonisolated(unsafe) var terminalModesSaved = false

/// Installs handlers: SIGTERM, SIGHUP and SIGINT set a flag the loop reads; crashes restore
/// the terminal before dying; SIGPIPE is ignored (writes report EPIPE instead).
enum SignalFlags {
    static func install() {
        if tcgetattr(0, &savedTerminalModes) == 0 { terminalModesSaved = true }
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = requestExit
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, nil)
        }
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = restoreAndDie
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
            sigaction(signalNumber, &action, nil)
        }
        signal(SIGPIPE, SIG_IGN)
        // A parent may have started us with these blocked (test runners do); we need them.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signalNumber in [SIGTERM, SIGHUP, SIGINT, SIGWINCH] { sigaddset(&wanted, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
    }
}

private func requestExit(_ signalNumber: Int32) {
    pendingSignal.store(signalNumber, ordering: .relaxed)
    let fd = signalWakeFD.load(ordering: .relaxed)
    if fd >= 0 {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(fd, $0.baseAddress, 8) }
    }
}

/// Only async-signal-safe calls: put the tty modes back, leave the alternate screen, show
/// the cursor, switch off mouse and paste reporting, then die of the same signal.
private func restoreAndDie(_ signalNumber: Int32) {
    if terminalModesSaved { tcsetattr(0, TCSANOW, &savedTerminalModes) }
    let reset: StaticString = "\u{1B}[?2004l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
    _ = write(1, reset.utf8Start, reset.utf8CodeUnitCount)
    raise(signalNumber)
}
