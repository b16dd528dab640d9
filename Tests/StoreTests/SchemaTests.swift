@testable import ChatStore
import Foundation
import GRDB
import Testing

@Suite("Schema and opening")
struct SchemaTests {
    @Test("a fresh file is migrated, in WAL mode, and keeps its data when reopened")
    func freshFileAndReopen() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("chat.sqlite")
        #expect(!FileManager.default.fileExists(atPath: path))
        var configuration = StoreConfiguration(path: path)
        configuration.scrypt = .testing

        let waiter = CompletionWaiter()
        let store = try ChatStore(configuration: configuration, wake: waiter.wake)
        #expect(try store.database.journalMode() == "wal")
        let migrations = try store.database.appliedMigrations()
        #expect(migrations == [
            "v1: accounts, messages, read markers", "v2: covering indexes for TARGETS, no time index",
            "v3: direct conversations listed once, no party indexes", "v4: messages stored in chunks",
        ])
        let append = store.append(Messages.room("m1", at: 1_000))
        let register = store.register(account: "alice", email: nil, password: "correct horse")
        let results = waiter.wait(for: [append, register], on: store)
        #expect(results[append] == .messageStored(msgid: "m1", stored: true))
        guard case .registered(let info)? = results[register] else {
            Issue.record("registration did not complete: \(String(describing: results[register]))")
            return
        }
        #expect(info.name == "alice")
        store.close()

        let reopened = try StoreDatabase(configuration: configuration)
        #expect(try reopened.appliedMigrations() == migrations)
        #expect(try reopened.messageCount() == 1)
        #expect(try reopened.registeredAccountKeys() == ["alice"])
        if case .failure(let failure) = reopened.verifyLogin(account: "alice", password: "correct horse") {
            Issue.record("login after reopen failed: \(failure)")
        }
    }

    @Test("the durability setting reaches the committing connection", arguments: [
        (StoreConfiguration.Durability.full, 2), (.normal, 1),
    ])
    func durabilityApplied(durability: StoreConfiguration.Durability, level: Int) throws {
        let fixture = try StoreFixture { $0.durability = durability }
        #expect(try fixture.store.database.synchronousLevel() == level)
    }

    /// A direct message row exactly as v1 and v2 wrote it (party columns filled).
    private static func insertOldDirectRow(_ db: Database, msgid: String, at timeMs: Int64, from: String, to: String) throws {
        let (first, second) = from <= to ? ("a:" + from, "a:" + to) : ("a:" + to, "a:" + from)
        try db.execute(sql: """
            INSERT INTO message (msgid, time_ms, sender_source, sender_nick, sender_account, sender_key,
                                 target_kind, target_key, target_name, party_a, party_b, command, text, tags)
            VALUES (?, ?, ?, ?, ?, ?, 'dm', ?, ?, ?, ?, 'PRIVMSG', 'old text', '')
            """, arguments: [msgid, timeMs, "\(from)!\(from)@127.0.0.1", from, from, "a:" + from,
                             first + " " + second, to, first, second])
    }

    @Test("a database at an older migration is upgraded in place and keeps its rows", arguments: [
        "v1: accounts, messages, read markers", "v2: covering indexes for TARGETS, no time index",
    ])
    func upgradeFromOlder(migration: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        let old = try DatabasePool(path: path)
        try StoreSchema.migrator.migrate(old, upTo: migration)
        var configuration = StoreConfiguration(path: path)
        configuration.scrypt = .testing
        try old.write { db in
            try Self.insertOldDirectRow(db, msgid: "d1", at: 5, from: "alice", to: "bob")
            try Self.insertOldDirectRow(db, msgid: "d2", at: 6, from: "carol", to: "alice")
            try Self.insertOldDirectRow(db, msgid: "d3", at: 7, from: "bob", to: "dave")
        }
        try old.close()

        let upgraded = try StoreDatabase(configuration: configuration)
        #expect(try upgraded.appliedMigrations().count == 4)
        func targets(_ account: String) throws -> [String] {
            try upgraded.targets(TargetsRequest(requester: .account(account), rooms: [], fromMs: 0, toMs: 10, limit: 5)).map(\.name)
        }
        // Both sides of every old conversation find it, in time order.
        #expect(try targets("alice") == ["bob", "carol"])
        #expect(try targets("bob") == ["alice", "dave"])
        #expect(try targets("carol") == ["alice"])
        #expect(try targets("dave") == ["bob"])
        #expect(try targets("erin") == [])

        // New messages in an old conversation and a new one land in the same lists.
        let second = try StoreDatabase(configuration: configuration)
        _ = second.commit([
            .append(StoreTicket(rawValue: 1), Messages.direct("n1", at: 8, from: .account("bob"), to: .account("alice"))),
            .append(StoreTicket(rawValue: 2), Messages.direct("n2", at: 9, from: .account("erin"), to: .account("alice"))),
        ])
        #expect(try targets("alice") == ["carol", "bob", "erin"])
        #expect(try targets("erin") == ["alice"])
    }

    /// A room message row exactly as v1 to v3 wrote it.
    private static func insertOldRoomRow(_ db: Database, msgid: String, at timeMs: Int64, from nick: String, tags: String) throws {
        try db.execute(sql: """
            INSERT INTO message (msgid, time_ms, sender_source, sender_nick, sender_account, sender_key,
                                 target_kind, target_key, target_name, command, text, tags)
            VALUES (?, ?, ?, ?, NULL, ?, 'room', '#old', '#Old', 'NOTICE', ?, ?)
            """, arguments: [msgid, timeMs, "\(nick)!\(nick)@127.0.0.1", nick, "n:" + nick, "said \(msgid)", tags])
    }

    @Test("v4 moves a v1 or v3 database into chunks, and every CHATHISTORY form answers as before", arguments: [
        "v1: accounts, messages, read markers", "v3: direct conversations listed once, no party indexes",
    ])
    func upgradeToChunks(migration: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        let old = try DatabasePool(path: path)
        try StoreSchema.migrator.migrate(old, upTo: migration)
        // 600 room rows in chat-server's msgid form, three per millisecond (ties go by rowid),
        // with a DM between alice and bob after every fifth; then a clock step back.
        var room: [(msgid: String, id: Int64)] = []
        var direct: [(msgid: String, time: Int64)] = []
        try old.write { db in
            for index in 0..<600 {
                let msgid = "k3x9q0za" + String(index + 1, radix: 36)
                let time: Int64 = index < 590 ? 10_000 + Int64(index / 3) : 5_000 + Int64(index)
                try Self.insertOldRoomRow(db, msgid: msgid, at: time, from: "u\(index % 7)", tags: index == 4 ? "+draft/reply=a\\sb" : "")
                room.append((msgid, db.lastInsertedRowID))
                if index % 5 == 0 {
                    try Self.insertOldDirectRow(db, msgid: "d\(index)", at: time, from: index % 2 == 0 ? "alice" : "bob",
                                                to: index % 2 == 0 ? "bob" : "alice")
                    direct.append(("d\(index)", time))
                    if migration.hasPrefix("v3") {
                        // As the v3 writer listed every direct conversation it stored.
                        try db.execute(sql: """
                            INSERT OR IGNORE INTO direct_party (party_key, target_key)
                            VALUES ('a:alice', 'a:alice a:bob'), ('a:bob', 'a:alice a:bob')
                            """)
                    }
                }
            }
        }
        try old.close()

        var configuration = StoreConfiguration(path: path)
        configuration.scrypt = .testing
        let upgraded = try StoreDatabase(configuration: configuration)
        #expect(try upgraded.appliedMigrations().count == 4)
        #expect(try upgraded.messageCount() == 720)
        #expect(try upgraded.writer.read { db in try db.tableExists("message") } == false)

        // The clock step puts the last ten rows first in time; otherwise rowid order.
        let ordered = Array(room.suffix(10)) + Array(room.prefix(590))
        func page(_ query: HistoryQuery, _ limit: Int, _ conversation: HistoryConversation = .room("#OLD")) throws -> [StoredMessage] {
            try upgraded.history(HistoryRequest(requester: .account("bob"), conversation: conversation, query: query, limit: limit))
        }
        let all = try page(.after(.timestamp(0)), 1000)
        #expect(all.map(\.msgid) == ordered.map(\.msgid))
        #expect(all.map(\.sequence) == ordered.map(\.id), "a migrated message keeps its rowid as its sequence")
        #expect(try page(.latest(after: nil), 5).map(\.msgid) == ordered.suffix(5).map(\.msgid))
        #expect(try page(.before(.msgid(ordered[300].msgid)), 4).map(\.msgid) == ordered[296..<300].map(\.msgid))
        #expect(try page(.after(.msgid(ordered[9].msgid)), 2).map(\.msgid) == ordered[10...11].map(\.msgid))
        #expect(try page(.around(.msgid(ordered[100].msgid)), 3).map(\.msgid) == ordered[99...101].map(\.msgid))
        #expect(try page(.between(.msgid(ordered[50].msgid), .msgid(ordered[40].msgid)), 100).map(\.msgid) == ordered[41..<50].map(\.msgid))
        let tagged = try #require(all.first { $0.msgid == room[4].msgid })
        #expect(tagged.tags == [.init("+draft/reply", "a b")])
        #expect(tagged.command == "NOTICE" && tagged.targetName == "#Old" && tagged.senderNick == "u4" && tagged.isRoom)
        let directOrdered = direct.sorted { $0.time < $1.time }.map(\.msgid)
        #expect(try page(.after(.timestamp(0)), 1000, .direct(.account("alice"))).map(\.msgid) == directOrdered)
        #expect(try page(.around(.msgid(directOrdered[3])), 1, .direct(.account("alice"))).map(\.msgid) == [directOrdered[3]])
        let targets = try upgraded.targets(TargetsRequest(requester: .account("alice"), rooms: ["#old"], fromMs: 0, toMs: 100_000, limit: 10))
        #expect(targets.map { "\($0.name)@\($0.latestTimeMs)" } == ["bob@10195", "#Old@10196"])

        // New messages after the upgrade: a migrated msgid is still taken, chat-server's next ones are new.
        let completions = upgraded.commit([
            .append(StoreTicket(rawValue: 1), Messages.room(room[7].msgid, at: 20_000, in: "#old")),
            .append(StoreTicket(rawValue: 2), Messages.room("k3x9q0za" + String(601, radix: 36), at: 20_001, in: "#old")),
            .append(StoreTicket(rawValue: 3), Messages.direct(direct[0].msgid, at: 20_002, from: .account("alice"), to: .account("bob"))),
        ])
        #expect(completions.map { if case .messageStored(_, true) = $0.result { true } else { false } } == [false, true, false])
        #expect(try page(.latest(after: nil), 2).map(\.msgid) == [ordered.last?.msgid, "k3x9q0za" + String(601, radix: 36)].compactMap { $0 })
        #expect(try upgraded.integrityCheck() == "ok")
    }

    @Test(":memory: gives a working throwaway store")
    func inMemory() throws {
        let fixture = try StoreFixture(inMemory: true)
        #expect(try fixture.store.database.journalMode() == "memory")
        fixture.appendAll([Messages.room("m1", at: 1), Messages.room("m2", at: 2)])
        let page = fixture.page(.account("alice"), .room("#room"), .latest(after: nil), limit: 10)
        #expect(page == ["m1", "m2"])
    }

    @Test("a path in a missing directory is an error, not a crash")
    func unopenablePath() throws {
        let directory = try TemporaryDirectory()
        let configuration = StoreConfiguration(path: directory.path("missing/dir/chat.sqlite"))
        #expect(throws: (any Error).self) { try ChatStore(configuration: configuration, wake: {}) }
    }

    @Test("every text column round-trips byte for byte, rows longer than the writer's first buffer included")
    func textRoundTrip() throws {
        let fixture = try StoreFixture()
        var long = Messages.direct("long", at: 2, from: .account("Ünïcode"), senderNick: "Ünïcode", to: .nick("bob"))
        long.text = String(repeating: "día 👋🏽 ", count: 1_500)
        long.tags = [.init("+draft/reply", String(repeating: "x", count: 5_000))]
        let empty = Messages.direct("empty", at: 3, from: .nick("bob"), to: .account("Ünïcode"), targetName: "ÜNÏCODE")
        var withEmpty = empty
        withEmpty.text = ""
        fixture.appendAll([Messages.room("short", at: 1), long, withEmpty])
        let request = HistoryRequest(requester: .account("Ünïcode"), conversation: .direct(.nick("bob")), query: .latest(after: nil), limit: 5)
        guard case .history(let messages)? = fixture.complete({ $0.history(request) }) else {
            Issue.record("no history")
            return
        }
        #expect(messages.map(\.msgid) == ["long", "empty"])
        #expect(messages.first?.text == long.text)
        #expect(messages.first?.tags == long.tags)
        #expect(messages.first?.senderSource == long.senderSource)
        #expect(messages.last?.text == "")
        #expect(messages.last?.targetName == "ÜNÏCODE")
    }

    @Test("stored tags survive escaping, and replay carries time, msgid and account")
    func tagsAndReplay() throws {
        let fixture = try StoreFixture()
        var message = Messages.room("m1", at: 1_700_000_000_123, text: "hello; world")
        message.tags = [.init("+draft/reply", "a;b c\\d=e"), .init("+typing", "active"), .init("+flag")]
        fixture.appendAll([message])
        let request = HistoryRequest(requester: .account("bob"), conversation: .room("#room"), query: .latest(after: nil), limit: 5)
        guard case .history(let messages)? = fixture.complete({ $0.history(request) }), let stored = messages.first else {
            Issue.record("no history")
            return
        }
        #expect(stored.tags == message.tags)
        #expect(stored.text == "hello; world")
        let replay = stored.ircMessage()
        #expect(replay.tag("time") == "2023-11-14T22:13:20.123Z")
        #expect(replay.tag("msgid") == "m1")
        #expect(replay.tag("account") == "alice")
        #expect(replay.tag("+draft/reply") == "a;b c\\d=e")
        #expect(replay.source == "alice!alice@127.0.0.1")
        #expect(replay.params == ["#Room", "hello; world"])
    }
}
