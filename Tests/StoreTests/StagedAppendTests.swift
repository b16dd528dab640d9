@testable import ChatStore
import Dispatch
import GRDB
import Synchronization
import Testing

/// `stageAppend` and `handOffStagedAppends`: a loop turn's messages reach the storage thread in
/// one piece and are confirmed by one completion per commit.
@Suite("Staged appends")
struct StagedAppendTests {
    /// Every completion in the order the store published it.
    final class OrderedCompletions: Sendable {
        private let signal = DispatchSemaphore(value: 0)
        private let received = Mutex<[StoreCompletion]>([])

        var wake: @Sendable () -> Void {
            { [self] in signal.signal() }
        }

        /// Drains until `done` holds for what came so far, or 30 s pass; returns everything.
        func wait(on store: ChatStore, until done: ([StoreCompletion]) -> Bool) -> [StoreCompletion] {
            let deadline = DispatchTime.now() + 30
            while true {
                let drained = store.drainCompletions()
                let all = received.withLock { received in
                    received += drained
                    return received
                }
                if done(all) || DispatchTime.now() >= deadline { return all }
                _ = signal.wait(timeout: min(deadline, .now() + 0.5))
            }
        }

        /// Drains until `ticket` is confirmed, stored or failed.
        func waitFor(_ ticket: StoreTicket, on store: ChatStore) -> [StoreCompletion] {
            wait(on: store) { all in all.contains { $0.ticket == ticket } }
        }
    }

    final class Fixture {
        let directory: TemporaryDirectory
        let completions = OrderedCompletions()
        let store: ChatStore
        let path: String

        init(_ adjust: (inout StoreConfiguration) -> Void = { _ in }) throws {
            directory = try TemporaryDirectory()
            path = directory.path("chat.sqlite")
            var configuration = StoreConfiguration(path: path)
            configuration.scrypt = .testing
            adjust(&configuration)
            store = try ChatStore(configuration: configuration, wake: completions.wake)
        }

        func page(_ requester: HistoryParty, _ conversation: HistoryConversation) throws -> [String] {
            let request = HistoryRequest(requester: requester, conversation: conversation, query: .latest(after: nil), limit: 1000)
            return try store.database.history(request).map(\.msgid)
        }

        deinit {
            store.close()
        }
    }

    @Test("a handed-off turn is stored in order and confirmed by one completion covering its last ticket")
    func oneCompletionPerTurn() throws {
        let fixture = try Fixture()
        let tickets = (0..<500).map { fixture.store.stageAppend(Messages.room("m\($0)", at: Int64($0)), routeHint: 7) }
        #expect(zip(tickets, tickets.dropFirst()).allSatisfy { $0.rawValue < $1.rawValue }, "tickets rise in staging order")
        fixture.store.handOffStagedAppends()
        let completions = fixture.completions.waitFor(tickets[499], on: fixture.store)
        #expect(completions.count == 1, "one completion for a run committed in one transaction: \(completions)")
        #expect(completions.last == StoreCompletion(ticket: tickets[499], result: .messagesStored(through: tickets[499])))
        #expect(try fixture.page(.nick("x"), .room("#room")) == (0..<500).map { "m\($0)" })
        #expect(fixture.store.database.committedWrites == 500)
    }

    @Test("nothing staged reaches the storage thread before the hand-off")
    func waitsForHandOff() throws {
        let fixture = try Fixture()
        let ticket = fixture.store.stageAppend(Messages.room("early", at: 1))
        // A query answered after the stage: it would see the message had the stage pushed it.
        #expect(try fixture.page(.nick("x"), .room("#room")).isEmpty)
        #expect(fixture.store.drainCompletions().isEmpty)
        fixture.store.handOffStagedAppends()
        let completions = fixture.completions.waitFor(ticket, on: fixture.store)
        #expect(completions == [StoreCompletion(ticket: ticket, result: .messagesStored(through: ticket))])
        #expect(try fixture.page(.nick("x"), .room("#room")) == ["early"])
    }

    @Test("a repeated msgid fails alone: the stored ones before it are confirmed first, the rest after")
    func duplicateInRun() throws {
        let fixture = try Fixture()
        fixture.store.handOffStagedAppends()
        let first = fixture.store.stageAppend(Messages.room("a", at: 1))
        let second = fixture.store.stageAppend(Messages.room("b", at: 2))
        let repeated = fixture.store.stageAppend(Messages.room("a", at: 3))
        let fourth = fixture.store.stageAppend(Messages.room("c", at: 4))
        fixture.store.handOffStagedAppends()
        let completions = fixture.completions.waitFor(fourth, on: fixture.store)
        #expect(completions.map(\.ticket) == [second, repeated, fourth])
        #expect(completions.first?.result == .messagesStored(through: second))
        guard case .messageFailed(let msgid, let error)? = completions.dropFirst().first?.result else {
            Issue.record("the repeat was not refused: \(completions)")
            return
        }
        #expect(msgid == "a")
        #expect(error.description.contains("duplicate"))
        #expect(completions.last?.result == .messagesStored(through: fourth))
        #expect(first.rawValue < second.rawValue)
        #expect(try fixture.page(.nick("x"), .room("#room")) == ["a", "b", "c"])
    }

    @Test("append() after staged messages stores them first, and confirms itself alone")
    func appendKeepsOrder() throws {
        let fixture = try Fixture()
        let staged = fixture.store.stageAppend(Messages.room("staged", at: 1))
        let appended = fixture.store.append(Messages.room("appended", at: 1))
        let completions = fixture.completions.wait(on: fixture.store) { all in
            all.contains { $0.ticket == staged } && all.contains { $0.ticket == appended }
        }
        #expect(completions.contains(StoreCompletion(ticket: staged, result: .messagesStored(through: staged))))
        #expect(completions.contains(StoreCompletion(ticket: appended, result: .messageStored(msgid: "appended", stored: true))))
        #expect(try fixture.page(.nick("x"), .room("#room")) == ["staged", "appended"])
    }

    @Test("close() commits what is staged; a stage after it fails at once")
    func closeCommitsStaged() throws {
        let fixture = try Fixture()
        let tickets = (0..<50).map { fixture.store.stageAppend(Messages.room("m\($0)", at: Int64($0))) }
        fixture.store.close()
        let completions = fixture.completions.waitFor(tickets[49], on: fixture.store)
        #expect(completions.last == StoreCompletion(ticket: tickets[49], result: .messagesStored(through: tickets[49])))
        let late = fixture.store.stageAppend(Messages.room("late", at: 99))
        let refused = fixture.completions.waitFor(late, on: fixture.store)
        #expect(refused.last == StoreCompletion(ticket: late, result: .messageFailed(msgid: "late", error: .closed)))
        let reopened = try StoreDatabase(configuration: StoreConfiguration(path: fixture.path))
        let request = HistoryRequest(requester: .nick("x"), conversation: .room("#room"), query: .latest(after: nil), limit: 100)
        #expect(try reopened.history(request).map(\.msgid) == (0..<50).map { "m\($0)" })
    }

    @Test("a turn larger than a batch is handed over in batch-sized runs without waiting for the turn's end")
    func largeTurnSplits() throws {
        let fixture = try Fixture { $0.maxBatchSize = 100 }
        let tickets = (0..<250).map { fixture.store.stageAppend(Messages.room("m\($0)", at: Int64($0))) }
        let firstRun = fixture.completions.wait(on: fixture.store) { all in
            all.contains { $0.result == .messagesStored(through: tickets[199]) }
        }
        #expect(firstRun.contains { $0.result == .messagesStored(through: tickets[199]) }, "two full runs went without a hand-off")
        fixture.store.handOffStagedAppends()
        _ = fixture.completions.waitFor(tickets[249], on: fixture.store)
        #expect(try fixture.page(.nick("x"), .room("#room")) == (0..<250).map { "m\($0)" })
    }

    @Test("routes sharing one hint still land in their own conversations")
    func collidingHints() throws {
        let fixture = try Fixture()
        let alice = HistoryParty.account("alice")
        let bob = HistoryParty.account("bob")
        let carol = HistoryParty.nick("carol")
        var tickets: [StoreTicket] = []
        for round in 0..<20 {
            let time = Int64(round * 10)
            let messages = [
                Messages.direct("ab\(round)", at: time, from: alice, to: bob),
                Messages.direct("ba\(round)", at: time + 1, from: bob, to: alice),
                Messages.direct("ca\(round)", at: time + 2, from: carol, to: alice),
                Messages.room("r\(round)", at: time + 3, in: "#Room", from: "bob", account: "bob"),
            ]
            // Every route gets the same hint, as if every client id collided: only names decide.
            tickets += messages.map { fixture.store.stageAppend($0, routeHint: 42) }
            if round % 3 == 0 { fixture.store.handOffStagedAppends() }
        }
        fixture.store.handOffStagedAppends()
        let last = tickets[tickets.count - 1]
        let completions = fixture.completions.waitFor(last, on: fixture.store)
        #expect(!completions.contains { if case .messageFailed = $0.result { true } else { false } })
        #expect(try fixture.page(alice, .direct(bob)) == (0..<20).flatMap { ["ab\($0)", "ba\($0)"] })
        #expect(try fixture.page(bob, .direct(alice)) == (0..<20).flatMap { ["ab\($0)", "ba\($0)"] })
        #expect(try fixture.page(alice, .direct(carol)) == (0..<20).map { "ca\($0)" })
        #expect(try fixture.page(carol, .direct(alice)) == (0..<20).map { "ca\($0)" })
        #expect(try fixture.page(.nick("x"), .room("#room")) == (0..<20).map { "r\($0)" })
    }

    @Test("with history off a staged message completes at once, unstored")
    func historyOff() throws {
        let fixture = try Fixture { $0.historyEnabled = false }
        let ticket = fixture.store.stageAppend(Messages.room("m", at: 1))
        let completions = fixture.completions.waitFor(ticket, on: fixture.store)
        #expect(completions == [StoreCompletion(ticket: ticket, result: .messageStored(msgid: "m", stored: false))])
    }
}
