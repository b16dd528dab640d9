import ChatStore
import Testing

/// Ten room messages; three share 3000 ms and two share 6000 ms, so ties are ordered by storage.
///
///     m0 1000  m1 2000  m2 3000  m3 3000  m4 3000  m5 4000  m6 5000  m7 6000  m8 6000  m9 7000
@Suite("CHATHISTORY forms and edges")
final class HistoryQueryTests {
    let fixture: StoreFixture
    let times: [Int64] = [1000, 2000, 3000, 3000, 3000, 4000, 5000, 6000, 6000, 7000]

    init() throws {
        fixture = try StoreFixture()
        fixture.appendAll(times.enumerated().map { Messages.room("m\($0.offset)", at: $0.element) })
        // Another conversation in the same millisecond range must never leak in.
        fixture.appendAll([Messages.room("other", at: 3000, in: "#elsewhere")])
    }

    private func query(_ query: HistoryQuery, _ limit: Int, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        // The room name is given in another case: conversations are casefolded.
        fixture.page(.nick("reader"), .room("#ROOM"), query, limit: limit, sourceLocation: sourceLocation) ?? ["<failed>"]
    }

    private func ids(_ range: ClosedRange<Int>) -> [String] { range.map { "m\($0)" } }

    @Test("LATEST * returns the newest, ascending")
    func latestStar() {
        #expect(query(.latest(after: nil), 3) == ["m7", "m8", "m9"])
        #expect(query(.latest(after: nil), 100) == ids(0...9))
    }

    @Test("LATEST with a bound excludes the bound and everything before it")
    func latestBounded() {
        #expect(query(.latest(after: .timestamp(3000)), 100) == ids(5...9))
        #expect(query(.latest(after: .msgid("m3")), 100) == ids(4...9))
        #expect(query(.latest(after: .msgid("m3")), 2) == ["m8", "m9"])
        #expect(query(.latest(after: .msgid("m9")), 10) == [])
    }

    @Test("BEFORE is exclusive and takes the newest before the bound")
    func before() {
        #expect(query(.before(.timestamp(3000)), 10) == ["m0", "m1"])
        #expect(query(.before(.msgid("m3")), 10) == ["m0", "m1", "m2"])
        #expect(query(.before(.msgid("m4")), 2) == ["m2", "m3"])
        #expect(query(.before(.msgid("m0")), 10) == [])
        #expect(query(.before(.timestamp(1000)), 10) == [])
        #expect(query(.before(.timestamp(99_999)), 2) == ["m8", "m9"])
    }

    @Test("AFTER is exclusive and takes the oldest after the bound")
    func after() {
        #expect(query(.after(.timestamp(3000)), 2) == ["m5", "m6"])
        #expect(query(.after(.timestamp(2999)), 2) == ["m2", "m3"])
        #expect(query(.after(.msgid("m2")), 2) == ["m3", "m4"])
        #expect(query(.after(.msgid("m9")), 10) == [])
        #expect(query(.after(.timestamp(0)), 100) == ids(0...9))
    }

    @Test("paging backwards and forwards by msgid visits every message once, even across equal timestamps")
    func pagingCoversEverything() {
        var backwards = query(.latest(after: nil), 2)
        var rounds = 0
        while let first = backwards.first, rounds < 20 {
            let page = query(.before(.msgid(first)), 2)
            if page.isEmpty { break }
            backwards = page + backwards
            rounds += 1
        }
        #expect(backwards == ids(0...9))

        var forwards = query(.after(.timestamp(0)), 3)
        rounds = 0
        while let last = forwards.last, rounds < 20 {
            let page = query(.after(.msgid(last)), 3)
            if page.isEmpty { break }
            forwards += page
            rounds += 1
        }
        #expect(forwards == ids(0...9))
    }

    @Test("AROUND a msgid includes it, with about half the page on each side")
    func aroundMsgid() {
        #expect(query(.around(.msgid("m4")), 1) == ["m4"])
        #expect(query(.around(.msgid("m4")), 3) == ["m3", "m4", "m5"])
        #expect(query(.around(.msgid("m4")), 4) == ["m2", "m3", "m4", "m5"])
        #expect(query(.around(.msgid("m0")), 3) == ["m0", "m1", "m2"])
        #expect(query(.around(.msgid("m9")), 3) == ["m7", "m8", "m9"])
        #expect(query(.around(.msgid("m5")), 100) == ids(0...9))
    }

    @Test("AROUND a timestamp splits the page at that millisecond")
    func aroundTimestamp() {
        #expect(query(.around(.timestamp(3000)), 3) == ["m1", "m2", "m3"])
        #expect(query(.around(.timestamp(3500)), 4) == ["m3", "m4", "m5", "m6"])
        #expect(query(.around(.timestamp(1)), 2) == ["m0", "m1"])
    }

    @Test("BETWEEN excludes both bounds and pages from the first bound, in either order")
    func between() {
        #expect(query(.between(.timestamp(1000), .timestamp(6000)), 100) == ids(1...6))
        #expect(query(.between(.timestamp(6000), .timestamp(1000)), 100) == ids(1...6))
        #expect(query(.between(.timestamp(1000), .timestamp(6000)), 2) == ["m1", "m2"])
        #expect(query(.between(.timestamp(6000), .timestamp(1000)), 2) == ["m5", "m6"])
        #expect(query(.between(.msgid("m2"), .msgid("m4")), 10) == ["m3"])
        #expect(query(.between(.msgid("m4"), .msgid("m2")), 10) == ["m3"])
        #expect(query(.between(.msgid("m3"), .timestamp(3000)), 10) == [])
        #expect(query(.between(.msgid("m3"), .msgid("m3")), 10) == [])
        #expect(query(.between(.msgid("m1"), .timestamp(6000)), 10) == ids(2...6))
        #expect(query(.between(.timestamp(3000), .timestamp(3000)), 10) == [])
    }

    @Test("a msgid that is unknown or belongs to another conversation gives an empty page")
    func foreignMsgid() {
        #expect(query(.before(.msgid("nope")), 10) == [])
        #expect(query(.after(.msgid("other")), 10) == [])
        #expect(query(.around(.msgid("other")), 10) == [])
        #expect(query(.between(.msgid("other"), .timestamp(99_999)), 10) == [])
    }

    @Test("the limit is clamped to at least one and at most the configured maximum")
    func limitClamp() throws {
        #expect(query(.latest(after: nil), 0) == ["m9"])
        let small = try StoreFixture { $0.maxQueryLimit = 4 }
        small.appendAll(times.enumerated().map { Messages.room("m\($0.offset)", at: $0.element) })
        #expect(small.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 100) == ids(6...9))
    }

    @Test("history off: appends are confirmed without storing, queries answer empty")
    func historyOff() throws {
        let off = try StoreFixture { $0.historyEnabled = false }
        let ticket = off.store.append(Messages.room("m1", at: 1))
        #expect(off.waiter.result(of: ticket, on: off.store) == .messageStored(msgid: "m1", stored: false))
        #expect(off.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 10) == [])
        #expect(try off.store.database.messageCount() == 0)
    }
}
