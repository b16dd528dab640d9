import Foundation
import Testing

/// ngircd from Debian on a free loopback port, with a throwaway config.
final class TUINgircd {
    let pid: pid_t
    let port: Int
    private let directory: String

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/ngircd") else {
            throw EndToEndError("ngircd is not installed (apt-get install ngircd)")
        }
        port = try Self.freePort()
        directory = NSTemporaryDirectory() + "chat-e2e-ngircd-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let config = """
            [Global]
            Name = irc.e2e.test
            Info = chat-tui interop test
            Listen = 127.0.0.1
            Ports = \(port)
            PidFile = \(directory)/ngircd.pid
            MotdPhrase = interop
            ServerUID = \(getuid())
            [Limits]
            MaxNickLength = 20
            [Options]
            PAM = no
            Ident = no
            DNS = no
            """
        try config.write(toFile: directory + "/ngircd.conf", atomically: true, encoding: .utf8)
        pid = try Spawn.start("/usr/sbin/ngircd", ["-n", "-f", directory + "/ngircd.conf"], outputPath: directory + "/log")
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Self.accepts(port) { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        _ = Spawn.wait(pid)
        throw EndToEndError("ngircd did not listen on \(port)")
    }

    deinit {
        kill(pid, SIGTERM)
        _ = Spawn.wait(pid)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A port the kernel just handed out on 127.0.0.1 (closed again for ngircd to take).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw EndToEndError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// chat-tui against a plain IRC server without the roster capability.
@Suite("chat-tui against ngircd", .serialized, .timeLimit(.minutes(1)))
struct TUINgircdTests {
    func sidebarRow(_ screen: String, _ label: String) -> String? {
        screen.split(separator: "\n").map { String($0.prefix(20)) }.first { $0.dropFirst().hasPrefix(label + " ") }
    }

    @Test("Connect, join a room, DM: Online lists room members and DM partners")
    func interop() throws {
        let server = try TUINgircd()
        let tui = try TUIBinaries.tui()
        func client(_ nick: String) throws -> TmuxSession {
            try TmuxSession(name: nick, width: 100, height: 30,
                            command: [tui, "--server", "127.0.0.1:\(server.port)", "--nick", nick],
                            environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        }
        let dora = try client("dora")
        let eve = try client("eve")
        defer {
            dora.kill()
            eve.kill()
        }
        try dora.waitFor(text: "connected │ dora")
        try eve.waitFor(text: "connected │ eve")
        try dora.type("/join #interop")
        try dora.press("Enter")
        try dora.waitFor(text: "[#interop]")
        try eve.type("/join #interop")
        try eve.press("Enter")
        try eve.waitFor(text: "[#interop]")
        // No roster capability: Online is the people in our rooms.
        try dora.waitFor("eve in Online through #interop") { self.sidebarRow($0, "eve") != nil }
        try eve.waitFor("dora in Online through #interop") { self.sidebarRow($0, "dora") != nil }
        try dora.type("hello room")
        try dora.press("Enter")
        try eve.waitFor(text: "<dora> hello room")
        try dora.type("/msg eve a direct one")
        try dora.press("Enter")
        try eve.waitFor("an unread DM from dora") { (self.sidebarRow($0, "dora") ?? "").hasSuffix("1") }
        // eve leaves the room; she stays in dora's Online as a DM partner (MONITOR or ISON).
        try eve.type("/part")
        try eve.press("Enter")
        try dora.waitFor(text: "eve left")
        try dora.waitFor("eve still online as a DM partner", seconds: 15) { screen in
            let online = screen.split(separator: "\n").prefix(while: { !$0.hasPrefix("Rooms") })
            return online.contains { $0.hasPrefix(" eve ") }
        }
    }
}
