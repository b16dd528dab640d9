import Testing
@testable import Shared

@Suite("IRCTime")
struct IRCTimeTests {
    @Test("formats UTC with millisecond precision", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_700_000_000_123), "2023-11-14T22:13:20.123Z"),
        (Int64(951_782_400_007), "2000-02-29T00:00:00.007Z"),
        (Int64(4_102_444_799_999), "2099-12-31T23:59:59.999Z"),
    ])
    func format(_ pair: (Int64, String)) {
        #expect(IRCTime.format(millisecondsSince1970: pair.0) == pair.1)
        #expect(IRCTime.parse(pair.1) == pair.0)
    }

    @Test("fractional seconds are optional and may have any number of digits")
    func fractions() {
        #expect(IRCTime.parse("2023-11-14T22:13:20Z") == 1_700_000_000_000)
        #expect(IRCTime.parse("2023-11-14T22:13:20.1Z") == 1_700_000_000_100)
        #expect(IRCTime.parse("2023-11-14T22:13:20.12Z") == 1_700_000_000_120)
        #expect(IRCTime.parse("2023-11-14T22:13:20.123456Z") == 1_700_000_000_123)
    }

    @Test("garbage is refused", arguments: [
        "", "now", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14T22:13:20.123", "2023-11-14 22:13:20Z",
        "2023-11-14T22:13:2xZ", "2023-11-14T22:13:20.abcZ", "YYYY-11-14T22:13:20.000Z",
        "2023-11-14T22:13:20.Z", "2023/11/14T22:13:20.000Z", "2023-13-14T22:13:20.000Z", "2023-11-14T25:13:20.000Z",
    ])
    func garbage(_ text: String) {
        #expect(IRCTime.parse(text) == nil)
    }

    @Test("now is close to the wall clock and round-trips through the format")
    func now() {
        let now = IRCTime.nowMilliseconds()
        #expect(now > 1_700_000_000_000)
        #expect(IRCTime.parse(IRCTime.format(millisecondsSince1970: now)) == now)
    }
}

@Suite("ISupport (client side)")
struct ISupportTests {
    @Test("collects tokens from several 005 lines, with values, bare tokens and removals")
    func collect() throws {
        var table = ISupport()
        table.apply(try IRCMessage.parse(":srv 005 me CASEMAPPING=ascii CHANTYPES=# PREFIX=(ov)@+ MONITOR=100 UTF8ONLY :are supported"))
        table.apply(try IRCMessage.parse(":srv 005 me NETWORK=Test\\x20Net NICKLEN=30 -UTF8ONLY :are supported"))
        #expect(table.caseMapping == .ascii)
        #expect(table.channelTypes == "#")
        #expect(table.prefixes.map { "\($0.mode)\($0.symbol)" } == ["o@", "v+"])
        #expect(table.monitorLimit == 100)
        #expect(table["UTF8ONLY"] == nil)
        #expect(table["NETWORK"] == "Test Net")
        #expect(table["NICKLEN"] == "30")
        #expect(table["are supported"] == nil)
    }

    @Test("defaults when nothing was advertised")
    func defaults() {
        let table = ISupport()
        #expect(table.caseMapping == .rfc1459)
        #expect(table.channelTypes == "#")
        #expect(table.monitorLimit == nil)
        #expect(table.prefixes.count == 2)
    }

    @Test("MONITOR without a value means no limit")
    func monitorUnlimited() throws {
        var table = ISupport()
        table.apply(try IRCMessage.parse(":srv 005 me MONITOR :are supported"))
        #expect(table.monitorLimit == Int.max)
    }
}
