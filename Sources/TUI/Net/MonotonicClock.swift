import Glibc

/// CLOCK_MONOTONIC in nanoseconds, for measuring latencies that wall-clock jumps must not skew.
enum MonotonicClock {
    static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
