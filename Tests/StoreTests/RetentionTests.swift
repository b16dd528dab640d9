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

    @Test("without historyDays nothing expires")
    func keepForever() throws {
        let fixture = try StoreFixture { $0.clock = { 1_000 * Self.day } }
        fixture.appendAll([Messages.room("ancient", at: 1)])
        #expect(fixture.complete { $0.purgeExpiredHistory() } == .purged(count: 0))
        #expect(fixture.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 10) == ["ancient"])
    }
}
