import Glibc

/// Nanoseconds on the monotonic clock: the only time base the generator uses, so wall-clock jumps
/// never show up as latency.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point.
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// Converts a span in seconds to nanoseconds.
    static func nanos(seconds: Double) -> UInt64 {
        UInt64(max(0, seconds) * 1e9)
    }
}
