/// The text of every benchmark message: `<sender id> <sequence> <send time ns> xxxx…`.
///
/// Receivers parse the three numbers back to check the sender, the order and the latency; the
/// padding brings the text to a realistic chat-line length.
enum MessageText {
    /// Queues `PRIVMSG target :<sender> <sequence> <stamp> <padding>` on `connection`.
    @inline(__always)
    static func queuePrivmsg(on connection: Connection, target: [UInt8], sender: Int, sequence: Int, stamp: UInt64, padding: [UInt8]) {
        connection.append("PRIVMSG ")
        connection.append(target)
        connection.append(" :")
        connection.append(number: UInt64(sender))
        connection.append(" ")
        connection.append(number: UInt64(sequence))
        connection.append(" ")
        connection.append(number: stamp)
        connection.append(" ")
        connection.append(padding)
        connection.append("\r\n")
    }

    /// Padding that makes a typical message text about `textBytes` long (three numbers take ~30).
    static func padding(textBytes: Int) -> [UInt8] {
        [UInt8](repeating: UInt8(ascii: "x"), count: max(1, textBytes - 30))
    }

    /// The fields of a received benchmark message, or nil when the text is not one.
    @inline(__always)
    static func parse(_ line: IRCLine, text: Range<Int>) -> (sender: Int, sequence: Int, stamp: UInt64)? {
        var scanner = NumberScanner(line.bytes, text)
        guard let sender = scanner.next(), let sequence = scanner.next(), let stamp = scanner.next() else { return nil }
        return (Int(sender), Int(sequence), stamp)
    }
}
