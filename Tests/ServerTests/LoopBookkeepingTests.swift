import Glibc
import Logging
import Shared
import Testing
@testable import ChatServer

/// The loop's per-message bookkeeping: one receive time per socket read, the cached server-time
/// text, the unretained flush queue, and a busy client's send-queue capacity across timer checks.
@Suite("Loop bookkeeping")
struct LoopBookkeepingTests {
    /// A wall clock that moves only when told to, counting how often it is read.
    private final class SteppedClock: ServerClock {
        var milliseconds: Int64 = 1_764_000_000_123
        var wallReads = 0
        func monotonic() -> Double { 100 }
        func wallMilliseconds() -> Int64 {
            wallReads += 1
            return milliseconds
        }
    }

    private func makeServer(_ clock: SteppedClock) -> Server {
        Server(config: ServerConfig(), clock: clock, logger: Logger(label: "test"))
    }

    @Test("the lines of one read share one clock reading; outside a read every ask reads the clock")
    func oneReceiveTimePerRead() {
        let clock = SteppedClock()
        let server = makeServer(clock)
        let readsBefore = clock.wallReads
        var seen: [Int64] = []
        server.handlingLinesOfOneRead {
            seen.append(server.receivedWallMilliseconds())
            clock.milliseconds += 5
            seen.append(server.receivedWallMilliseconds())
        }
        #expect(seen == [1_764_000_000_123, 1_764_000_000_123])
        #expect(clock.wallReads - readsBefore == 1)
        // The next read reads the clock afresh.
        server.handlingLinesOfOneRead { seen.append(server.receivedWallMilliseconds()) }
        #expect(seen.last == 1_764_000_000_128)
        // Outside a read (held lines, store answers) the clock is read at each ask.
        clock.milliseconds += 7
        #expect(server.receivedWallMilliseconds() == 1_764_000_000_135)
        clock.milliseconds += 1
        #expect(server.receivedWallMilliseconds() == 1_764_000_000_136)
    }

    @Test("a read whose lines never ask for the time does not read the clock")
    func noClockReadWhenUnused() {
        let clock = SteppedClock()
        let server = makeServer(clock)
        let readsBefore = clock.wallReads
        server.handlingLinesOfOneRead {}
        #expect(clock.wallReads == readsBefore)
    }

    @Test("the server-time text is IRCTime's format of the millisecond asked, cached or not")
    func serverTimeTextMatchesFormat() {
        let server = makeServer(SteppedClock())
        for ms: Int64 in [0, 1_764_000_000_123, 1_764_000_000_123, 1_764_000_000_124, 1_764_000_000_123, 999, 1_764_086_399_999] {
            #expect(server.serverTimeText(ms) == IRCTime.format(millisecondsSince1970: ms))
        }
    }

    @Test("a client closed while queued for a flush leaves the queue, and a closed client is never queued")
    func finalCloseLeavesFlushQueue() throws {
        let server = makeServer(SteppedClock())
        var fds: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let stays = Client(id: 1, fd: fds[0], ip: "127.0.0.1", now: 0, wallMs: 0, config: ServerConfig())
        var otherFDs: [Int32] = [-1, -1]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &otherFDs) == 0)
        // finalClose closes otherFDs[0] itself.
        defer { close(otherFDs[1]) }
        let leaves = Client(id: 2, fd: otherFDs[0], ip: "127.0.0.1", now: 0, wallMs: 0, config: ServerConfig())
        for client in [stays, leaves] {
            server.clients[client.id] = client
            server.addSlot(fd: client.fd, owner: .client(client))
        }
        server.appendBytes(Array("PING :a\r\n".utf8), to: stays)
        server.appendBytes(Array("PING :b\r\n".utf8), to: leaves)
        #expect(server.flushQueue.count == 2)
        #expect(leaves.isQueuedForFlush)

        leaves.closeReason = "test"
        server.finalClose(leaves)
        #expect(!leaves.isQueuedForFlush)
        #expect(server.flushQueue.map { $0.takeUnretainedValue().id } == [1])
        // Forced output (as for a last ERROR) to a closed client is not queued either.
        server.appendBytes(Array("ERROR :x\r\n".utf8), to: leaves, force: true)
        #expect(server.flushQueue.count == 1)
        #expect(!leaves.isQueuedForFlush)
        #expect(stays.isQueuedForFlush)
    }

    @Test("a client busy through a timer period keeps its send-queue capacity through the next; a quiet period gives it back")
    func busyCapacitySurvivesTimerCheck() {
        let client = Client(id: 1, fd: -1, ip: "127.0.0.1", now: 0, wallMs: 0, config: ServerConfig())
        client.drainsSinceCheck = Client.busyDrains + 1
        client.startTimerPeriod()
        #expect(client.drainsSinceCheck == 0)
        #expect(client.drainedCapacityToKeep == Client.activeBufferCapacity)
        // A period with few drains: busy no more once it ends.
        client.drainsSinceCheck = Client.busyDrains
        #expect(client.drainedCapacityToKeep == Client.activeBufferCapacity)
        client.startTimerPeriod()
        #expect(client.drainedCapacityToKeep == Client.quietBufferCapacity)
        client.startTimerPeriod()
        #expect(client.drainedCapacityToKeep == Client.quietBufferCapacity)
    }
}
