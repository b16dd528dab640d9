import Glibc
import Testing
@testable import ChatServer

/// EpollSet answers as poll(2) would for the loop's pollfds: ready slots get `revents`, changes to
/// `events` made between waits take effect, and a slot moved into a hole keeps reporting.
@Suite("Epoll set")
struct EpollSetTests {
    private func socketPair() -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        return (fds[0], fds[1])
    }

    private func entry(_ fd: Int32, _ events: Int16) -> pollfd {
        var entry = pollfd()
        entry.fd = fd
        entry.events = events
        return entry
    }

    private func clearRevents(_ pollfds: inout [pollfd]) {
        for index in pollfds.indices { pollfds[index].revents = 0 }
    }

    @Test("ready slots, interest changes, a moved slot and a hang-up are reported as poll reports them")
    func behavesAsPoll() throws {
        let epoll = try #require(EpollSet())
        let (a, aPeer) = socketPair()
        let (b, bPeer) = socketPair()
        defer { [a, aPeer, b, bPeer].forEach { _ = close($0) } }
        var pollfds: [pollfd] = []
        for fd in [a, b] {
            pollfds.append(entry(fd, Int16(POLLIN)))
            epoll.addSlot(pollfds[pollfds.count - 1], in: pollfds)
        }
        #expect(epoll.wait(&pollfds, timeoutMilliseconds: 0) == 0)

        var byte: UInt8 = 1
        #expect(write(bPeer, &byte, 1) == 1)
        #expect(epoll.wait(&pollfds, timeoutMilliseconds: 1000) == 1)
        #expect(pollfds[0].revents == 0)
        #expect(pollfds[1].revents == Int16(POLLIN))
        clearRevents(&pollfds)

        // Asking for POLLOUT between waits takes effect at the next wait.
        pollfds[0].events = Int16(POLLIN) | Int16(POLLOUT)
        #expect(epoll.wait(&pollfds, timeoutMilliseconds: 1000) == 2)
        #expect(pollfds[0].revents == Int16(POLLOUT))
        #expect(pollfds[1].revents == Int16(POLLIN))
        clearRevents(&pollfds)

        // Slot 0 goes; slot 1 (b, still readable) moves into its place and reports there.
        epoll.removeSlot(0, in: pollfds)
        pollfds[0] = pollfds[1]
        pollfds.removeLast()
        #expect(epoll.wait(&pollfds, timeoutMilliseconds: 1000) == 1)
        #expect(pollfds[0].fd == b)
        #expect(pollfds[0].revents == Int16(POLLIN))
        clearRevents(&pollfds)

        // With no interest left, a hang-up is still reported, as poll does.
        pollfds[0].events = 0
        #expect(epoll.wait(&pollfds, timeoutMilliseconds: 0) == 0)
        #expect(shutdown(bPeer, Int32(SHUT_RDWR)) == 0)
        #expect(epoll.wait(&pollfds, timeoutMilliseconds: 1000) == 1)
        #expect(pollfds[0].revents & Int16(POLLHUP) != 0)
    }
}
