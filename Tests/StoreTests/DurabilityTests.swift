import ChatStore
import Testing

@Suite("Durability")
struct DurabilityTests {
    @Test("every confirmed message is in the file, seen by a fresh connection while the store still runs", arguments: [StoreConfiguration.Durability.full, .normal])
    func confirmedMeansCommitted(durability: StoreConfiguration.Durability) throws {
        let fixture = try StoreFixture { $0.durability = durability }
        let messages = (0..<500).map {
            Messages.direct("dm\($0)", at: Int64(1_000 + $0), from: .account("alice"), to: .account("bob"))
        }
        fixture.appendAll(messages)
        // No close: a reader that shares nothing with the store must already find them all.
        var configuration = StoreConfiguration(path: fixture.path)
        configuration.durability = durability
        let fresh = try StoreDatabase(configuration: configuration)
        var seen: [String] = []
        var bound: HistoryBound = .timestamp(0)
        for _ in 0..<10 {
            let page = try fresh.history(HistoryRequest(
                requester: .account("bob"), conversation: .direct(.account("alice")), query: .after(bound), limit: 100))
            guard let last = page.last else { break }
            seen += page.map(\.msgid)
            bound = .msgid(last.msgid)
        }
        #expect(seen == messages.map(\.msgid))
    }
}
