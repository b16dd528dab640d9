import Foundation
import Testing
@testable import ChatTUI

@Suite("Configuration")
struct ConfigTests {
    func temporaryFile(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "chat-tui-config-\(UUID().uuidString).toml"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test("Addresses: host, host:port, [v6]:port; bad ones refused")
    func addresses() {
        #expect(Config.parseAddress("example.org")! == ("example.org", nil))
        #expect(Config.parseAddress("127.0.0.1:6697")! == ("127.0.0.1", 6697))
        #expect(Config.parseAddress("[::1]:7000")! == ("::1", 7000))
        #expect(Config.parseAddress("host:0") == nil)
        #expect(Config.parseAddress("host:99999") == nil)
        #expect(Config.parseAddress("::1") == nil)
        #expect(Config.parseAddress(":6667") == nil)
    }

    @Test("The password: --password-file beats $CHAT_PASSWORD, which beats the config file; bad files are usage errors")
    func password() throws {
        let config = temporaryFile("nick = \"bob\"\npassword = \"from-config\"\n")
        let file = temporaryFile("from-file\nsecond line ignored\n")
        let crlf = temporaryFile("with-crlf\r\n")
        let empty = temporaryFile("\n")
        defer { for path in [config, file, crlf, empty] { try? FileManager.default.removeItem(atPath: path) } }
        let base = ["--config", config]
        #expect(try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base), environment: [:]).password == "from-config")
        #expect(try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base), environment: ["CHAT_PASSWORD": "from-env"]).password == "from-env")
        #expect(try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base + ["--password-file", file]),
                                           environment: ["CHAT_PASSWORD": "from-env"]).password == "from-file")
        #expect(try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base + ["--password-file", crlf]), environment: [:]).password == "with-crlf")
        #expect(throws: (any Error).self) {
            try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base + ["--password-file", empty]), environment: [:])
        }
        #expect(throws: (any Error).self) {
            try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base + ["--password-file", "/nonexistent/pw"]), environment: [:])
        }
        #expect(throws: (any Error).self) {
            try ChatTUICommand.resolve(flags: ChatTUICommand.parse(base + ["--password-file", file, "--password", "x"]), environment: [:])
        }
    }

    @Test("Flags beat environment, environment beats the file, $USER is the last resort")
    func precedence() throws {
        let path = temporaryFile("server = \"file.example:7000\"\nnick = \"filenick\"\nrealname = \"From File\"\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try ChatTUICommand.resolve(flags: ChatTUICommand.parse(["--config", path]), environment: ["USER": "login"])
        #expect(fromFile.host == "file.example" && fromFile.port == 7000 && fromFile.nick == "filenick")
        #expect(fromFile.realname == "From File")
        let fromEnv = try ChatTUICommand.resolve(flags: ChatTUICommand.parse(["--config", path]),
                                                 environment: ["CHAT_SERVER": "env.example:7001", "CHAT_NICK": "envnick"])
        #expect(fromEnv.host == "env.example" && fromEnv.nick == "envnick")
        let fromFlags = try ChatTUICommand.resolve(flags: ChatTUICommand.parse(["--config", path, "--server", "[::1]:7002", "--nick", "flagnick"]),
                                                   environment: ["CHAT_NICK": "envnick"])
        #expect(fromFlags.host == "::1" && fromFlags.port == 7002 && fromFlags.nick == "flagnick")
        let fallback = try ChatTUICommand.resolve(flags: ChatTUICommand.parse([]), environment: ["USER": "login", "XDG_CONFIG_HOME": "/nonexistent"])
        #expect(fallback.nick == "login" && fallback.host == "127.0.0.1" && fallback.port == 6667)
    }

    @Test("A bad config file or value is a usage error", arguments: [
        "server = 6667\n", "nick = \"bad nick\"\n", "colour = \"red\"\n", "server = \"a:b:c\"\n", "this is not toml\n",
    ])
    func badFile(_ text: String) {
        let path = temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: (any Error).self) {
            try ChatTUICommand.resolve(flags: ChatTUICommand.parse(["--config", path, "--nick", "ok"]), environment: [:])
        }
    }

    @Test("Backoff doubles from 1 s to 60 s with bounded jitter and resets")
    func backoff() {
        var backoff = Backoff()
        let delays = (0..<9).map { _ in backoff.nextDelay(random: { 0.5 }) }
        #expect(delays == [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000])
        var jittered = Backoff()
        let low = jittered.nextDelay(random: { 0 })
        let high = Backoff().withJitter(1)
        #expect(low == 800)
        #expect(high <= 1200)
        jittered.reset()
        #expect(jittered.failures == 0)
    }
}

extension Backoff {
    fileprivate func withJitter(_ value: Double) -> Int64 {
        var copy = self
        return copy.nextDelay(random: { value })
    }
}
