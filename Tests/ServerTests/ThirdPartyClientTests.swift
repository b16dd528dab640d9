import Foundation
import Glibc
import Testing
import Shared

/// Debian's `ii` (a FIFO-and-files IRC client) talks to one of our test clients through chat-server.
@Suite("Third-party client: ii", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ii"), "needs Debian's ii"))
struct ThirdPartyClientTests {
    @Test("ii and a test client exchange direct messages both ways")
    func iiDirectMessages() throws {
        let server = try ChatServer.start()
        let bob = try server.client("bob")
        try bob.send("MONITOR + iiuser")
        try bob.expect("731 iiuser") { $0.command == "731" }

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ii-\(UUID().uuidString)").path
        let serverDirectory = root + "/127.0.0.1"
        let queryDirectory = serverDirectory + "/bob"
        try FileManager.default.createDirectory(atPath: queryDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let serverWatcher = try DirectoryWatcher(serverDirectory)
        let queryWatcher = try DirectoryWatcher(queryDirectory)

        let ii = try ChildProcess(executable: "/usr/bin/ii",
                                  arguments: ["-s", "127.0.0.1", "-p", String(server.port), "-n", "iiuser", "-i", root, "-f", "ii test"])
        try bob.expect("730 iiuser (ii registered)", within: 10) { $0.command == "730" && $0.targetNicks == ["iiuser"] }

        // ii creates its command FIFO and opens it for reading; writing blocks nothing once a reader is there.
        let fifoPath = serverDirectory + "/in"
        var fifo: Int32 = -1
        let opened = serverWatcher.wait(within: 10) {
            fifo = open(fifoPath, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            return fifo >= 0
        }
        try #require(opened, "ii never opened \(fifoPath); its output: \(ii.output.text)")
        defer { close(fifo) }
        let command = Array("/j bob hello from ii\n".utf8)
        #expect(command.withUnsafeBytes { write(fifo, $0.baseAddress, $0.count) } == command.count)

        let fromII = try bob.expect("PRIVMSG from iiuser", within: 10) { $0.command == "PRIVMSG" && $0.sourceNick == "iiuser" }
        #expect(fromII.param(0) == "bob")
        #expect(fromII.params.last == "hello from ii")

        try bob.send("PRIVMSG iiuser :hello ii, from bob")
        let outPath = queryDirectory + "/out"
        let arrived = queryWatcher.wait(within: 10) {
            (try? String(contentsOfFile: outPath, encoding: .utf8))?.contains("<bob> hello ii, from bob") == true
        }
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "(no \(outPath))"
        #expect(arrived, "ii's \(outPath) holds:\n\(out)\nii output: \(ii.output.text)")
        #expect(ii.isRunning)
    }
}
