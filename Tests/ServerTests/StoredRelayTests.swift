import Testing
import Shared

/// With history on, recipients get a message at once and only the sender's echo waits for the commit.
@Suite("Stored relay: recipients first, echo after the commit")
struct StoredRelayTests {
    @Test("a stored message is not overtaken by the sender's next line, which is not stored")
    func storedMessageKeepsItsPlace() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        for client in [alice, bob] {
            try client.send("JOIN #order")
            try client.expect("JOIN")
        }
        _ = try alice.sync()
        _ = try bob.sync()
        // One write: the PRIVMSG is stored, the PART is not; bob must see them in the order sent.
        for round in 1...20 {
            try alice.sendRaw(Array("PRIVMSG #order :last words \(round)\r\nPART #order :gone\r\nJOIN #order\r\n".utf8))
            let seen = try bob.collect(until: "alice's PART in round \(round)") { $0.command == "PART" }
            let said = seen.firstIndex { $0.command == "PRIVMSG" && $0.param(1) == "last words \(round)" }
            #expect(said != nil, "round \(round): bob saw the PART without the message before it: \(seen.map(\.wireLine))")
            try bob.expect("JOIN") { $0.source?.hasPrefix("alice!") == true }
        }
    }

    @Test("the echo comes only once the message is in history, and recipients have it by then")
    func echoMeansStored() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        for round in 1...10 {
            let echoes = try alice.sendAndCollectEchoes(to: "bob", ["note \(round)"])
            let echoed = try #require(echoes.first)
            // Asked the moment the echo arrived: a message the sender saw confirmed is already stored.
            let stored = try alice.history("LATEST bob * 1")
            #expect(stored.map(\.msgid) == [echoed.msgid], "round \(round)")
            let received = try bob.expect("PRIVMSG", "bob", "note \(round)")
            #expect(received.tag("msgid") == echoed.msgid)
        }
    }
}
