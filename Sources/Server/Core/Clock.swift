import Glibc

/// Where the server reads the time; injected so timing logic can be tested.
protocol ServerClock {
    /// Seconds on a monotonic clock.
    func monotonic() -> Double
    /// Milliseconds since the Unix epoch, for server-time and history.
    func wallMilliseconds() -> Int64
}

/// The real clocks.
struct SystemClock: ServerClock {
    func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    func wallMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
