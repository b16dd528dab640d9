@testable import ChatStore
import GRDB
import Shared
import Testing

/// `stageDirect` stores a direct message from its bytes: the chunks and the CHATHISTORY answers
/// must be exactly those of the same messages staged as ``NewMessage``s.
@Suite("Direct messages staged from bytes")
struct StagedDirectTests {
    typealias Fixture = StagedAppendTests.Fixture

    /// A run with what the fast path meets: ranged msgids, a literal one, two senders (one logged
    /// in), a nick change under the same route hint, NOTICE, empty and non-ASCII text, and a
    /// tagged message staged whole in between.
    static let messages: [(message: NewMessage, hint: UInt64)] = {
        func direct(_ msgid: String, _ time: Int64, from nick: String, account: String?, to recipient: HistoryParty,
                    target: String, command: String = "PRIVMSG", text: String, tags: [IRCTag] = [], hint: UInt64) -> (NewMessage, UInt64) {
            (NewMessage(msgid: msgid, timeMs: time, senderSource: "\(nick)!u@127.0.0.1", senderNick: nick, senderAccount: account,
                        destination: .direct(recipient), targetName: target, command: command, text: text, tags: tags), hint)
        }
        var result: [(NewMessage, UInt64)] = []
        for index in 0..<40 {
            let counter = String(index + 36, radix: 36)
            result.append(direct("abcdefgh" + counter, 1_000 + Int64(index), from: "alice", account: "alice", to: .nick("bob"),
                                 target: "bob", text: "hello \(index)", hint: 11))
            result.append(direct("abcdefgh" + counter + "z", 1_000 + Int64(index), from: "bob", account: nil, to: .account("alice"),
                                 target: "Alice", command: index % 5 == 0 ? "NOTICE" : "PRIVMSG", text: index % 7 == 0 ? "" : "héllo ✓ \(index)", hint: 12))
        }
        result.append(direct("literal-msgid-1", 2_000, from: "alice", account: "alice", to: .nick("bob"), target: "bob", text: "odd id", hint: 11))
        result.append(direct("abcdefghzz1", 2_001, from: "alice", account: "alice", to: .nick("bob"), target: "bob", text: "tagged",
                             tags: [IRCTag("+draft/reply", "abcdefgh10")], hint: 11))
        // Same hint, new nick: the route row must not be reused.
        result.append(direct("abcdefghzz2", 2_002, from: "alice2", account: "alice", to: .nick("bob"), target: "bob", text: "renamed", hint: 11))
        result.append(direct("abcdefghzz3", 2_003, from: "carol", account: nil, to: .nick("bob"), target: "BOB", text: "third party", hint: 0))
        return result
    }()

    static func stageDirect(_ message: NewMessage, hint: UInt64, into store: ChatStore) -> StoreTicket {
        guard message.tags.isEmpty else { return store.stageAppend(message, routeHint: hint) }
        var text = message.text
        return text.withUTF8 { bytes in
            store.stageDirect(
                msgid: message.msgid, timeMs: message.timeMs, senderSource: message.senderSource, senderNick: message.senderNick,
                senderAccount: message.senderAccount, destination: message.destination, targetName: message.targetName,
                command: message.command, text: bytes, routeHint: hint)
        }
    }

    static func chunks(_ path: String) throws -> [[DatabaseValue]] {
        try SideConnection.open(path).read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, target_key, min_ms, max_ms, message_count, msgid_prefix, range_first, range_last, body
                FROM chunk ORDER BY id
                """).map { Array($0.databaseValues) }
        }
    }

    static func history(_ fixture: Fixture) throws -> [[StoredMessage]] {
        let queries: [(HistoryParty, HistoryConversation)] = [
            (.account("alice"), .direct(.nick("bob"))), (.nick("bob"), .direct(.account("alice"))), (.nick("bob"), .direct(.nick("carol"))),
        ]
        return try queries.map { requester, conversation in
            try fixture.store.database.history(HistoryRequest(requester: requester, conversation: conversation, query: .latest(after: nil), limit: 1000))
        }
    }

    @Test("the same messages staged as NewMessage and from bytes give byte-identical chunks and the same history")
    func sameChunks() throws {
        let whole = try Fixture()
        let direct = try Fixture()
        // Two turns each, so ranged counters continue across runs.
        for half in [Self.messages.prefix(50), Self.messages.dropFirst(50)] {
            let wholeTickets = half.map { whole.store.stageAppend($0.message, routeHint: $0.hint) }
            let directTickets = half.map { Self.stageDirect($0.message, hint: $0.hint, into: direct.store) }
            whole.store.handOffStagedAppends()
            direct.store.handOffStagedAppends()
            let wholeDone = whole.completions.waitFor(wholeTickets[wholeTickets.count - 1], on: whole.store)
            let directDone = direct.completions.waitFor(directTickets[directTickets.count - 1], on: direct.store)
            #expect(wholeDone.last?.result == .messagesStored(through: wholeTickets[wholeTickets.count - 1]))
            #expect(directDone.last?.result == .messagesStored(through: directTickets[directTickets.count - 1]))
        }
        let wholeHistory = try Self.history(whole)
        #expect(Set(wholeHistory.joined().map(\.msgid)) == Set(Self.messages.map(\.message.msgid)), "every message is found")
        #expect(try Self.history(direct) == wholeHistory)
        whole.store.close()
        direct.store.close()
        let wholeChunks = try Self.chunks(whole.path)
        #expect(!wholeChunks.isEmpty)
        #expect(try Self.chunks(direct.path) == wholeChunks)
    }

    @Test("a repeated msgid staged from bytes fails alone, named by its text")
    func duplicateFromBytes() throws {
        let fixture = try Fixture()
        let (first, hint) = Self.messages[0]
        _ = Self.stageDirect(first, hint: hint, into: fixture.store)
        let repeated = Self.stageDirect(first, hint: hint, into: fixture.store)
        let (next, nextHint) = Self.messages[2]
        let after = Self.stageDirect(next, hint: nextHint, into: fixture.store)
        fixture.store.handOffStagedAppends()
        let completions = fixture.completions.waitFor(after, on: fixture.store)
        guard case .messageFailed(let msgid, let error)? = completions.first(where: { $0.ticket == repeated })?.result else {
            Issue.record("the repeat was not refused: \(completions)")
            return
        }
        #expect(msgid == first.msgid)
        #expect(error.description.contains("duplicate"))
        #expect(completions.last?.result == .messagesStored(through: after))
    }
}
