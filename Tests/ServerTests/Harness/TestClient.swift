import Glibc
import Shared

/// A line-oriented IRC client over a real loopback socket, for driving a server from tests.
///
/// Every wait has a deadline; a wait that runs out throws a ``HarnessError`` holding the last lines
/// exchanged, so a failing test shows the exact conversation.
final class TestClient {
    /// Name used in transcripts and failure messages.
    let label: String
    /// The nick this client registered with (updated by ``register(nick:user:caps:password:)``).
    var nick: String
    /// Answer server PINGs automatically (the PING is still delivered to the test).
    var autoPong = true
    /// True once the server closed the connection.
    private(set) var isClosed = false
    /// Every line sent (`->`) and received (`<-`), in order.
    private(set) var transcript: [String] = []
    /// Raw bytes of every line received, without CR LF, for checks the parser would hide.
    private(set) var rawLines: [[UInt8]] = []

    private var fd: Int32
    private var framer = LineFramer(maxLineBytes: 64 * 1024)
    private var inbox: [IRCMessage] = []
    private var tokenCounter = 0

    /// Connects to `host:port`. `receiveBuffer` shrinks the kernel buffer (for a client that never reads).
    /// `sourceAddress` binds the local end first (another 127.x address looks like another machine).
    init(port: UInt16, host: String = "127.0.0.1", label: String = "client", receiveBuffer: Int32? = nil,
         sourceAddress: String? = nil) throws {
        self.label = label
        self.nick = label
        let isV6 = host.contains(":")
        fd = socket(isV6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("\(label): socket failed, errno \(errno)") }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let sourceAddress {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, sourceAddress, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                let code = errno
                close(fd)
                throw HarnessError("\(label): bind to \(sourceAddress) failed, errno \(code)")
            }
        }
        var result: Int32
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw HarnessError("\(label): connect to \(host):\(port) failed, errno \(code)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Drops the connection without a QUIT, as a crashed client or a lost network would.
    func disconnect() {
        guard fd >= 0 else { return }
        transcript.append("\(label) -- disconnects without QUIT")
        close(fd)
        fd = -1
        isClosed = true
    }

    /// Drops the connection with a TCP reset (SO_LINGER 0), as a crashed host's stack would.
    func reset() {
        guard fd >= 0 else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        transcript.append("\(label) -- resets the connection")
        close(fd)
        fd = -1
        isClosed = true
    }

    // MARK: sending

    /// Sends `line` followed by CR LF.
    func send(_ line: String) throws {
        transcript.append("\(label) -> \(line)")
        try sendRaw(Array(line.utf8) + [0x0D, 0x0A], record: false)
    }

    /// Sends bytes exactly as given (no CR LF added).
    func sendRaw(_ bytes: [UInt8], record: Bool = true, within seconds: Double = 5) throws {
        if record { transcript.append("\(label) -> raw \(bytes.count) bytes: \(Self.describe(bytes.prefix(120)))") }
        let deadline = Deadline(seconds: seconds)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
                continue
            }
            if written < 0 && (errno == EAGAIN || errno == EINTR) {
                var pollFD = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                guard !deadline.hasPassed else { throw failure("could not write within \(seconds)s (server not reading)") }
                _ = poll(&pollFD, 1, deadline.remainingMilliseconds)
                continue
            }
            throw failure("write failed, errno \(errno)")
        }
    }

    // MARK: receiving

    /// The next message, or nil when none arrives before the deadline or the connection is closed.
    func nextMessage(within seconds: Double) throws -> IRCMessage? {
        let deadline = Deadline(seconds: seconds)
        while inbox.isEmpty {
            if isClosed { return nil }
            guard try readSome(until: deadline) else { return nil }
        }
        return inbox.removeFirst()
    }

    /// Waits for a message satisfying `matches`, skipping others; throws with the transcript at the deadline.
    @discardableResult
    func expect(_ what: String, within seconds: Double = 5, where matches: (IRCMessage) -> Bool) throws -> IRCMessage {
        let deadline = Deadline(seconds: seconds)
        while true {
            if let index = inbox.firstIndex(where: matches) {
                let found = inbox[index]
                inbox.removeSubrange(...index)
                return found
            }
            inbox.removeAll()
            if isClosed { throw failure("connection closed while waiting for \(what)") }
            guard try readSome(until: deadline) else {
                throw failure(isClosed ? "connection closed while waiting for \(what)" : "no \(what) within \(seconds)s")
            }
        }
    }

    /// Waits for `command` (a word or a numeric), optionally with the given leading parameters.
    @discardableResult
    func expect(_ command: String, _ params: String..., within seconds: Double = 5) throws -> IRCMessage {
        let description = ([command] + params).joined(separator: " ")
        return try expect(description, within: seconds) { message in
            message.command == command && message.params.count >= params.count && zip(message.params, params).allSatisfy { $0 == $1 }
        }
    }

    /// Waits for a numeric whose first parameter is this client's nick (or `*`), then `params`.
    @discardableResult
    func expectNumeric(_ code: String, _ params: String..., within seconds: Double = 5) throws -> IRCMessage {
        let description = ([code, "<me>"] + params).joined(separator: " ")
        return try expect(description, within: seconds) { message in
            message.command == code && message.params.count >= params.count + 1
                && zip(message.params.dropFirst(), params).allSatisfy { $0 == $1 }
        }
    }

    /// Every message up to and including the first that satisfies `last`.
    func collect(until what: String, within seconds: Double = 5, last: (IRCMessage) -> Bool) throws -> [IRCMessage] {
        var collected: [IRCMessage] = []
        let deadline = Deadline(seconds: seconds)
        while true {
            while !inbox.isEmpty {
                let message = inbox.removeFirst()
                collected.append(message)
                if last(message) { return collected }
            }
            if isClosed { throw failure("connection closed while collecting until \(what)") }
            guard try readSome(until: deadline) else { throw failure("no \(what) within \(seconds)s") }
        }
    }

    /// Round-trips a PING and returns everything that arrived before its PONG.
    ///
    /// The server handles one client's lines in order and queues output in order, so anything the
    /// server meant to send this client before it read the PING has arrived once the PONG has.
    @discardableResult
    func sync(within seconds: Double = 5) throws -> [IRCMessage] {
        tokenCounter += 1
        let token = "sync-\(label)-\(tokenCounter)"
        try send("PING \(token)")
        let collected = try collect(until: "PONG \(token)", within: seconds) { $0.command == "PONG" && $0.params.last == token }
        return Array(collected.dropLast())
    }

    /// Asserts that nothing satisfying `unwanted` arrives before a ``sync()`` completes.
    func expectNone(_ what: String, within seconds: Double = 5, where unwanted: (IRCMessage) -> Bool) throws {
        let before = try sync(within: seconds)
        if let bad = before.first(where: unwanted) {
            throw failure("unexpected \(what): \(bad.wireLine)")
        }
    }

    /// Waits until the server closes the connection; returns what arrived before the close.
    @discardableResult
    func expectClosed(within seconds: Double = 5) throws -> [IRCMessage] {
        let deadline = Deadline(seconds: seconds)
        while !isClosed {
            guard try readSome(until: deadline) else {
                if isClosed { break }
                throw failure("connection still open after \(seconds)s")
            }
        }
        defer { inbox.removeAll() }
        return inbox
    }

    // MARK: registration

    /// Registers: optional PASS, CAP LS 302 / REQ / END when `caps` is not empty, NICK, USER; then waits
    /// through 001 to the end of the MOTD (376) or its absence (422). Returns the registration burst.
    @discardableResult
    func register(nick: String, user: String? = nil, caps: [String] = [], password: String? = nil,
                  within seconds: Double = 5) throws -> [IRCMessage] {
        self.nick = nick
        if let password { try send("PASS \(password)") }
        if !caps.isEmpty {
            try send("CAP LS 302")
            let offered = try capLS(within: seconds)
            let missing = caps.filter { !offered.keys.contains($0) }
            guard missing.isEmpty else { throw failure("server does not offer \(missing); offered \(offered.keys.sorted())") }
            try send("CAP REQ :\(caps.joined(separator: " "))")
            let reply = try expect("CAP ACK/NAK", within: seconds) { $0.command == "CAP" && ($0.param(1) == "ACK" || $0.param(1) == "NAK") }
            guard reply.param(1) == "ACK" else { throw failure("CAP REQ refused: \(reply.wireLine)") }
        }
        try send("NICK \(nick)")
        try send("USER \(user ?? nick) 0 * :Test \(nick)")
        if !caps.isEmpty { try send("CAP END") }
        let burst = try collect(until: "001 … 376/422", within: seconds) { message in
            if message.command == IRCNumeric.nicknameInUse || message.command == IRCNumeric.erroneousNickname
                || message.command == IRCNumeric.passwdMismatch || message.command == "ERROR" {
                return true
            }
            return message.command == IRCNumeric.endOfMotd || message.command == IRCNumeric.noMotd
        }
        guard burst.contains(where: { $0.command == IRCNumeric.welcome }) else {
            throw failure("registration as \(nick) failed: \(burst.last?.wireLine ?? "nothing")")
        }
        return burst
    }

    /// Reads a (possibly multi-line) `CAP * LS` reply into name -> value.
    func capLS(within seconds: Double = 5) throws -> [String: String] {
        var offered: [String: String] = [:]
        while true {
            let line = try expect("CAP LS", within: seconds) { $0.command == "CAP" && $0.param(1) == "LS" }
            let more = line.params.count >= 4 && line.params[2] == "*"
            for token in (line.params.last ?? "").split(separator: " ") {
                if let equals = token.firstIndex(of: "=") {
                    offered[String(token[..<equals])] = String(token[token.index(after: equals)...])
                } else {
                    offered[String(token)] = ""
                }
            }
            if !more { return offered }
        }
    }

    // MARK: internals

    /// Reads once (waiting up to the deadline); false when the deadline passed or the peer closed.
    private func readSome(until deadline: Deadline) throws -> Bool {
        var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pollFD, 1, deadline.remainingMilliseconds)
        if ready < 0 && errno == EINTR { return !deadline.hasPassed }
        guard ready > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EINTR { return true }
            transcript.append("\(label) <- (connection error, errno \(errno))")
            isClosed = true
            return false
        }
        if count == 0 {
            transcript.append("\(label) <- (closed by server)")
            isClosed = true
            return false
        }
        framer.append(buffer[0..<count])
        while let frame = framer.next() {
            guard case .line(let bytes) = frame else { throw failure("server sent a line over 64 KiB") }
            rawLines.append(bytes)
            let message: IRCMessage
            do {
                message = try IRCMessage.parse(bytes, limits: .fromServer)
            } catch {
                transcript.append("\(label) <- \(Self.describe(bytes[...]))")
                throw failure("server sent a line that does not parse (\(error)): \(Self.describe(bytes[...]))")
            }
            transcript.append("\(label) <- \(String(decoding: bytes, as: UTF8.self))")
            if autoPong && message.command == "PING" {
                try send("PONG :\(message.params.last ?? "")")
            }
            inbox.append(message)
        }
        return true
    }

    /// A HarnessError carrying this client's recent transcript.
    func failure(_ reason: String) -> HarnessError {
        HarnessError("\(label): \(reason)\n  last exchange:\n    " + transcript.suffix(25).joined(separator: "\n    "))
    }

    private static func describe(_ bytes: ArraySlice<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case 0x20...0x7E: text.append(Character(Unicode.Scalar(byte)))
            default: text += "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return text
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
