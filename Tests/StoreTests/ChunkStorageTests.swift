@testable import ChatStore
import Foundation
import GRDB
import Testing

/// The chunk layout under the public behaviour: chat-server's msgids, clock steps, chunk limits,
/// damaged bodies. (CHATHISTORY semantics themselves are in HistoryQueryTests.)
@Suite("Chunked history storage")
struct ChunkStorageTests {
    static let prefix = "k3x9q0za"

    static func msgid(_ counter: Int) -> String { prefix + String(counter, radix: 36) }

    static func appends(_ messages: [NewMessage], from ticket: Int = 0) -> [WriteJob] {
        messages.enumerated().map { .append(StoreTicket(rawValue: UInt64(ticket + $0.offset)), $0.element) }
    }

    static func stored(_ completions: [StoreCompletion]) -> [Bool] {
        completions.map { if case .messageStored(_, true) = $0.result { true } else { false } }
    }

    static func page(_ database: StoreDatabase, _ query: HistoryQuery, limit: Int, in conversation: HistoryConversation = .room("#r"),
                     as requester: HistoryParty = .account("alice")) throws -> [String] {
        try database.history(HistoryRequest(requester: requester, conversation: conversation, query: query, limit: limit)).map(\.msgid)
    }

    static func chunkCount(_ path: String) throws -> Int {
        try SideConnection.open(path).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunk") ?? -1 }
    }

    @Test("server msgids in rising runs are found by counter; repeats fail alone; lower counters are new msgids")
    func rangedMsgids() throws {
        let fixture = try StoreFixture()
        let database = fixture.store.database
        // Three batches; a DM conversation, a room and another DM interleave, as on a busy server.
        var counter = 0
        var expectedRoom: [String] = []
        for batch in 0..<3 {
            var messages: [NewMessage] = []
            for index in 0..<150 {
                counter += 1 + index % 3 // batch ids use counter values too: gaps are normal
                let time = Int64(1_000_000 + batch * 10_000 + index)
                switch index % 3 {
                case 0:
                    messages.append(Messages.room(Self.msgid(counter), at: time, in: "#r"))
                    expectedRoom.append(Self.msgid(counter))
                case 1: messages.append(Messages.direct(Self.msgid(counter), at: time, from: .account("alice"), to: .account("bob")))
                default: messages.append(Messages.direct(Self.msgid(counter), at: time, from: .account("carol"), to: .account("dave")))
                }
            }
            #expect(Self.stored(database.commit(Self.appends(messages, from: batch * 1_000))).allSatisfy { $0 })
        }
        // Every room message is a usable bound, and the neighbours are right.
        for (position, msgid) in expectedRoom.enumerated() {
            // One before and the message itself onwards, a short side giving its room to the other.
            let newer = min(expectedRoom.count - position, 3 - min(position, 1))
            let older = min(position, 3 - newer)
            let around = try Self.page(database, .around(.msgid(msgid)), limit: 3)
            #expect(around == Array(expectedRoom[(position - older)..<(position + newer)]), "around \(msgid)")
        }
        #expect(try Self.page(database, .after(.msgid(expectedRoom[10])), limit: 5) == Array(expectedRoom[11...15]))
        #expect(try Self.page(database, .before(.msgid(expectedRoom[100])), limit: 5) == Array(expectedRoom[95...99]))
        // A DM msgid is no bound in the room, nor for someone outside the conversation.
        let direct = try Self.page(database, .latest(after: nil), limit: 1, in: .direct(.account("bob")))
        #expect(direct.count == 1)
        #expect(try Self.page(database, .around(.msgid(direct[0])), limit: 5) == [])
        #expect(try Self.page(database, .around(.msgid(direct[0])), limit: 5, in: .direct(.account("bob")), as: .account("carol")) == [])
        #expect(try Self.page(database, .around(.msgid(direct[0])), limit: 1, in: .direct(.account("bob"))) == direct)

        // Repeats of stored ranged msgids fail alone, old and recent, as does a repeat inside a batch.
        let repeats = [
            Messages.room(Self.msgid(counter + 5), at: 2_000_000, in: "#r"),
            Messages.room(expectedRoom[0], at: 2_000_001, in: "#r"),
            Messages.room(Self.msgid(counter + 5), at: 2_000_002, in: "#r"),
            Messages.room(expectedRoom.last ?? "", at: 2_000_003, in: "#r"),
            Messages.room(Self.msgid(counter + 6), at: 2_000_004, in: "#r"),
            // Below the ceiling but never stored (a counter skipped for a batch id): a new msgid.
            Messages.room(Self.msgid(2), at: 2_000_005, in: "#r"),
            Messages.room(Self.msgid(2), at: 2_000_006, in: "#r"),
        ]
        #expect(Self.stored(database.commit(Self.appends(repeats, from: 5_000))) == [true, false, false, false, true, true, false])
        #expect(try Self.page(database, .latest(after: nil), limit: 3) == [Self.msgid(counter + 5), Self.msgid(counter + 6), Self.msgid(2)])
        #expect(try Self.page(database, .around(.msgid(Self.msgid(2))), limit: 1) == [Self.msgid(2)])

        // Across a reopen the ceiling holds: the repeat still fails, the next counter is new.
        fixture.store.close()
        let reopened = try StoreDatabase(configuration: fixture.store.configuration)
        let later = [Messages.room(Self.msgid(counter + 6), at: 3_000_000, in: "#r"), Messages.room(Self.msgid(counter + 7), at: 3_000_001, in: "#r")]
        #expect(Self.stored(reopened.commit(Self.appends(later, from: 6_000))) == [false, true])
        #expect(try reopened.messageCount() == 450 + 3 + 1)
    }

    @Test("a clock that steps back: pages follow (time, arrival), within a batch and across batches")
    func clockStepsBack() throws {
        let fixture = try StoreFixture()
        let database = fixture.store.database
        // Arrival order: a0..a9 at 10,000..10,009, then the clock steps back: b0..b9 at 5,000..5,009,
        // in the same batch; then another batch steps back again: c0..c4 at 7,000..7,004.
        let first = (0..<10).map { Messages.room("a\($0)", at: 10_000 + Int64($0), in: "#r") }
            + (0..<10).map { Messages.room("b\($0)", at: 5_000 + Int64($0), in: "#r") }
        _ = database.commit(Self.appends(first))
        _ = database.commit(Self.appends((0..<5).map { Messages.room("c\($0)", at: 7_000 + Int64($0), in: "#r") }, from: 100))
        #expect(try Self.chunkCount(fixture.path) >= 3, "a chunk never holds a step back")
        let ordered = (0..<10).map { "b\($0)" } + (0..<5).map { "c\($0)" } + (0..<10).map { "a\($0)" }
        #expect(try Self.page(database, .latest(after: nil), limit: 100) == ordered)
        #expect(try Self.page(database, .latest(after: nil), limit: 12) == Array(ordered.suffix(12)))
        #expect(try Self.page(database, .before(.timestamp(10_000)), limit: 7) == ["b8", "b9", "c0", "c1", "c2", "c3", "c4"])
        #expect(try Self.page(database, .after(.timestamp(5_007)), limit: 4) == ["b8", "b9", "c0", "c1"])
        #expect(try Self.page(database, .after(.msgid("c4")), limit: 2) == ["a0", "a1"])
        #expect(try Self.page(database, .before(.msgid("c0")), limit: 2) == ["b8", "b9"])
        #expect(try Self.page(database, .between(.msgid("b9"), .msgid("a1")), limit: 100) == ["c0", "c1", "c2", "c3", "c4", "a0"])
        #expect(try Self.page(database, .around(.msgid("c2")), limit: 3) == ["c1", "c2", "c3"])
        // Paging backwards by msgid visits everything once.
        var seen = try Self.page(database, .latest(after: nil), limit: 4)
        for _ in 0..<20 {
            guard let oldest = seen.first else { break }
            let page = try Self.page(database, .before(.msgid(oldest)), limit: 4)
            if page.isEmpty { break }
            seen = page + seen
        }
        #expect(seen == ordered)
    }

    @Test("a long batch is split by size and by time span, and pages across the splits are exact")
    func chunkLimits() throws {
        let fixture = try StoreFixture()
        let database = fixture.store.database
        // 700 messages 10 ms apart in one batch: 7 seconds and 700 messages, so at least 7 chunks.
        let messages = (0..<700).map { Messages.room("m\($0)", at: 1_000_000 + Int64($0) * 10, in: "#r") }
        #expect(Self.stored(database.commit(Self.appends(messages))).allSatisfy { $0 })
        #expect(try Self.chunkCount(fixture.path) >= 7)
        let all = messages.map(\.msgid)
        #expect(try Self.page(database, .after(.timestamp(0)), limit: 1000) == all)
        #expect(try Self.page(database, .latest(after: nil), limit: 1000) == all)
        for bound in [0, 99, 100, 255, 256, 257, 511, 512, 699] {
            #expect(try Self.page(database, .after(.msgid("m\(bound)")), limit: 30) == Array(all[(bound + 1)..<min(bound + 31, 700)]), "after m\(bound)")
            #expect(try Self.page(database, .before(.msgid("m\(bound)")), limit: 30) == Array(all[max(bound - 30, 0)..<bound]), "before m\(bound)")
        }
        #expect(try Self.page(database, .between(.timestamp(1_002_000), .timestamp(1_004_000)), limit: 1000) == Array(all[201...399]))
    }

    @Test("times at the ends of Int64 are stored and paged without overflow")
    func extremeTimes() throws {
        let fixture = try StoreFixture()
        let database = fixture.store.database
        let messages = [
            Messages.room("max", at: .max, in: "#r"), Messages.room("min", at: .min, in: "#r"),
            Messages.room("zero", at: 0, in: "#r"), Messages.room("max2", at: .max, in: "#r"),
        ]
        #expect(Self.stored(database.commit(Self.appends(messages))).allSatisfy { $0 })
        #expect(try Self.page(database, .latest(after: nil), limit: 10) == ["min", "zero", "max", "max2"])
        #expect(try Self.page(database, .after(.timestamp(.min)), limit: 10) == ["zero", "max", "max2"])
        #expect(try Self.page(database, .before(.timestamp(.max)), limit: 10) == ["min", "zero"])
        #expect(try Self.page(database, .around(.msgid("max")), limit: 2) == ["zero", "max"])
    }

    @Test("a damaged chunk gives the query a clear failure, not a crash")
    func damagedChunk() throws {
        let fixture = try StoreFixture()
        fixture.appendAll([Messages.room("m1", at: 1, in: "#r"), Messages.room("m2", at: 2, in: "#r")])
        let other = try SideConnection.open(fixture.path)
        try other.write { db in try db.execute(sql: "UPDATE chunk SET body = x'0105ffffffff'") }
        let request = HistoryRequest(requester: .nick("x"), conversation: .room("#r"), query: .latest(after: nil), limit: 10)
        guard case .failed(let error)? = fixture.complete({ $0.history(request) }) else {
            Issue.record("a damaged body was not reported")
            return
        }
        #expect(error.description.contains("damaged"))
    }

    @Test("retention drops whole chunks and hides the expired part of a kept one, msgids included")
    func retentionWithChunks() throws {
        let day: Int64 = 86_400_000
        let clock = TestClock(100 * day)
        let fixture = try StoreFixture {
            $0.historyDays = 1
            $0.clock = clock.function
        }
        let now = clock.milliseconds
        let database = fixture.store.database
        // One chunk entirely old, then one chunk straddling the floor (span under a second).
        _ = database.commit(Self.appends([Messages.room("gone", at: now - 2 * day, in: "#r")]))
        _ = database.commit(Self.appends([
            Messages.room(Self.msgid(1), at: now - day - 300, in: "#r"), Messages.room(Self.msgid(2), at: now - day + 300, in: "#r"),
        ], from: 10))
        #expect(fixture.complete { $0.purgeExpiredHistory() } == .purged(count: 1))
        #expect(try Self.page(database, .latest(after: nil), limit: 10) == [Self.msgid(2)])
        #expect(try Self.page(database, .around(.msgid(Self.msgid(1))), limit: 10) == [])
        #expect(try Self.page(database, .around(.msgid("gone")), limit: 10) == [])
        #expect(try database.messageCount() == 2)
    }

    #if os(Linux)
    @Test("store threads carry their names in the kernel, for per-thread CPU figures")
    func threadNames() throws {
        let fixture = try StoreFixture()
        fixture.appendAll([Messages.room("m1", at: 1)])
        let wanted: Set = ["store-writer", "store-ckpt", "store-reader-0", "store-reader-1", "store-passwd-0"]
        // Each thread names itself once it runs, which under a loaded machine may be after the
        // store is open: look again until all are there, with a deadline.
        var names: Set<String> = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
            names = Set(tasks.compactMap { try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8) }
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            if wanted.isSubset(of: names) { break }
            usleep(10_000)
        } while Date() < deadline
        for name in wanted.sorted() {
            #expect(names.contains(name), "\(name) not among \(names.sorted())")
        }
        _ = fixture
    }
    #endif
}
