import ChatStore
import Foundation
import Testing

/// A store on a fresh file (or in memory) with a waiter, closed when released.
final class StoreFixture {
    let directory: TemporaryDirectory
    let waiter = CompletionWaiter()
    let store: ChatStore
    let path: String

    init(inMemory: Bool = false, _ adjust: (inout StoreConfiguration) -> Void = { _ in }) throws {
        directory = try TemporaryDirectory()
        path = inMemory ? ":memory:" : directory.path("chat.sqlite")
        var configuration = StoreConfiguration(path: path)
        configuration.scrypt = .testing
        adjust(&configuration)
        store = try ChatStore(configuration: configuration, wake: waiter.wake)
    }

    /// Makes the request, waits for its completion and returns it; records an issue on timeout.
    func complete(_ request: (ChatStore) -> StoreTicket, sourceLocation: SourceLocation = #_sourceLocation) -> StoreResult? {
        let ticket = request(store)
        let result = waiter.result(of: ticket, on: store)
        #expect(result != nil, "no completion for \(ticket)", sourceLocation: sourceLocation)
        return result
    }

    /// Appends every message and waits until all are committed.
    func appendAll(_ messages: [NewMessage], sourceLocation: SourceLocation = #_sourceLocation) {
        let tickets = messages.map { store.append($0) }
        let results = waiter.wait(for: tickets, on: store)
        for (ticket, message) in zip(tickets, messages) {
            #expect(results[ticket] == .messageStored(msgid: message.msgid, stored: true), sourceLocation: sourceLocation)
        }
    }

    /// A history page through the asynchronous path, as msgids.
    func page(_ requester: HistoryParty, _ conversation: HistoryConversation, _ query: HistoryQuery, limit: Int,
              sourceLocation: SourceLocation = #_sourceLocation) -> [String]? {
        let request = HistoryRequest(requester: requester, conversation: conversation, query: query, limit: limit)
        guard case .history(let messages)? = complete({ $0.history(request) }, sourceLocation: sourceLocation) else {
            Issue.record("not a history result", sourceLocation: sourceLocation)
            return nil
        }
        return messages.map(\.msgid)
    }

    deinit {
        store.close()
    }
}
