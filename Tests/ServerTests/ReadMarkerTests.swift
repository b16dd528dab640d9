import Testing
import Shared

@Suite("Read markers (draft/read-marker)")
struct ReadMarkerTests {
    private static let caps = historyCaps + ["draft/read-marker"]

    @Test("two sessions of one account share read markers: a MARKREAD on one reaches the other, and they only move forward")
    func sharedBetweenSessions() throws {
        let server = try ChatServer.start()
        let laptop = try server.accountClient("bob", password: "correct-horse", caps: Self.caps)
        let phone = try server.saslClient("bob_phone", account: "bob", password: "correct-horse", caps: Self.caps)
        let alice = try server.client("alice", caps: historyCaps)
        let sent = try alice.sendAndCollectEchoes(to: "bob", ["one", "two"])

        try phone.send("MARKREAD alice")
        #expect(try phone.expect("MARKREAD", "alice").param(1) == "*")

        try laptop.send("MARKREAD alice \(sent[1].timestampBound)")
        #expect(try laptop.expect("MARKREAD", "alice").param(1) == sent[1].timestampBound)
        #expect(try phone.expect("MARKREAD", "alice").param(1) == sent[1].timestampBound)
        try phone.send("MARKREAD ALICE")
        #expect(try phone.expect("MARKREAD").param(1) == sent[1].timestampBound)

        // An older timestamp does not move the marker back; the answer is the marker as it stands.
        try phone.send("MARKREAD alice \(sent[0].timestampBound)")
        #expect(try phone.expect("MARKREAD", "alice").param(1) == sent[1].timestampBound)

        // A later session sees the same marker.
        let tablet = try server.saslClient("bob_tablet", account: "bob", password: "correct-horse", caps: Self.caps)
        try tablet.send("MARKREAD alice")
        #expect(try tablet.expect("MARKREAD", "alice").param(1) == sent[1].timestampBound)
        // Other accounts' sessions hear nothing.
        try alice.expectNone("someone else's MARKREAD") { $0.command == "MARKREAD" }
    }

    @Test("joining a room sends its read marker to clients with the cap")
    func sentOnJoin() throws {
        let server = try ChatServer.start()
        let laptop = try server.accountClient("bob", password: "correct-horse", caps: Self.caps)
        try laptop.send("JOIN #team")
        let first = try laptop.expect("MARKREAD", "#team", within: 10)
        #expect(first.param(1) == "*")
        let mark = timestampBound(IRCTime.nowMilliseconds())
        try laptop.send("MARKREAD #team \(mark)")
        try laptop.expect("MARKREAD", "#team", mark)
        let phone = try server.saslClient("bob_phone", account: "bob", password: "correct-horse", caps: Self.caps)
        try phone.send("JOIN #TEAM")
        #expect(try phone.expect("MARKREAD", within: 10) { $0.command == "MARKREAD" }.params == ["#team", mark])
    }

    @Test("MARKREAD needs an account and a valid timestamp")
    func refusals() throws {
        let server = try ChatServer.start()
        let guest = try server.client("guest", caps: Self.caps)
        try guest.send("MARKREAD alice")
        let refused = try guest.expect("FAIL", "MARKREAD")
        #expect(refused.param(1) == "ACCOUNT_REQUIRED")
        let bob = try server.accountClient("bob", password: "correct-horse", caps: Self.caps)
        for bad in ["MARKREAD alice yesterday", "MARKREAD alice timestamp=2024-13-01T00:00:00.000Z", "MARKREAD alice msgid=abc", "MARKREAD bad,target"] {
            try bob.send(bad)
            let failure = try bob.expect("FAIL", "MARKREAD")
            #expect(failure.param(1) == "INVALID_PARAMS", "\(bad) -> \(failure.wireLine)")
        }
        try bob.send("MARKREAD")
        try bob.expect(IRCNumeric.needMoreParams)
    }
}
