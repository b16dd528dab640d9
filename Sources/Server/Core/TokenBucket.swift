/// Flood control: a client spends one token per line; tokens refill at `rate` per second up to `burst`.
///
/// Pure: the caller passes the time, so tests drive it with a fake clock.
struct TokenBucket: Sendable {
    let rate: Double
    let burst: Double
    private(set) var tokens: Double
    private var updatedAt: Double

    init(rate: Double, burst: Int, now: Double) {
        self.rate = rate
        self.burst = Double(max(1, burst))
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// True when flood control is off.
    var isUnlimited: Bool { rate <= 0 }

    /// Takes one token if there is one.
    mutating func take(now: Double) -> Bool {
        if isUnlimited { return true }
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Seconds from `now` until the next token is available (0 when one is).
    mutating func secondsUntilToken(now: Double) -> Double {
        if isUnlimited { return 0 }
        refill(now: now)
        return tokens >= 1 ? 0 : (1 - tokens) / rate
    }

    private mutating func refill(now: Double) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + (now - updatedAt) * rate)
        updatedAt = now
    }
}
