import Glibc

/// A numeric IPv4 or IPv6 socket address. The generator only ever talks to loopback, so no name
/// resolution is needed or wanted.
struct Endpoint: Sendable, CustomStringConvertible {
    /// The address as given, for messages.
    let description: String
    private let family: Int32
    private let storage: sockaddr_storage
    private let length: socklen_t

    /// Parses a numeric address; `port` 0 means "any" (for binding a source address).
    init?(address: String, port: UInt16) {
        var storage = sockaddr_storage()
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr = v4
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: sin) { raw.copyMemory(from: $0) }
            }
            self.family = AF_INET
            self.length = socklen_t(MemoryLayout<sockaddr_in>.size)
        } else if inet_pton(AF_INET6, address, &v6) == 1 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            sin6.sin6_addr = v6
            withUnsafeMutableBytes(of: &storage) { raw in
                withUnsafeBytes(of: sin6) { raw.copyMemory(from: $0) }
            }
            self.family = AF_INET6
            self.length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            return nil
        }
        self.storage = storage
        self.description = family == AF_INET6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// Parses `HOST:PORT` or `[V6]:PORT`.
    init?(hostPort: String) {
        var host: Substring
        var portText: Substring
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let rest = hostPort[hostPort.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = hostPort.lastIndex(of: ":") else { return nil }
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        guard let port = UInt16(portText), port != 0 else { return nil }
        self.init(address: String(host), port: port)
    }

    /// Opens a non-blocking TCP socket, binds it to `source` when given, and starts connecting.
    /// Returns the descriptor, or an errno description.
    func startConnect(from source: Endpoint?) -> Result<Int32, SocketError> {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(SocketError("socket", errno)) }
        var one: Int32 = 1
        // The generator batches its own writes; Nagle would only add delay to latency samples.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let source {
            let bound = withUnsafeBytes(of: source.storage) { raw in
                bind(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), source.length)
            }
            if bound != 0 {
                let error = SocketError("bind \(source.description)", errno)
                close(fd)
                return .failure(error)
            }
        }
        let result = withUnsafeBytes(of: storage) { raw in
            connect(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), length)
        }
        if result != 0 && errno != EINPROGRESS {
            let error = SocketError("connect \(description)", errno)
            close(fd)
            return .failure(error)
        }
        return .success(fd)
    }
}

/// A failed socket call with its errno text.
struct SocketError: Error, Sendable, CustomStringConvertible {
    /// What was attempted and why it failed.
    let description: String

    init(_ operation: String, _ code: Int32) {
        description = "\(operation): \(String(cString: strerror(code)))"
    }
}
