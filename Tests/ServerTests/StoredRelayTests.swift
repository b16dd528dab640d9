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

    @Test("with a tiny store backlog, reading pauses and resumes: 10,000 DMs arrive in order, all echoed and stored",
          .timeLimit(.minutes(1)))
    func backPressureLosesNothing() throws {
        let folder = try TemporaryFolder("chat-backlog")
        // A file, not :memory:, so commits take real time and the backlog of 8 is crossed again and again.
        let server = try ChatServer.start(database: folder.file("chat.db"), ["--flood-rate", "0", "--store-backlog", "8", "--sendq", String(8 << 20)])
        let alice = try server.client("alice", caps: historyCaps)
        let bob = try server.client("bob", caps: historyCaps)
        let total = 10_000
        // About 1 MB: many reads, so reading pauses and resumes many times within the burst.
        let padding = String(repeating: "x", count: 80)
        var burst: [UInt8] = []
        for index in 1...total { burst += Array("PRIVMSG bob :burst \(index) \(padding)\r\n".utf8) }
        try alice.sendRaw(burst, within: 30)
        var next = 1
        let deadline = Deadline(seconds: 40)
        while next <= total {
            guard let message = try bob.nextMessage(within: Double(deadline.remainingMilliseconds) / 1000) else {
                Issue.record("bob stopped receiving at \(next) of \(total)")
                return
            }
            guard message.command == "PRIVMSG" else { continue }
            #expect(message.param(1) == "burst \(next) \(padding)")
            next += 1
        }
        let echoes = try alice.collectEchoes(to: "bob", count: total, within: 40)
        #expect(echoes.count == total)
        // Still reading after all that: a fresh line gets its answer.
        let stored = try bob.history("LATEST alice * 2")
        #expect(stored.map(\.text) == ["burst \(total - 1) \(padding)", "burst \(total) \(padding)"])
    }
}
