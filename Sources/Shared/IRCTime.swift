import Foundation

/// The `server-time` tag format: `YYYY-MM-DDThh:mm:ss.sssZ`, always UTC, millisecond precision.
public enum IRCTime {
    /// Formats milliseconds since the Unix epoch.
    ///
    /// Hand-rolled rather than `String(format:)`: every relayed message carries a time tag, and
    /// Foundation's formatter dominated the server's profile.
    public static func format(millisecondsSince1970 ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        // Civil-from-days (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        var bytes = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, at offset: Int, digits: Int) {
            var remaining = value
            var index = offset + digits - 1
            while index >= offset {
                bytes[index] = UInt8(48 + remaining % 10)
                remaining /= 10
                index -= 1
            }
        }
        put(min(max(year, 0), 9999), at: 0, digits: 4)
        bytes[4] = 45
        put(month, at: 5, digits: 2)
        bytes[7] = 45
        put(day, at: 8, digits: 2)
        bytes[10] = 84
        put(secondOfDay / 3600, at: 11, digits: 2)
        bytes[13] = 58
        put(secondOfDay / 60 % 60, at: 14, digits: 2)
        bytes[16] = 58
        put(secondOfDay % 60, at: 17, digits: 2)
        bytes[19] = 46
        put(millis, at: 20, digits: 3)
        bytes[23] = 90
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses the tag's format (fractional seconds optional) into milliseconds since the epoch.
    public static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ from: Int, _ length: Int) -> Int? {
            guard from + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<(from + length)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        guard separators.allSatisfy({ bytes[$0.0] == $0.1.asciiValue }) else { return nil }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        // timegm would quietly normalise month 13 or hour 25 into another date.
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        // After the seconds comes either `Z` or `.` with at least one digit and then `Z`.
        guard bytes.count == 20 || (bytes.count >= 22 && bytes[19] == UInt8(ascii: ".")) else { return nil }
        var millis = 0
        if bytes.count > 21, bytes[19] == UInt8(ascii: ".") {
            let digits = bytes[20..<(bytes.count - 1)]
            guard digits.count >= 1 else { return nil }
            var scale = 100
            for byte in digits.prefix(3) {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                millis += Int(byte - 0x30) * scale
                scale /= 10
            }
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Int64(seconds) * 1000 + Int64(millis)
    }

    /// Milliseconds since the Unix epoch, now.
    public static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
