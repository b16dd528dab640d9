import Testing
import Shared

/// The direct-message fast path must be invisible: every line it relays is byte for byte what the
/// general path writes for the same message (only msgid and time values differ), for every set of
/// tag capabilities, with echoes, accounts, away replies and history; and whatever it leaves to the
/// general path still gets the general path's answer.
///
/// Each message is sent three times: in the fast path's form (`PRIVMSG nick :text`), and in two forms
/// it leaves to the parser that mean the same (a lower-case command; a tag that is not relayed).
@Suite("Direct-message fast path: same bytes as the general path")
struct DirectMessageFastPathTests {
    private static let texts = ["hello there", "oneword", ":starts with a colon", "ünïcödé 👋 and\ta tab"]

    private static func forms(_ command: String, to target: String, _ text: String) -> [String] {
        ["\(command) \(target) :\(text)", "\(command.lowercased()) \(target) :\(text)", "@example.com/unrelayed=1 \(command) \(target) :\(text)"]
    }

    @Test("recipients with each tag capability set, and echoes, get the same bytes (history on)")
    func sameBytesWithHistory() throws {
        let server = try ChatServer.start()
        try compareAllForms(server)
    }

    @Test("recipients with each tag capability set, and echoes, get the same bytes (history off)")
    func sameBytesWithoutHistory() throws {
        let server = try ChatServer.start(["--no-history"])
        try compareAllForms(server)
    }

    private func compareAllForms(_ server: ServerProcess) throws {
        let recipients = [
            try server.client("plain"),
            try server.client("timed", caps: ["server-time"]),
            try server.client("tagged", caps: ["message-tags", "server-time", "account-tag"]),
            try server.client("echoing", caps: ["echo-message"]),
        ]
        let guest = try server.client("guest")
        let echoer = try server.client("echoer", caps: ["echo-message", "message-tags", "server-time"])
        let senders: [(client: TestClient, echoes: Bool)] = [(guest, false), (echoer, true)]
        var compared = 0
        for (sender, echoes) in senders {
            for recipient in recipients {
                for command in ["PRIVMSG", "NOTICE"] {
                    for text in Self.texts {
                        try compare(command, text, from: sender, echoes: echoes, to: recipient)
                        compared += 1
                    }
                }
            }
        }
        #expect(compared == 2 * 4 * 2 * Self.texts.count)
    }

    @Test("a logged-in sender's account tag, its held echo and the stored history are the same")
    func accountAndHistory() throws {
        let server = try ChatServer.start()
        let tagged = try server.client("tagged", caps: ["message-tags", "server-time", "account-tag"])
        let plain = try server.client("plain")
        let sender = try server.accountClient("owner", password: "fast-path-secret")
        for recipient in [tagged, plain] {
            for text in Self.texts {
                let lines = try compare("PRIVMSG", text, from: sender, echoes: true, to: recipient)
                if recipient === tagged {
                    #expect(lines.contains("account=owner"), "\(lines)")
                }
            }
        }
        // History holds each form once, in order, replayed identically.
        let replayed = try sender.historyLines("LATEST tagged * 100")
        #expect(replayed.count == 3 * Self.texts.count)
        let masked = replayed.map { Self.masked(Array($0.wireLine.utf8), alsoMasking: ["batch"]) }
        for start in stride(from: 0, to: masked.count - 2, by: 3) {
            #expect(masked[start] == masked[start + 1] && masked[start] == masked[start + 2], "\(masked[start...(start + 2)])")
        }
        #expect(replayed.map { $0.params.last ?? "" } == Self.texts.flatMap { [$0, $0, $0] })
    }

    @Test("PRIVMSG to someone away gets the same 301 first; NOTICE gets none")
    func awayReply() throws {
        let server = try ChatServer.start()
        let sender = try server.client("sender", caps: ["server-time"])
        let away = try server.client("away")
        try away.send("AWAY :out to lunch")
        try away.expectNumeric(IRCNumeric.nowAway)
        for command in ["PRIVMSG", "NOTICE"] {
            var seen: [[String]] = []
            for form in Self.forms(command, to: "away", "are you there") {
                let start = sender.rawLines.count
                try sender.send(form)
                try away.expect(command, "away")
                try sender.sync()
                seen.append(sender.rawLines[start...].map { Self.masked($0) }.filter { !$0.contains(" PONG ") })
            }
            #expect(seen.allSatisfy { $0 == seen[0] }, "\(seen)")
            if command == "PRIVMSG" {
                #expect(seen[0].count == 1 && seen[0][0].contains(" 301 sender away :out to lunch"), "\(seen[0])")
            } else {
                #expect(seen[0].isEmpty, "\(seen[0])")
            }
        }
    }

    @Test("lines the fast path leaves alone still get the general path's answer")
    func fallbacksAnswered() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        func refused(_ bytes: [UInt8], _ check: (IRCMessage) -> Bool, _ what: String) throws {
            try alice.sendRaw(bytes + [0x0D, 0x0A])
            try alice.expect(what, where: check)
            try bob.expectNone("a relayed \(what) line") { $0.command == "PRIVMSG" || $0.command == "NOTICE" }
        }
        try refused(Array("PRIVMSG bob :".utf8) + [0x61, 0xFF, 0xFE, 0x62], { $0.command == "FAIL" && $0.param(0) == "PRIVMSG" && $0.param(1) == "INVALID_UTF8" }, "FAIL PRIVMSG INVALID_UTF8")
        try refused(Array("PRIVMSG bob :a".utf8) + [0x00] + Array("b".utf8), { $0.command == "FAIL" && $0.param(1) == "INVALID_PARAMS" }, "FAIL INVALID_PARAMS for NUL")
        try refused(Array("PRIVMSG bob :a".utf8) + [0x0D] + Array("b".utf8), { $0.command == "FAIL" && $0.param(1) == "INVALID_PARAMS" }, "FAIL INVALID_PARAMS for CR")
        try refused(Array("PRIVMSG bob :".utf8) + Array(repeating: 0x61, count: 600), { $0.command == IRCNumeric.inputTooLong }, "417 for an over-long line")
        // Fits in 510 bytes as sent, not once `:alice!alice@127.0.0.1 ` is added.
        let nearlyFull = Array("PRIVMSG bob :".utf8) + Array(repeating: 0x61, count: 510 - 13)
        try refused(nearlyFull, { $0.command == IRCNumeric.inputTooLong && $0.params.last?.contains("with your prefix added") == true }, "417 for the prefix")
        try refused(Array("PRIVMSG bob :".utf8), { $0.command == IRCNumeric.noTextToSend }, "412 for empty text")
        try refused(Array("PRIVMSG bob".utf8), { $0.command == IRCNumeric.noTextToSend }, "412 for no text")
        try refused(Array("PRIVMSG".utf8), { $0.command == IRCNumeric.noRecipient }, "411 for no target")
        try refused(Array("PRIVMSG nobody :hi".utf8), { $0.command == IRCNumeric.noSuchNick && $0.param(1) == "nobody" }, "401 for an unknown nick")
        // A NOTICE to nobody is silently dropped; the next PRIVMSG still works.
        try alice.send("NOTICE nobody :hi")
        try alice.expectNone("an error for NOTICE") { $0.command == IRCNumeric.noSuchNick }
        try alice.send("PRIVMSG bob :after the errors")
        #expect(try bob.expect("PRIVMSG", "bob").params.last == "after the errors")

        // Legal forms the fast path leaves to the parser still arrive as the parser reads them.
        try alice.send("PRIVMSG bob word")
        #expect(try bob.expect("PRIVMSG", "bob").params.last == "word")
        try alice.send("PRIVMSG bob  :two spaces")
        #expect(try bob.expect("PRIVMSG", "bob").params.last == "two spaces")
        try alice.send("PRIVMSG BOB,bob :one target twice")
        #expect(try bob.expect("PRIVMSG", "bob").params.last == "one target twice")
        try bob.expectNone("a second copy") { $0.command == "PRIVMSG" }

        // Before registration the fast path does nothing: 451.
        let early = try server.connection("early")
        try early.send("PRIVMSG bob :too early")
        try early.expectNumeric(IRCNumeric.notRegistered)
        try bob.expectNone("a message from an unregistered client") { $0.command == "PRIVMSG" }
    }

    @Test("a sender's remembered target follows nick changes, a new owner of the nick, case and quits")
    func rememberedTargetFollowsTheNickTable() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        let carol = try server.client("carol")
        try alice.send("PRIVMSG bob :one")
        #expect(try bob.expect("PRIVMSG", "bob").params.last == "one")

        // bob becomes bobby and carol takes the name: "bob" now means carol.
        try bob.send("NICK bobby")
        _ = try bob.expect("NICK", "bobby")
        try carol.send("NICK bob")
        _ = try carol.expect("NICK", "bob")
        try alice.send("PRIVMSG bob :two")
        #expect(try carol.expect("PRIVMSG", "bob").params.last == "two")
        // Same name in other case (and rfc1459 folding): still carol.
        try alice.send("PRIVMSG BOB :three")
        #expect(try carol.expect("PRIVMSG", "bob").params.last == "three")
        // Messages to one client arrive in order: bobby's first PRIVMSG is the one sent to bobby.
        try alice.send("PRIVMSG bobby :four")
        #expect(try bob.expect("PRIVMSG", "bobby").params.last == "four")

        // The remembered recipient leaves: the name is unknown again.
        try bob.send("QUIT :bye")
        _ = try bob.expectClosed()
        try alice.send("PRIVMSG bobby :five")
        #expect(try alice.expectNumeric(IRCNumeric.noSuchNick).param(1) == "bobby")
        // A newcomer under that name gets the next one.
        let newcomer = try server.client("bobby")
        try alice.send("PRIVMSG bobby :six")
        #expect(try newcomer.expect("PRIVMSG", "bobby").params.last == "six")
    }

    @Test("a sender renamed between two direct messages of one read is stored under each name")
    func renameWithinOneTurnIsStored() throws {
        let server = try ChatServer.start(["--flood-rate", "0"])
        let alice = try server.client("alice", caps: ["echo-message"])
        let bob = try server.client("bob", caps: historyCaps)
        // One write, so one read and one loop turn: the store's route row for alice -> bob from the
        // first message must not serve the second.
        try alice.sendRaw(Array("PRIVMSG bob :one\r\nNICK alice2\r\nPRIVMSG bob :two\r\n".utf8))
        let first = try bob.expect("PRIVMSG", "bob")
        let second = try bob.expect("PRIVMSG", "bob")
        // The echo of the second waits for its commit, which covers the first too.
        _ = try alice.expect("the echo of two") { $0.command == "PRIVMSG" && $0.params.last == "two" }
        #expect(first.params.last == "one" && first.source?.hasPrefix("alice!") == true, "\(first.wireLine)")
        #expect(second.params.last == "two" && second.source?.hasPrefix("alice2!") == true, "\(second.wireLine)")
        let before = try bob.historyLines("LATEST alice * 10")
        let after = try bob.historyLines("LATEST alice2 * 10")
        #expect(before.map { $0.params.last ?? "" } == ["one"] && before.first?.source == first.source, "\(before.map(\.wireLine))")
        #expect(after.map { $0.params.last ?? "" } == ["two"] && after.first?.source == second.source, "\(after.map(\.wireLine))")
    }

    /// Sends every form of one message and expects identical bytes at the recipient (and the echo).
    /// Returns the recipient's masked line.
    @discardableResult
    private func compare(_ command: String, _ text: String, from sender: TestClient, echoes: Bool, to recipient: TestClient) throws -> String {
        var seen: [[String]] = []
        for form in Self.forms(command, to: recipient.nick, text) {
            let recipientStart = recipient.rawLines.count
            let senderStart = sender.rawLines.count
            try sender.send(form)
            var lines = [try delivered(command, to: recipient, since: recipientStart)]
            if echoes { lines.append(try delivered(command, to: sender, since: senderStart)) }
            seen.append(lines)
        }
        #expect(seen.allSatisfy { $0 == seen[0] }, "\(command) \(text) from \(sender.nick) to \(recipient.nick): \(seen)")
        let line = seen[0][0]
        #expect(line.contains(" \(command) \(recipient.nick) ") && line.hasSuffix(text), "\(line)")
        return line
    }

    /// Waits for the `command` line and returns its raw bytes, masked.
    private func delivered(_ command: String, to client: TestClient, since start: Int) throws -> String {
        _ = try client.expect(command) { $0.command == command }
        for raw in client.rawLines[start...] {
            if let message = try? IRCMessage.parse(raw), message.command == command { return Self.masked(raw) }
        }
        throw client.failure("\(command) expected among the raw lines")
    }

    /// The line as text with the values of `time` and `msgid` (and any `alsoMasking` tag) replaced.
    private static func masked(_ raw: [UInt8], alsoMasking extra: [String] = []) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        guard text.hasPrefix("@"), let space = text.firstIndex(of: " ") else { return text }
        let keys = ["time", "msgid"] + extra
        let tags = text[text.index(after: text.startIndex)..<space].split(separator: ";", omittingEmptySubsequences: false).map { item in
            let key = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return keys.contains(key) ? key + "=<\(key)>" : String(item)
        }
        return "@" + tags.joined(separator: ";") + text[space...]
    }
}
