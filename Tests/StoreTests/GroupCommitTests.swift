@testable import ChatStore
import Foundation
import GRDB
import Testing

@Suite("Group commit")
struct GroupCommitTests {
    /// A second connection allowed to leave a transaction open: `BEGIN EXCLUSIVE` on it keeps
    /// the storage thread from committing until `COMMIT`.
    static func lockHolder(_ path: String) throws -> DatabaseQueue {
        try SideConnection.open(path, allowsUnsafeTransactions: true)
    }

    @Test("many queued writes share few transactions and every ticket completes exactly once")
    func manyWritesFewTransactions() throws {
        let fixture = try StoreFixture()
        // Hold the write lock from another connection so the writes pile up in the queue.
        let blocker = try Self.lockHolder(fixture.path)
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let before = fixture.store.database.committedTransactions
        let count = 2_000
        let tickets = (0..<count).map { fixture.store.append(Messages.room("m\($0)", at: Int64($0))) }
        #expect(Set(tickets).count == count)
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }

        let results = fixture.waiter.wait(for: tickets, on: fixture.store)
        for (index, ticket) in tickets.enumerated() {
            #expect(results[ticket] == .messageStored(msgid: "m\(index)", stored: true))
        }
        let transactions = fixture.store.database.committedTransactions - before
        #expect(transactions >= 1)
        #expect(transactions <= 3, "2000 queued writes took \(transactions) transactions")
        #expect(fixture.waiter.duplicateTickets.isEmpty)
        #expect(fixture.waiter.wakeCount <= transactions + 1)
        #expect(try fixture.store.database.messageCount() == count)
        #expect(fixture.store.queuedWrites == 0)
    }

    @Test("a backlog larger than a batch drains in batches of at most maxBatchSize, in order")
    func backlogInBatches() throws {
        let fixture = try StoreFixture { $0.maxBatchSize = 100 }
        let blocker = try Self.lockHolder(fixture.path)
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let before = fixture.store.database.committedTransactions
        let count = 10_000
        let tickets = (0..<count).map { fixture.store.append(Messages.room("m\($0)", at: Int64($0 / 7))) }
        #expect(fixture.store.queuedWrites >= count - 100, "only the batch the writer holds has left the queue")
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        let results = fixture.waiter.wait(for: tickets, on: fixture.store)
        #expect(tickets.allSatisfy { if case .messageStored(_, true)? = results[$0] { true } else { false } })
        #expect(fixture.store.database.committedTransactions - before >= count / 100)
        let page = fixture.page(.nick("x"), .room("#room"), .after(.timestamp(-1)), limit: 1000)
        #expect(page == (0..<1000).map { "m\($0)" }, "storage order is request order")
    }

    @Test("a duplicate msgid fails alone; the rest of its batch commits")
    func badJobFailsAlone() throws {
        let fixture = try StoreFixture()
        let blocker = try Self.lockHolder(fixture.path)
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let first = fixture.store.append(Messages.room("a", at: 1))
        let duplicate = fixture.store.append(Messages.room("a", at: 2))
        let third = fixture.store.append(Messages.room("b", at: 3))
        try blocker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        let results = fixture.waiter.wait(for: [first, duplicate, third], on: fixture.store)
        #expect(results[first] == .messageStored(msgid: "a", stored: true))
        #expect(results[third] == .messageStored(msgid: "b", stored: true))
        guard case .messageFailed(let msgid, _)? = results[duplicate] else {
            Issue.record("duplicate was not refused: \(String(describing: results[duplicate]))")
            return
        }
        #expect(msgid == "a")
        let page = fixture.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 10)
        #expect(page == ["a", "b"])
    }

    @Test("duplicates inside multi-row groups fail alone, wherever they fall, and order holds", arguments: [0, 7, 15, 16, 33, 39])
    func duplicatesInGroups(position: Int) throws {
        let fixture = try StoreFixture()
        let database = fixture.store.database
        _ = database.commit([.append(StoreTicket(rawValue: 1_000), Messages.room("old", at: 1))])
        // 40 appends in one batch, split by a read-marker job into two runs of 20 (a full group of
        // 16 and a tail of 4 each); one repeats a stored msgid.
        var jobs: [WriteJob] = (0..<40).map { index in
            let msgid = index == position ? "old" : "m\(index)"
            return .append(StoreTicket(rawValue: UInt64(index)), Messages.room(msgid, at: Int64(10 + index)))
        }
        // And a msgid repeated within the batch: whichever of the two comes later fails.
        let (first, second) = ((position + 2) % 40, (position + 5) % 40)
        jobs[second] = .append(StoreTicket(rawValue: UInt64(second)), Messages.room("m\(first)", at: Int64(10 + second)))
        jobs.insert(.markRead(StoreTicket(rawValue: 500), account: "alice", target: "#room", timeMs: 5), at: 20)
        let completions = database.commit(jobs)
        #expect(completions.map(\.ticket.rawValue) == jobs.compactMap { $0.ticket?.rawValue })
        var failed: [UInt64] = []
        for completion in completions {
            if case .messageFailed(_, let error) = completion.result {
                failed.append(completion.ticket.rawValue)
                #expect(error.description.contains("duplicate"))
            }
        }
        #expect(failed.sorted() == [UInt64(position), UInt64(max(first, second))].sorted())
        let expected = ["old"] + jobs.compactMap { job -> String? in
            guard case .append(let ticket, let message) = job, !failed.contains(ticket.rawValue) else { return nil }
            return message.msgid
        }
        #expect(fixture.page(.nick("x"), .room("#room"), .latest(after: nil), limit: 100) == expected)
    }

    @Test("checkpoints follow the WAL's volume, and a steady stream of commits cannot grow the log without bound")
    func checkpointsByVolume() throws {
        let cap = 2 * Checkpointer.framesBetweenCheckpoints
        let fixture = try StoreFixture {
            $0.durability = .normal
            $0.walFramesBeforeWriterCheckpoint = cap
        }
        // Each lone message is a commit of a few pages; 4,000 of them in a row write several
        // times the cap (counting messages would ask for a checkpoint once, or never; without the
        // writer's own checkpoint the log would hold them all, as the background copy never has
        // every frame copied when the next commit starts).
        var largest = 0
        for index in 0..<4_000 {
            let ticket = fixture.store.append(Messages.direct("c\(index)", at: Int64(index), from: .account("alice"), to: .account("bob")))
            guard case .messageStored(_, true)? = fixture.waiter.result(of: ticket, on: fixture.store) else {
                Issue.record("message \(index) not stored")
                return
            }
            largest = max(largest, fixture.store.database.wal.framesInLog)
        }
        #expect(largest >= Checkpointer.framesBetweenCheckpoints, "the WAL hook reports frames")
        #expect(largest < 2 * cap, "the log restarted from its beginning")
        // Restarting overwrites the file from its start: it keeps the pages it grew to instead of
        // being cut and grown again (writing past a file's end costs a block and a zeroed page).
        let walBytes = (try? FileManager.default.attributesOfItem(atPath: fixture.path + "-wal")[.size] as? Int) ?? 0
        let frameBytes = try fixture.store.database.pageSize() + 24
        // Against the largest log seen, not the cap: where the background copy finishes between two
        // commits (fast storage), the log restarts before it reaches the cap.
        #expect(walBytes >= largest * frameBytes, "WAL file of \(walBytes) bytes was cut below the \(largest) frames it reached")
        // The checkpoint thread works beside the writer: wait for it, with a deadline.
        let deadline = Date().addingTimeInterval(20)
        while fixture.store.database.wal.checkpointsRun < 2, Date() < deadline { usleep(10_000) }
        #expect(fixture.store.database.wal.checkpointsRun >= 2)
    }

    @Test("close flushes every queued write, and requests after close fail at once")
    func closeFlushes() throws {
        let directory = try TemporaryDirectory()
        var configuration = StoreConfiguration(path: directory.path("chat.sqlite"))
        configuration.scrypt = .testing
        let waiter = CompletionWaiter()
        let store = try ChatStore(configuration: configuration, wake: waiter.wake)
        let tickets = (0..<1_000).map { store.append(Messages.room("m\($0)", at: Int64($0))) }
        let registration = store.register(account: "carol", email: "carol@example.org", password: "long enough")
        store.close()
        waiter.absorb(store.drainCompletions())
        let results = waiter.all
        for ticket in tickets {
            guard case .messageStored(_, true)? = results[ticket] else {
                Issue.record("\(ticket) not stored before close returned: \(String(describing: results[ticket]))")
                return
            }
        }
        guard case .registered? = results[registration] else {
            Issue.record("registration queued before close was dropped: \(String(describing: results[registration]))")
            return
        }
        let late = store.append(Messages.room("late", at: 5_000))
        let lateRead = store.history(HistoryRequest(requester: .nick("x"), conversation: .room("#room"), query: .latest(after: nil), limit: 1))
        let lateLogin = store.login(account: "carol", password: "long enough")
        waiter.absorb(store.drainCompletions())
        #expect(waiter.all[late] == .messageFailed(msgid: "late", error: StoreError("store is closed")))
        #expect(waiter.all[lateRead] == .failed(StoreError("store is closed")))
        #expect(waiter.all[lateLogin] == .loginFailed(.temporarilyUnavailable("store is closed")))
        store.close()

        let reopened = try StoreDatabase(configuration: configuration)
        #expect(try reopened.messageCount() == 1_000)
        #expect(try reopened.registeredAccountKeys() == ["carol"])
    }
}
