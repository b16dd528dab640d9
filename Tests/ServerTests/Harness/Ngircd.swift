import Foundation
import Glibc

/// Debian's ngircd on a loopback port with a generated configuration: the reference server the
/// harness itself is checked against.
enum Ngircd {
    static let binary = "/usr/sbin/ngircd"

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    /// Writes a configuration into a fresh temporary folder and starts ngircd in the foreground.
    static func start() throws -> ServerProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ngircd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try LoopbackPort.free()
        let config = """
            [Global]
            Name = irc.ngircd.test
            Info = harness check
            AdminInfo1 = tests
            AdminInfo2 = tests
            AdminEMail = tests@localhost
            Listen = 127.0.0.1
            Ports = \(port)
            MotdPhrase = ngircd test server
            [Options]
            PAM = no
            Ident = no
            DNS = no
            [Limits]
            MaxNickLength = 30
            """
        let path = directory.appendingPathComponent("ngircd.conf").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        // ngircd has read its configuration once it listens; the folder is not needed after that.
        defer { try? FileManager.default.removeItem(at: directory) }
        return try ServerProcess.launch(executable: binary, arguments: ["-n", "-f", path]) { line in
            line.contains("Now listening on [127.0.0.1]:\(port)") ? port : nil
        }
    }
}

/// Free loopback ports, for servers that cannot bind port 0 and report it.
enum LoopbackPort {
    /// Binds port 0 on 127.0.0.1, reads the port the kernel chose, and releases it.
    static func free() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HarnessError("bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
