import ChatStore
import Testing

@Suite("Read markers")
struct ReadMarkerTests {
    @Test("MARKREAD only moves forward, and every query sees the stored value")
    func onlyForward() throws {
        let fixture = try StoreFixture()
        #expect(fixture.complete { $0.readMarker(account: "alice", target: "#room") } == .readMarker(account: "alice", target: "#room", timeMs: nil))
        #expect(fixture.complete { $0.markRead(account: "alice", target: "#room", timeMs: 5_000) } == .readMarker(account: "alice", target: "#room", timeMs: 5_000))
        #expect(fixture.complete { $0.markRead(account: "alice", target: "#room", timeMs: 3_000) } == .readMarker(account: "alice", target: "#room", timeMs: 5_000))
        #expect(fixture.complete { $0.markRead(account: "ALICE", target: "#ROOM", timeMs: 5_000) } == .readMarker(account: "ALICE", target: "#ROOM", timeMs: 5_000))
        #expect(fixture.complete { $0.markRead(account: "alice", target: "#room", timeMs: 9_000) } == .readMarker(account: "alice", target: "#room", timeMs: 9_000))
        #expect(fixture.complete { $0.readMarker(account: "Alice", target: "#Room") } == .readMarker(account: "Alice", target: "#Room", timeMs: 9_000))
    }

    @Test("markers are per account and per target")
    func independent() throws {
        let fixture = try StoreFixture()
        _ = fixture.complete { $0.markRead(account: "alice", target: "bob", timeMs: 7_000) }
        _ = fixture.complete { $0.markRead(account: "bob", target: "alice", timeMs: 2_000) }
        #expect(fixture.complete { $0.readMarker(account: "alice", target: "#room") } == .readMarker(account: "alice", target: "#room", timeMs: nil))
        #expect(fixture.complete { $0.readMarker(account: "bob", target: "alice") } == .readMarker(account: "bob", target: "alice", timeMs: 2_000))
        #expect(fixture.complete { $0.readMarker(account: "alice", target: "Bob") } == .readMarker(account: "alice", target: "Bob", timeMs: 7_000))
    }

    @Test("two writes to one marker in the same batch keep the later time")
    func sameBatch() throws {
        let fixture = try StoreFixture()
        let tickets = [9_000, 4_000, 6_000].map { fixture.store.markRead(account: "a", target: "#r", timeMs: Int64($0)) }
        let results = fixture.waiter.wait(for: tickets, on: fixture.store)
        #expect(tickets.map { results[$0] } == [9_000, 9_000, 9_000].map { .readMarker(account: "a", target: "#r", timeMs: $0) })
    }
}
