import Glibc

/// Writes control sequences straight to the terminal, outside curses (bracketed paste
/// on/off, and the emergency reset a crash handler sends).
enum TerminalOutput {
    static func write(_ sequence: String) {
        var bytes = Array(sequence.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress, $0.count) }
    }
}
