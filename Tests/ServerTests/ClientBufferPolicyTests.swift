import Testing
@testable import ChatServer
import Shared

/// How a connection's buffers keep or give back memory: busy clients keep capacity between turns,
/// quiet ones return it (the memory per idle connection depends on it).
@Suite("Client buffer policy")
struct ClientBufferPolicyTests {
    private func makeClient() -> Client {
        Client(id: 1, fd: -1, ip: "127.0.0.1", now: 0, wallMs: 0, config: ServerConfig())
    }

    @Test("a drained queue keeps only a small buffer until the client has drained often since the last timer check")
    func busyAfterManyDrains() {
        let client = makeClient()
        #expect(client.drainedCapacityToKeep == Client.quietBufferCapacity)
        client.drainsSinceCheck = Client.busyDrains
        #expect(client.drainedCapacityToKeep == Client.quietBufferCapacity)
        client.drainsSinceCheck = Client.busyDrains + 1
        #expect(client.drainedCapacityToKeep == Client.activeBufferCapacity)
        #expect(Client.activeBufferCapacity > Client.quietBufferCapacity)
    }

    @Test("releaseIdleBuffers frees a drained send queue; the drained framer goes on framing")
    func releasesDrainedBuffers() {
        let client = makeClient()
        client.out.reserveCapacity(64 * 1024)
        client.out.append(contentsOf: Array(repeating: UInt8(ascii: "x"), count: 100))
        client.outStart = 100
        client.framer.append(Array("PING a\r\n".utf8) + Array(repeating: UInt8(ascii: " "), count: 4000) + Array("\r\n".utf8))
        while client.framer.nextRange() != nil {}
        client.releaseIdleBuffers()
        #expect(client.out.capacity == 0)
        #expect(client.outStart == 0)
        #expect(client.pendingOutput == 0)
        #expect(client.framer.pendingByteCount == 0)
        client.framer.append(Array("QUIT\r\n".utf8))
        guard case .line(let range)? = client.framer.nextRange() else {
            Issue.record("expected a line after the release")
            return
        }
        #expect(client.framer.withLineBytes(range) { Array($0) } == Array("QUIT".utf8))
    }

    @Test("releaseIdleBuffers keeps unwritten output and a partial line")
    func keepsPendingData() {
        let client = makeClient()
        client.out.append(contentsOf: Array("PRIVMSG a :not yet written\r\n".utf8))
        client.outStart = 3
        client.framer.append(Array("PING a\r\nPRIVMSG b :half".utf8))
        guard case .line? = client.framer.nextRange() else {
            Issue.record("expected the first line")
            return
        }
        client.releaseIdleBuffers()
        #expect(client.pendingOutput == "PRIVMSG a :not yet written\r\n".utf8.count - 3)
        #expect(client.framer.pendingByteCount == "PRIVMSG b :half".utf8.count)
        client.framer.append(Array(" done\r\n".utf8))
        guard case .line(let range)? = client.framer.nextRange() else {
            Issue.record("expected the completed line")
            return
        }
        #expect(client.framer.withLineBytes(range) { String(decoding: $0, as: UTF8.self) } == "PRIVMSG b :half done")
    }

    @Test("a client's framer keeps a large buffer while busy (no re-growth per read)")
    func framerRetainsWhileBusy() {
        let client = makeClient()
        #expect(client.framer.retainedCapacity == Client.activeBufferCapacity)
    }
}
