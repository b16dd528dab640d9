import CNcursesw
import Glibc

/// Asks the terminal how wide it draws emoji sequences: draw a sample, request the cursor
/// position (DSR 6), and see how far the cursor went. Runs once, before the first frame.
enum TerminalProbe {
    /// Samples and the bit of ``emojiCombining`` each one decides.
    private static let samples: [(text: String, bit: UInt8)] = [("👋🏽", 0b01), ("👨‍👩‍👧", 0b10)]

    /// Measures the samples and records the answer; leaves the default when the terminal
    /// does not answer within `timeoutMilliseconds`.
    static func measureEmoji(window: UnsafeMutablePointer<WINDOW>, timeoutMilliseconds: Int32 = 300) {
        var request = ""
        for sample in samples {
            request += "\u{1B}[1;1H" + sample.text + "\u{1B}[6n"
        }
        request += "\u{1B}[1;1H\u{1B}[2K"
        // With keypad decoding on, curses would read a report such as ESC[1;5R as Ctrl-F3.
        keypad(window, false)
        defer { keypad(window, true) }
        TerminalOutput.write(request)
        var columns: [Int] = []
        var pending: [UInt32] = []
        let deadline = MonotonicClock.nanoseconds() + Int64(timeoutMilliseconds) * 1_000_000
        while columns.count < samples.count {
            let left = (deadline - MonotonicClock.nanoseconds()) / 1_000_000
            guard left > 0 else { break }
            var input = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            guard poll(&input, 1, Int32(left)) > 0 else { break }
            var character: wint_t = 0
            while wget_wch(window, &character) != ERR {
                pending.append(UInt32(character))
            }
            columns = reports(in: pending)
        }
        guard columns.count == samples.count else { return }
        var combining: UInt8 = 0
        for (sample, column) in zip(samples, columns) where column - 1 <= 2 {
            combining |= sample.bit
        }
        emojiCombining.store(combining, ordering: .relaxed)
    }

    /// The column (1-based) of each `ESC [ row ; column R` report in `scalars`.
    static func reports(in scalars: [UInt32]) -> [Int] {
        var columns: [Int] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index] == 0x1B, index + 1 < scalars.count, scalars[index + 1] == 0x5B else {
                index += 1
                continue
            }
            var cursor = index + 2
            var fields: [Int] = [0]
            while cursor < scalars.count {
                let value = scalars[cursor]
                if value >= 0x30 && value <= 0x39 {
                    fields[fields.count - 1] = fields[fields.count - 1] * 10 + Int(value - 0x30)
                } else if value == 0x3B {
                    fields.append(0)
                } else {
                    break
                }
                cursor += 1
            }
            if cursor < scalars.count, scalars[cursor] == 0x52, fields.count == 2 { columns.append(fields[1]) }
            index = cursor + 1
        }
        return columns
    }
}
