@testable import ChatStore
import Dispatch
import Foundation
import Testing

/// Figures for the closing note, not assertions on speed: run with
/// `CHAT_STORE_BENCH=1 swift test --filter StoreBenchmark` (about a minute in debug). Every
/// result line starts with `BENCH`. `CHAT_STORE_BENCH_MESSAGES` overrides the 1,000,000.
@Suite("Store benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["CHAT_STORE_BENCH"] == "1"))
struct StoreBenchmark {
    static let messageCount = Int(ProcessInfo.processInfo.environment["CHAT_STORE_BENCH_MESSAGES"] ?? "") ?? 1_000_000

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }

    static func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now()
            try body()
            samples.append(milliseconds(since: start))
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    static func report(_ line: String) {
        print("BENCH \(line)")
    }

    @Test("CHATHISTORY on a database of a million messages")
    func historyOnAMillion() throws {
        let fixture = try StoreFixture { $0.durability = .normal }
        let database = fixture.store.database
        // 40% in one busy room, 30% over 100 rooms, 30% as DMs among 200 accounts.
        var generator = SystemRandomNumberGenerator()
        let start = DispatchTime.now()
        let batch = 10_000
        var written = 0
        var middleMsgid = ""
        while written < Self.messageCount {
            let jobs: [WriteJob] = (written..<min(written + batch, Self.messageCount)).map { index in
                let time = 1_700_000_000_000 + Int64(index) * 10
                let message: NewMessage
                switch index % 10 {
                case 0...3:
                    message = Messages.room("b\(index)", at: time, in: "#big", from: "u\(index % 200)", account: "u\(index % 200)")
                case 4...6:
                    message = Messages.room("r\(index)", at: time, in: "#room\(index % 100)", from: "u\(index % 200)", account: "u\(index % 200)")
                default:
                    let a = Int.random(in: 0..<200, using: &generator)
                    let b = (a + 1 + Int.random(in: 0..<199, using: &generator)) % 200
                    message = Messages.direct("d\(index)", at: time, from: .account("u\(a)"), to: .account("u\(b)"))
                }
                if index == Self.messageCount / 2 - Self.messageCount / 2 % 10 { middleMsgid = message.msgid }
                return .append(StoreTicket(rawValue: UInt64(index)), message)
            }
            let completions = database.commit(jobs)
            #expect(completions.count == jobs.count)
            written += jobs.count
        }
        let seedMs = Self.milliseconds(since: start)
        Self.report("seeded \(written) messages in \(Int(seedMs)) ms (\(Int(Double(written) / seedMs * 1000)) msg/s, sync batches of \(batch))")
        #expect(try database.messageCount() == Self.messageCount)

        func latest(_ conversation: HistoryConversation, requester: HistoryParty = .account("u0")) throws -> Int {
            try database.history(HistoryRequest(requester: requester, conversation: conversation, query: .latest(after: nil), limit: 100)).count
        }
        #expect(try latest(.room("#big")) == 100)
        let big = try Self.median(51) { _ = try latest(.room("#big")) }
        let room = try Self.median(51) { _ = try latest(.room("#room7")) }
        let direct = try Self.median(51) { _ = try latest(.direct(.account("u1"))) }
        let before = try Self.median(51) {
            _ = try database.history(HistoryRequest(
                requester: .account("u0"), conversation: .room("#big"), query: .before(.msgid(middleMsgid)), limit: 100))
        }
        let targets = try Self.median(11) {
            _ = try database.targets(TargetsRequest(
                requester: .account("u5"), rooms: (0..<100).map { "#room\($0)" } + ["#big"],
                fromMs: 0, toMs: .max, limit: 1000))
        }
        Self.report(String(format: "LATEST * 100 median: #big (40%% of rows) %.3f ms, #room7 %.3f ms, DM %.3f ms", big, room, direct))
        Self.report(String(format: "BEFORE msgid=<middle of #big> 100 median: %.3f ms", before))
        Self.report(String(format: "TARGETS over 101 rooms + ~3000 DMs of one account median: %.3f ms", targets))

        // The same query through the threads: ticket to drained completion.
        let request = HistoryRequest(requester: .account("u0"), conversation: .room("#big"), query: .latest(after: nil), limit: 100)
        let roundTrip = Self.median(51) {
            _ = fixture.waiter.result(of: fixture.store.history(request), on: fixture.store)
        }
        Self.report(String(format: "LATEST * 100 on #big through the reader thread (request to completion) median: %.3f ms", roundTrip))
    }

    @Test("append throughput with group commit", arguments: [StoreConfiguration.Durability.full, .normal])
    func appendThroughput(durability: StoreConfiguration.Durability) throws {
        let fixture = try StoreFixture { $0.durability = durability }
        let count = 50_000
        let messages = (0..<count).map {
            Messages.direct("t\($0)", at: Int64($0), from: .account("a\($0 % 50)"), to: .account("b\($0 % 37)"))
        }
        let start = DispatchTime.now()
        let tickets = messages.map { fixture.store.append($0) }
        let results = fixture.waiter.wait(for: tickets, on: fixture.store, seconds: 300)
        let elapsed = Self.milliseconds(since: start)
        #expect(results.count == count)
        let transactions = fixture.store.database.committedTransactions
        Self.report(String(
            format: "append %@: %d messages in %.0f ms = %.0f msg/s, %d transactions (avg batch %.0f)",
            durability.rawValue, count, elapsed, Double(count) / elapsed * 1000, transactions,
            Double(count) / Double(max(transactions, 1))))

        // One at a time: each waits for its own commit, so nothing is grouped.
        let single = Self.median(101) {
            let ticket = fixture.store.append(Messages.room(UUID().uuidString, at: 1))
            _ = fixture.waiter.result(of: ticket, on: fixture.store)
        }
        Self.report(String(format: "append %@: one message alone, request to confirmed, median %.3f ms", durability.rawValue, single))
    }

    /// A writer load: how many DM pairs share a batch, and how many messages a batch holds.
    struct WriterLoad: Sendable, CustomTestStringConvertible {
        let durability: StoreConfiguration.Durability
        let pairs: Int
        let batch: Int
        var testDescription: String { "\(durability.rawValue), \(pairs) pairs, batches of \(batch)" }
    }

    /// The storage thread's own cost, without the queues: what bounds the server's throughput
    /// when history is on. DMs with server-style msgids (prefix + base-36 counter, a counter
    /// skipped now and then as batch ids do), committed in batches on top of 200,000 stored
    /// messages. 50 pairs in batches of 4,096 is what the writer sees under `chat-bench --scenario dm`.
    @Test("writer cost per DM", arguments: [
        WriterLoad(durability: .full, pairs: 200, batch: 1_024), WriterLoad(durability: .normal, pairs: 200, batch: 1_024),
        WriterLoad(durability: .full, pairs: 50, batch: 4_096), WriterLoad(durability: .normal, pairs: 50, batch: 4_096),
    ])
    func writerCostPerMessage(load: WriterLoad) throws {
        let fixture = try StoreFixture { $0.durability = load.durability }
        let database = fixture.store.database
        var counter = 0
        func nextBatch() -> [WriteJob] {
            (0..<load.batch).map { _ in
                counter += counter % 97 == 0 ? 2 : 1
                let pair = counter % load.pairs
                let (from, to) = counter % 2 == 0 ? (2 * pair, 2 * pair + 1) : (2 * pair + 1, 2 * pair)
                var message = Messages.direct(
                    "Xq7bZ2kP" + String(counter, radix: 36), at: 1_700_000_000_000 + Int64(counter / 8),
                    from: .nick("d\(from)"), to: .nick("d\(to)"))
                message.text = "message \(counter) of a benchmark conversation"
                return .append(StoreTicket(rawValue: UInt64(counter)), message)
            }
        }
        for _ in 0..<(200_000 / load.batch) { _ = database.commit(nextBatch()) }
        let batches = 400_000 / load.batch
        let prepared = (0..<batches).map { _ in nextBatch() }
        let start = DispatchTime.now()
        for jobs in prepared {
            let completions = database.commit(jobs)
            #expect(completions.count == jobs.count)
        }
        let elapsed = Self.milliseconds(since: start)
        let perMessage = elapsed * 1000 / Double(batches * load.batch)
        Self.report(String(
            format: "writer %@: %.2f us per DM (%.0f msg/s), %d batches of %d over %d pairs on 200k messages",
            load.durability.rawValue, perMessage, 1e6 / perMessage, batches, load.batch, load.pairs))
    }

    @Test("login with the default scrypt parameters")
    func loginTime() throws {
        let fixture = try StoreFixture { $0.scrypt = .interactive }
        guard case .registered? = fixture.complete({ $0.register(account: "bench", email: nil, password: "bench password") }) else {
            Issue.record("registration failed")
            return
        }
        let login = Self.median(7) {
            _ = fixture.waiter.result(of: fixture.store.login(account: "bench", password: "bench password"), on: fixture.store)
        }
        Self.report(String(format: "login (scrypt N=2^15 r=8 p=1) median: %.1f ms", login))
    }
}
