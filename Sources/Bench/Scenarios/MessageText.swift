/// The text of every benchmark message: `<sender id> <sequence> <send time ns> xxxx…`.
///
/// Receivers parse the three numbers back to check the sender, the order and the latency; the
/// padding brings the text to a realistic chat-line length.
enum MessageText {
    /// Queues `PRIVMSG target :<sender> <sequence> <stamp> <padding>` on `connection`.
    ///
    /// The line is assembled in a stack buffer and appended once: at a million messages a second
    /// the ten small appends this replaces (each with its own uniqueness and capacity checks) were
    /// half of the generator's own instructions per message.
    @inline(__always)
    static func queuePrivmsg(on connection: Connection, target: [UInt8], sender: Int, sequence: Int, stamp: UInt64, padding: [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { line in
            guard let base = line.baseAddress else { return }
            var writer = LineWriter(base: base)
            writer.put("PRIVMSG ")
            target.withUnsafeBufferPointer { writer.put($0) }
            writer.put(" :")
            writer.put(number: UInt64(sender))
            writer.put(" ")
            writer.put(number: UInt64(sequence))
            writer.put(" ")
            writer.put(number: stamp)
            writer.put(" ")
            let room = max(0, 1024 - 96 - target.count)
            padding.withUnsafeBufferPointer { writer.put(UnsafeBufferPointer(rebasing: $0.prefix(room))) }
            writer.put("\r\n")
            connection.out.append(contentsOf: UnsafeBufferPointer(start: base, count: writer.count))
        }
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

/// Writes one line into a caller-provided buffer. A struct, not captured closures, so the
/// compiler checks exclusive access statically instead of at run time on every byte.
private struct LineWriter {
    let base: UnsafeMutablePointer<UInt8>
    var count = 0

    init(base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func put(_ text: StaticString) {
        put(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func put(number: UInt64) {
        var value = number
        var digits = 0
        repeat {
            digits += 1
            value /= 10
        } while value > 0
        value = number
        var position = count + digits - 1
        repeat {
            base[position] = UInt8(48 + value % 10)
            value /= 10
            position -= 1
        } while value > 0
        count += digits
    }
}
