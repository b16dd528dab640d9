import ChatStore
import Testing

@Suite("Retention")
struct RetentionTests {
    static let day: Int64 = 86_400_000

    @Test("expired messages are hidden at once and purged on request and at open")
    func hideAndPurge() throws {
        let clock = TestClock(100 * Self.day)
        let fixture = try StoreFixture {
            $0.historyDays = 2
            $0.clock = clock.function
        }
        let now = clock.milliseconds
        fixture.appendAll([
            Messages.room("old", at: now - 3 * Self.day),
            Messages.room("edge", at: now - 2 * Self.day + 1_000),
            Messages.room("new", at: now - 1_000),
        ])
        #expect(fixture.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 10) == ["edge", "new"])
        #expect(fixture.page(.nick("x"), .room("#room"), .after(.timestamp(0)), limit: 10) == ["edge", "new"])
        #expect(fixture.page(.nick("x"), .room("#room"), .around(.msgid("old")), limit: 10) == [])
        #expect(try fixture.store.database.messageCount() == 3)

        #expect(fixture.complete { $0.purgeExpiredHistory() } == .purged(count: 1))
        #expect(try fixture.store.database.messageCount() == 2)

        clock.milliseconds += Self.day
        #expect(fixture.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 10) == ["new"])
        fixture.store.close()
        var configuration = fixture.store.configuration
        configuration.clock = clock.function
        let reopened = try StoreDatabase(configuration: configuration)
        #expect(try reopened.messageCount() == 1)
    }

    @Test("a direct conversation purged to nothing is listed by TARGETS again after its next message")
    func purgedConversationComesBack() throws {
        let clock = TestClock(100 * Self.day)
        let fixture = try StoreFixture {
            $0.historyDays = 2
            $0.clock = clock.function
        }
        let now = clock.milliseconds
        fixture.appendAll([
            Messages.direct("old", at: now - 3 * Self.day, from: .account("alice"), to: .account("bob")),
            Messages.direct("kept", at: now - 1_000, from: .account("alice"), to: .account("carol")),
        ])
        #expect(fixture.complete { $0.purgeExpiredHistory() } == .purged(count: 1))
        func targets() throws -> [String] {
            try fixture.store.database.targets(TargetsRequest(
                requester: .account("alice"), rooms: [], fromMs: 0, toMs: .max, limit: 10)).map(\.name)
        }
        #expect(try targets() == ["carol"])
        fixture.appendAll([Messages.direct("again", at: now, from: .account("bob"), to: .account("alice"))])
        #expect(try targets() == ["carol", "bob"])
    }

    @Test("without historyDays nothing expires")
    func keepForever() throws {
        let fixture = try StoreFixture { $0.clock = { 1_000 * Self.day } }
        fixture.appendAll([Messages.room("ancient", at: 1)])
        #expect(fixture.complete { $0.purgeExpiredHistory() } == .purged(count: 0))
        #expect(fixture.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 10) == ["ancient"])
    }
}
