import ChatStore
import Dispatch
import Foundation
import Testing

/// SIGKILL in the middle of a write stream: every message confirmed before the kill must be in
/// the database afterwards, and the file must open intact.
///
/// The test bundle runs itself again as the writer (`KillTests.childWriter`, enabled only by
/// `CHAT_STORE_KILL_CHILD_DB`), which appends as fast as it can and records each msgid the
/// moment its completion arrives, with one `write(2)` per msgid so the record survives the kill.
@Suite("Kill -9 mid-stream")
struct KillTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test("confirmed messages survive SIGKILL of the writing process", .enabled(if: environment["CHAT_STORE_KILL_CHILD_DB"] == nil))
    func confirmedSurviveKill() throws {
        let directory = try TemporaryDirectory()
        let databasePath = directory.path("chat.sqlite")
        let confirmedPath = directory.path("confirmed.txt")
        #expect(FileManager.default.createFile(atPath: confirmedPath, contents: nil))

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "childWriter"]
        var environment = ProcessInfo.processInfo.environment
        environment["CHAT_STORE_KILL_CHILD_DB"] = databasePath
        environment["CHAT_STORE_KILL_CHILD_LOG"] = confirmedPath
        child.environment = environment
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        // Kill once a good number are confirmed (the writer is still going flat out then).
        let deadline = DispatchTime.now() + 60
        var confirmedSoFar = 0
        while confirmedSoFar < 3_000, DispatchTime.now() < deadline, child.isRunning {
            usleep(20_000)
            confirmedSoFar = (try? String(contentsOfFile: confirmedPath, encoding: .utf8))?.split(separator: "\n").count ?? 0
        }
        let wasRunning = child.isRunning
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(wasRunning, "the writer finished or died before it could be killed")
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(confirmedSoFar >= 3_000, "the writer confirmed only \(confirmedSoFar) messages in 60 s")

        let confirmed = try String(contentsOfFile: confirmedPath, encoding: .utf8).split(separator: "\n").map(String.init)
        var configuration = StoreConfiguration(path: databasePath)
        configuration.scrypt = .testing
        configuration.maxQueryLimit = 1_000_000
        let reopened = try StoreDatabase(configuration: configuration)
        #expect(try reopened.integrityCheck() == "ok")
        let stored = try reopened.history(HistoryRequest(
            requester: .account("bob"), conversation: .direct(.account("alice")), query: .after(.timestamp(-1)), limit: 1_000_000))
        let storedIDs = Set(stored.map(\.msgid))
        #expect(storedIDs.count == stored.count, "a msgid stored twice")
        let missing = confirmed.filter { !storedIDs.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) of \(confirmed.count) confirmed messages lost, first \(missing.prefix(3))")
        #expect(stored.count >= confirmed.count)
        #expect(try reopened.messageCount() == stored.count)
    }

    @Test("child writer (runs only inside the kill test)", .enabled(if: environment["CHAT_STORE_KILL_CHILD_DB"] != nil))
    func childWriter() throws {
        guard let path = Self.environment["CHAT_STORE_KILL_CHILD_DB"],
              let logPath = Self.environment["CHAT_STORE_KILL_CHILD_LOG"],
              let log = FileHandle(forWritingAtPath: logPath) else { return }
        let waiter = CompletionWaiter()
        var configuration = StoreConfiguration(path: path)
        configuration.durability = .full
        let store = try ChatStore(configuration: configuration, wake: waiter.wake)
        var inFlight: [StoreTicket: String] = [:]
        var next = 0
        let deadline = DispatchTime.now() + 90
        // Bounded: stops by itself if nobody kills it.
        while next < 500_000, DispatchTime.now() < deadline {
            while inFlight.count < 256 {
                let msgid = "k\(next)"
                inFlight[store.append(Messages.direct(msgid, at: Int64(next), from: .account("alice"), to: .account("bob")))] = msgid
                next += 1
            }
            for (ticket, result) in waiter.wait(for: Array(inFlight.keys), on: store, seconds: 0.05) {
                guard let msgid = inFlight.removeValue(forKey: ticket), case .messageStored(_, true) = result else { continue }
                log.write(Data((msgid + "\n").utf8))
            }
        }
        store.close()
    }
}
