/// Reconnect delays: 1 s doubling to 60 s, each with ±20 % jitter so clients that lost the
/// same server do not all come back in the same millisecond.
struct Backoff: Sendable {
    static let firstDelay: Int64 = 1000
    static let maxDelay: Int64 = 60_000

    /// Failures in a row since the last good connection.
    private(set) var failures = 0

    /// Creates a fresh backoff.
    init() {}

    /// Records a failure and returns how long to wait (ms); `random` yields a value in 0..<1.
    mutating func nextDelay(random: () -> Double = { Double.random(in: 0..<1) }) -> Int64 {
        failures += 1
        let shift = min(failures - 1, 6)
        let base = min(Self.maxDelay, Self.firstDelay << shift)
        let jitter = (random() * 0.4 - 0.2) * Double(base)
        return min(Self.maxDelay, max(Self.firstDelay / 2, base + Int64(jitter)))
    }

    /// A connection worked: the next failure starts again at one second.
    mutating func reset() {
        failures = 0
    }
}
