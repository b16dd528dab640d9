import ChatStore
import Testing

@Suite("Direct-message visibility and TARGETS")
struct DirectVisibilityTests {
    @Test("a DM conversation is readable by its two parties only, from either side")
    func twoPartiesOnly() throws {
        let fixture = try StoreFixture()
        fixture.appendAll([
            Messages.direct("d1", at: 1000, from: .account("alice"), to: .account("bob"), targetName: "Bob"),
            Messages.direct("d2", at: 2000, from: .account("bob"), to: .account("alice")),
            Messages.direct("d3", at: 3000, from: .account("alice"), to: .account("carol")),
        ])
        #expect(fixture.page(.account("bob"), .direct(.account("alice")), .latest(after: nil), limit: 10) == ["d1", "d2"])
        #expect(fixture.page(.account("ALICE"), .direct(.account("Bob")), .latest(after: nil), limit: 10) == ["d1", "d2"])
        #expect(fixture.page(.account("alice"), .direct(.account("carol")), .latest(after: nil), limit: 10) == ["d3"])
        // carol cannot read alice and bob's conversation whatever she names.
        #expect(fixture.page(.account("carol"), .direct(.account("bob")), .latest(after: nil), limit: 10) == [])
        // A guest using the nick bob is not the account bob.
        #expect(fixture.page(.nick("bob"), .direct(.account("alice")), .latest(after: nil), limit: 10) == [])
        // A msgid of someone else's conversation is not a usable bound either.
        #expect(fixture.page(.account("carol"), .direct(.account("alice")), .around(.msgid("d1")), limit: 10) == [])
    }

    @Test("TARGETS lists rooms given and own DMs with their latest time, exclusive bounds, ascending")
    func targets() throws {
        let fixture = try StoreFixture()
        fixture.appendAll([
            Messages.room("r1", at: 1000, in: "#a"),
            Messages.room("r2", at: 3000, in: "#a"),
            Messages.direct("d1", at: 4000, from: .account("bob"), to: .account("alice"), targetName: "Alice"),
            Messages.direct("d2", at: 5000, from: .account("bob"), to: .account("alice"), targetName: "Alice"),
            Messages.direct("off", at: 6000, from: .nick("dave"), senderNick: "Dave", to: .account("bob"), targetName: "bob"),
            Messages.room("r3", at: 8000, in: "#b"),
            Messages.room("hidden", at: 7000, in: "#secret"),
            Messages.direct("x", at: 7500, from: .account("alice"), to: .account("carol")),
        ])
        func targets(_ from: Int64, _ to: Int64, _ limit: Int, rooms: [String] = ["#a", "#B"]) -> [String] {
            let request = TargetsRequest(requester: .account("Bob"), rooms: rooms, fromMs: from, toMs: to, limit: limit)
            guard case .targets(let list)? = fixture.complete({ $0.targets(request) }) else {
                Issue.record("no targets result")
                return []
            }
            return list.map { "\($0.name)@\($0.latestTimeMs)" }
        }
        #expect(targets(0, 10_000, 50) == ["#a@3000", "Alice@5000", "Dave@6000", "#b@8000"])
        #expect(targets(3000, 8000, 50) == ["Alice@5000", "Dave@6000"])
        #expect(targets(0, 4500, 50) == ["#a@3000", "Alice@4000"])
        #expect(targets(0, 10_000, 2) == ["#a@3000", "Alice@5000"])
        #expect(targets(10_000, 0, 2) == ["Dave@6000", "#b@8000"])
        #expect(targets(0, 10_000, 50, rooms: []) == ["Alice@5000", "Dave@6000"])

        let request = TargetsRequest(requester: .account("bob"), rooms: [], fromMs: 0, toMs: 10_000, limit: 10)
        guard case .targets(let list)? = fixture.complete({ $0.targets(request) }) else { return }
        #expect(list.map(\.conversation) == [.direct(.account("alice")), .direct(.nick("dave"))])
        // What TARGETS names is what a follow-up query uses.
        #expect(fixture.page(.account("bob"), list[1].conversation, .after(.timestamp(0)), limit: 10) == ["off"])
    }

    @Test("TARGETS names a registered account by its account name, whatever nick it wrote under")
    func targetsNameAccounts() throws {
        let fixture = try StoreFixture()
        guard case .registered? = fixture.complete({ $0.register(account: "Alice", email: nil, password: "alice password") }) else {
            Issue.record("registration failed")
            return
        }
        fixture.appendAll([
            Messages.direct("n1", at: 1000, from: .account("alice"), senderNick: "alice_away", to: .account("bob")),
            Messages.direct("n2", at: 2000, from: .nick("Guest7"), to: .account("bob")),
        ])
        let request = TargetsRequest(requester: .account("bob"), rooms: [], fromMs: 0, toMs: 5000, limit: 10)
        guard case .targets(let list)? = fixture.complete({ $0.targets(request) }) else {
            Issue.record("no targets result")
            return
        }
        #expect(list.map(\.name) == ["Alice", "Guest7"])
    }

    @Test("an offline DM to an account shows up in that account's TARGETS and history")
    func offlineDelivery() throws {
        let fixture = try StoreFixture()
        fixture.appendAll([Messages.direct("o1", at: 10_000, from: .account("alice"), to: .account("bob"), targetName: "bob")])
        let request = TargetsRequest(requester: .account("bob"), rooms: [], fromMs: 5_000, toMs: 20_000, limit: 10)
        guard case .targets(let list)? = fixture.complete({ $0.targets(request) }) else {
            Issue.record("no targets result")
            return
        }
        #expect(list == [HistoryTarget(name: "alice", conversation: .direct(.account("alice")), latestTimeMs: 10_000)])
        #expect(fixture.page(.account("bob"), .direct(.account("alice")), .after(.timestamp(5_000)), limit: 10) == ["o1"])
    }
}
