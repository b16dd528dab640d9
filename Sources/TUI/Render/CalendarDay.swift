/// Local wall-clock pieces of a timestamp, for `HH:MM` and the day-change line.
struct CalendarDay: Equatable, Sendable {
    let year: Int
    let month: Int
    let day: Int
    /// 0 = Sunday.
    let weekday: Int
    /// Days since 1970-01-01 in local time; equal for two times on the same local day.
    let dayNumber: Int

    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

    /// The local day of `milliseconds` at `utcOffset` seconds east of UTC.
    init(milliseconds: Int64, utcOffset: Int) {
        let seconds = Int(Self.floorDivide(milliseconds, 1000)) + utcOffset
        let days = Int(Self.floorDivide(Int64(seconds), 86_400))
        dayNumber = days
        weekday = ((days % 7) + 11) % 7 // 1970-01-01 was a Thursday
        // Howard Hinnant's civil-from-days.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// "Wednesday 25 November 2026".
    var longText: String {
        "\(Self.weekdays[weekday]) \(day) \(Self.months[month - 1]) \(year)"
    }

    /// `HH:MM` of `milliseconds` at `utcOffset`.
    static func clock(milliseconds: Int64, utcOffset: Int) -> String {
        let seconds = Int(floorDivide(milliseconds, 1000)) + utcOffset
        let inDay = ((seconds % 86_400) + 86_400) % 86_400
        let hours = inDay / 3600
        let minutes = (inDay % 3600) / 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
