@testable import ChatStore
import Testing

@Suite("Commit pacing")
struct CommitPacingTests {
    static func pacing(minimum: Double = 0.001, maximum: Double = 0.010, perWrite: Double = 0.000_001) -> CommitPacing {
        var configuration = StoreConfiguration(path: ":memory:")
        configuration.commitInterval = minimum
        configuration.busyCommitInterval = maximum
        configuration.commitGatherPerWrite = perWrite
        return CommitPacing(configuration: configuration)
    }

    @Test("a quiet store keeps the short wait: small commits are followed by the minimum interval")
    func quietKeepsMinimum() {
        let pacing = Self.pacing()
        for writes in [0, 1, 10, 999, 1_000] {
            #expect(pacing.interval(afterCommitOf: writes) == 1_000_000, "after \(writes) writes")
        }
    }

    @Test("under load the wait grows with the last commit's size, up to the maximum")
    func loadStretchesUpToMaximum() {
        let pacing = Self.pacing()
        #expect(pacing.interval(afterCommitOf: 2_500) == 2_500_000)
        #expect(pacing.interval(afterCommitOf: 7_000) == 7_000_000)
        #expect(pacing.interval(afterCommitOf: 10_000) == 10_000_000)
        #expect(pacing.interval(afterCommitOf: 50_000) == 10_000_000)
        #expect(pacing.interval(afterCommitOf: Int.max) == 10_000_000, "no overflow for absurd counts")
        var previous: UInt64 = 0
        for writes in stride(from: 0, through: 20_000, by: 250) {
            let interval = pacing.interval(afterCommitOf: writes)
            #expect(interval >= previous, "the wait never shrinks as commits grow (\(writes) writes)")
            previous = interval
        }
    }

    @Test("a maximum below the minimum, or odd settings, never shorten the configured minimum")
    func settingsAreClamped() {
        let inverted = Self.pacing(minimum: 0.005, maximum: 0.001)
        #expect(inverted.interval(afterCommitOf: 1_000_000) == 5_000_000)
        let off = Self.pacing(minimum: 0, maximum: 0, perWrite: 0)
        #expect(off.interval(afterCommitOf: 100_000) == 0)
        let negative = Self.pacing(minimum: -1, maximum: .nan, perWrite: -1)
        #expect(negative.interval(afterCommitOf: 100) == 0)
    }
}
