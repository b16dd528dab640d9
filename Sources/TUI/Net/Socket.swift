import CSupport
import Glibc

/// Resolving and connecting without blocking past a timeout.
enum Socket {
    /// Why a connection attempt failed, in words for the status line.
    struct ConnectError: Error, CustomStringConvertible {
        let description: String
    }

    /// Connects to the first address of `host` that answers; the socket is non-blocking.
    static func connect(host: String, port: Int, timeoutMilliseconds: Int32) -> Result<Int32, ConnectError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure(ConnectError(description: "cannot resolve \(host): " + String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address for \(host)"
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            node = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = "socket: " + String(cString: strerror(chat_errno()))
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return .success(fd) }
            guard chat_errno() == EINPROGRESS else {
                lastError = "connect to \(host):\(port): " + String(cString: strerror(chat_errno()))
                close(fd)
                continue
            }
            var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&waiting, 1, timeoutMilliseconds)
            if ready <= 0 {
                lastError = "connect to \(host):\(port) timed out"
                close(fd)
                continue
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return .success(fd) }
            lastError = "connect to \(host):\(port): " + String(cString: strerror(error))
            close(fd)
        }
        return .failure(ConnectError(description: lastError))
    }
}
