/// Every latency sample of a run, kept whole so percentiles are exact rather than bucketed.
struct LatencySamples: Sendable {
    private(set) var nanos: [UInt64] = []

    /// Number of samples.
    var count: Int { nanos.count }

    /// Reserves room for `count` samples so recording never reallocates mid-run.
    mutating func reserve(_ count: Int) { nanos.reserveCapacity(count) }

    /// Adds one sample.
    mutating func record(_ value: UInt64) { nanos.append(value) }

    /// Adds every sample of `other`.
    mutating func merge(_ other: LatencySamples) { nanos.append(contentsOf: other.nanos) }

    /// Percentiles in milliseconds by nearest rank; nil when there are no samples.
    func percentiles(_ fractions: [Double]) -> [Double]? {
        guard !nanos.isEmpty else { return nil }
        let sorted = nanos.sorted()
        return fractions.map { fraction in
            let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
            return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1e6
        }
    }
}
