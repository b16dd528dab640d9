import Testing
@testable import Shared

/// The in-place API (`nextRange` + `withLineBytes`) must frame exactly as `next()` does.
@Suite("LineFramer ranges")
struct LineFramerRangeTests {
    /// Drains with the in-place API, copying each line out only to compare it.
    private func drainRanges(_ framer: inout LineFramer) -> [LineFramer.Frame] {
        var frames: [LineFramer.Frame] = []
        while let frame = framer.nextRange() {
            switch frame {
            case .line(let range): frames.append(.line(framer.withLineBytes(range) { Array($0) }))
            case .tooLong: frames.append(.tooLong)
            }
        }
        return frames
    }

    private func drainCopies(_ framer: inout LineFramer) -> [LineFramer.Frame] {
        var frames: [LineFramer.Frame] = []
        while let frame = framer.next() { frames.append(frame) }
        return frames
    }

    @Test("ranges and copies agree on every cut of a stream with CR LF, bare LF, empty and too-long lines")
    func agreesWithNextOnEveryCut() {
        let stream = Array(("NICK a\r\n\r\nUSER u 0 * :r\nPRIVMSG #x :\(String(repeating: "y", count: 40))\r\n"
            + "PING x\r\nPRIVMSG a :x\rQUIT\r\nPART #a").utf8)
        for cut in 0...stream.count {
            var byRange = LineFramer(maxLineBytes: 32)
            var byCopy = LineFramer(maxLineBytes: 32)
            byRange.append(stream[..<cut])
            byCopy.append(stream[..<cut])
            var ranged = drainRanges(&byRange)
            var copied = drainCopies(&byCopy)
            byRange.append(stream[cut...])
            byCopy.append(stream[cut...])
            ranged += drainRanges(&byRange)
            copied += drainCopies(&byCopy)
            #expect(ranged == copied, "cut at \(cut)")
            #expect(ranged.contains(.tooLong), "cut at \(cut)")
            #expect(ranged.first == .line(Array("NICK a".utf8)), "cut at \(cut)")
            #expect(byRange.pendingByteCount == byCopy.pendingByteCount)
            #expect(byRange.pendingByteCount == "PART #a".utf8.count)
        }
    }

    @Test("a range is the line without its terminator, read in place")
    func rangeExcludesTerminator() {
        var framer = LineFramer()
        framer.append(Array("PING a\r\nPING bb\n".utf8))
        guard case .line(let first)? = framer.nextRange(), case .line(let second)? = framer.nextRange() else {
            Issue.record("expected two lines")
            return
        }
        #expect(framer.withLineBytes(first) { String(decoding: $0, as: UTF8.self) } == "PING a")
        #expect(framer.withLineBytes(second) { String(decoding: $0, as: UTF8.self) } == "PING bb")
        #expect(framer.nextRange() == nil)
    }

    @Test("an endless line is one report and memory stays bounded with a large retained capacity")
    func endlessLineWithRetainedCapacity() {
        var framer = LineFramer(maxLineBytes: 64)
        framer.retainedCapacity = 1 << 20
        var frames: [LineFramer.Frame] = []
        var maxPending = 0
        for _ in 0..<1000 {
            framer.append(Array(repeating: UInt8(ascii: "x"), count: 50))
            frames += drainRanges(&framer)
            maxPending = max(maxPending, framer.pendingByteCount)
        }
        framer.append(Array("tail\r\nPING after\r\n".utf8))
        frames += drainRanges(&framer)
        #expect(frames == [.tooLong, .line(Array("PING after".utf8))])
        #expect(maxPending <= 64 + 50)
    }

    @Test("releaseCapacity keeps a partial line and leaves a drained framer working")
    func releaseCapacity() {
        var framer = LineFramer()
        framer.retainedCapacity = 1 << 20
        framer.append(Array("PING a\r\nPART".utf8))
        #expect(drainRanges(&framer) == [.line(Array("PING a".utf8))])
        framer.releaseCapacity()
        #expect(framer.pendingByteCount == 4)
        framer.append(Array(" #a\r\n".utf8))
        #expect(drainRanges(&framer) == [.line(Array("PART #a".utf8))])
        #expect(framer.pendingByteCount == 0)
        framer.releaseCapacity()
        framer.append(Array("QUIT\r\n".utf8))
        #expect(drainRanges(&framer) == [.line(Array("QUIT".utf8))])
    }
}
