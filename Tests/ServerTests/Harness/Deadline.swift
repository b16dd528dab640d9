import Glibc

/// A point in monotonic time a wait must not pass.
struct Deadline {
    private let nanoseconds: UInt64

    /// A deadline `seconds` from now.
    init(seconds: Double) {
        nanoseconds = Deadline.now() + UInt64(max(0, seconds) * 1_000_000_000)
    }

    /// Milliseconds left, clamped to what poll(2) accepts; 0 once passed.
    var remainingMilliseconds: Int32 {
        let now = Deadline.now()
        guard nanoseconds > now else { return 0 }
        return Int32(min(UInt64(Int32.max), (nanoseconds - now + 999_999) / 1_000_000))
    }

    var hasPassed: Bool { Deadline.now() >= nanoseconds }

    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}
