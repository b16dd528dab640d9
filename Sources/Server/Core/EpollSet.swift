import CSupport
import Glibc

/// The loop's descriptors registered with epoll, so that waiting costs the kernel the ready
/// descriptors only: poll(2) looked at every connection each turn, and in a 500-member fan-out
/// that scan (fdget, sock_poll, tcp_poll per socket) was 8 % of the loop thread's time.
///
/// The loop goes on saying what it wants in `pollfds[i].events`, as for poll; ``wait(_:timeout:)``
/// first brings the kernel's copy in step (one compare per slot, one `epoll_ctl` per change, so a
/// change made anywhere, such as reads paused for the store, is never missed), then writes what
/// happened into `pollfds[i].revents` as poll would (the EPOLL* bits equal the POLL* ones).
/// Each descriptor's key is its slot, moved with it when ``removeSlot(_:in:)`` fills a hole.
final class EpollSet {
    private let epollFD: Int32
    /// The events each slot is registered with, parallel to the loop's `pollfds`.
    private var registered: [Int16] = []
    private let keys: UnsafeMutablePointer<UInt64>
    private let readyEvents: UnsafeMutablePointer<UInt32>
    /// Most events taken per wait (the shim's limit); more stay ready for the next turn.
    private static let capacity = 512

    /// Nil when the kernel gives no epoll descriptor (the loop then polls).
    init?() {
        let descriptor = chat_epoll_create()
        guard descriptor >= 0 else { return nil }
        epollFD = descriptor
        keys = .allocate(capacity: Self.capacity)
        readyEvents = .allocate(capacity: Self.capacity)
    }

    deinit {
        close(epollFD)
        keys.deallocate()
        readyEvents.deallocate()
    }

    /// Registers the entry just appended to `pollfds` as the last slot.
    func addSlot(_ entry: pollfd, in pollfds: [pollfd]) {
        registered.append(entry.events)
        _ = chat_epoll_control(epollFD, Int32(CHAT_EPOLL_ADD), entry.fd, Self.interest(entry.events), UInt64(pollfds.count - 1))
    }

    /// Forgets slot `index`, whose descriptor is about to close (or has), as the loop's
    /// `removeSlot` moves the last slot into its place: call it before that move, with the old `pollfds`.
    func removeSlot(_ index: Int, in pollfds: [pollfd]) {
        let last = pollfds.count - 1
        // Fails harmlessly (EBADF) for a descriptor already closed: closing removed it.
        _ = chat_epoll_control(epollFD, Int32(CHAT_EPOLL_DEL), pollfds[index].fd, 0, 0)
        if index != last {
            registered[index] = pollfds[last].events
            _ = chat_epoll_control(epollFD, Int32(CHAT_EPOLL_MOD), pollfds[last].fd, Self.interest(pollfds[last].events), UInt64(index))
        }
        registered.removeLast()
    }

    /// Brings the kernel's interest list in step with `pollfds`, waits up to `timeoutMilliseconds`
    /// (-1: no limit), and sets each slot's `revents`. Returns poll's result: how many slots are ready, or -1.
    func wait(_ pollfds: inout [pollfd], timeoutMilliseconds: Int32) -> Int32 {
        for index in 0..<pollfds.count where pollfds[index].events != registered[index] {
            registered[index] = pollfds[index].events
            _ = chat_epoll_control(epollFD, Int32(CHAT_EPOLL_MOD), pollfds[index].fd, Self.interest(pollfds[index].events), UInt64(index))
        }
        let count = chat_epoll_wait(epollFD, keys, readyEvents, Int32(Self.capacity), timeoutMilliseconds)
        guard count > 0 else { return count }
        var ready: Int32 = 0
        for position in 0..<Int(count) {
            let slot = Int(truncatingIfNeeded: keys[position])
            guard slot < pollfds.count else { continue }
            pollfds[slot].revents = Int16(truncatingIfNeeded: readyEvents[position])
            ready += 1
        }
        return ready
    }

    private static func interest(_ events: Int16) -> UInt32 {
        UInt32(UInt16(bitPattern: events))
    }
}
