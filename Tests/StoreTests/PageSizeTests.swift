@testable import ChatStore
import Foundation
import Testing

@Suite("Page size")
struct PageSizeTests {
    @Test("a new file gets the configured page size; a file made with other pages keeps them and its history")
    func newFilesUseTheConfiguredSizeOldFilesKeepTheirs() throws {
        let fresh = try StoreFixture()
        #expect(try fresh.store.database.pageSize() == fresh.store.configuration.pageSizeBytes)
        #expect(fresh.store.configuration.pageSizeBytes == 8_192)

        // A file created with 4 KiB pages (as every file before this setting) and opened again with the default.
        let directory = try TemporaryDirectory()
        let path = directory.path("old.sqlite")
        var old = StoreConfiguration(path: path)
        old.scrypt = .testing
        old.pageSizeBytes = 4_096
        let messages = (0..<300).map { Messages.direct("m\($0)", at: Int64(1_000 + $0), from: .account("alice"), to: .account("bob")) }
        do {
            let waiter = CompletionWaiter()
            let store = try ChatStore(configuration: old, wake: waiter.wake)
            let tickets = messages.map { store.append($0) }
            let results = waiter.wait(for: tickets, on: store)
            #expect(tickets.allSatisfy { if case .messageStored(_, true)? = results[$0] { true } else { false } })
            #expect(try store.database.pageSize() == 4_096)
            store.close()
        }
        var reopened = StoreConfiguration(path: path)
        reopened.scrypt = .testing
        let waiter = CompletionWaiter()
        let store = try ChatStore(configuration: reopened, wake: waiter.wake)
        defer { store.close() }
        #expect(try store.database.pageSize() == 4_096)
        let request = HistoryRequest(requester: .account("bob"), conversation: .direct(.account("alice")),
                                     query: .latest(after: nil), limit: 1_000)
        let page = try store.database.history(request).map(\.msgid)
        #expect(page == messages.map(\.msgid))
        // And it takes new messages as before.
        let next = store.append(Messages.direct("m300", at: 2_000, from: .account("alice"), to: .account("bob")))
        #expect(waiter.result(of: next, on: store) == .messageStored(msgid: "m300", stored: true))
        #expect(try store.database.history(request).last?.msgid == "m300")
    }
}
