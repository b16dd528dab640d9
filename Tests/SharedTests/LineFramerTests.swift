import Testing
@testable import Shared

@Suite("LineFramer")
struct LineFramerTests {
    private func drain(_ framer: inout LineFramer) -> [LineFramer.Frame] {
        var frames: [LineFramer.Frame] = []
        while let frame = framer.next() { frames.append(frame) }
        return frames
    }

    private func line(_ text: String) -> LineFramer.Frame { .line(Array(text.utf8)) }

    @Test("CR LF and bare LF both end a line; the terminator is not part of it")
    func terminators() {
        var framer = LineFramer()
        framer.append(Array("NICK a\r\nUSER u 0 * :r\nPING x\r\n".utf8))
        #expect(drain(&framer) == [line("NICK a"), line("USER u 0 * :r"), line("PING x")])
        #expect(framer.pendingByteCount == 0)
    }

    @Test("a bare CR does not end a line; it stays inside for the parser to refuse")
    func bareCR() {
        var framer = LineFramer()
        framer.append(Array("PRIVMSG a :x\rQUIT\r\n".utf8))
        #expect(drain(&framer) == [line("PRIVMSG a :x\rQUIT")])
    }

    @Test("empty lines are skipped")
    func emptyLines() {
        var framer = LineFramer()
        framer.append(Array("\r\n\n\r\nPING x\r\n\n".utf8))
        #expect(drain(&framer) == [line("PING x")])
    }

    @Test("a line split across reads, even inside CR LF, comes out whole once")
    func splitReads() {
        let text = "PRIVMSG #room :hello there\r\nPING :tok\r\n"
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            var framer = LineFramer()
            framer.append(bytes[..<cut])
            var frames = drain(&framer)
            framer.append(bytes[cut...])
            frames += drain(&framer)
            #expect(frames == [line("PRIVMSG #room :hello there"), line("PING :tok")], "cut at \(cut)")
        }
    }

    @Test("byte-at-a-time feeding yields the same lines")
    func byteAtATime() {
        var framer = LineFramer()
        var frames: [LineFramer.Frame] = []
        for byte in "A b\r\nC :d e\nF\r\n".utf8 {
            framer.append([byte])
            frames += drain(&framer)
        }
        #expect(frames == [line("A b"), line("C :d e"), line("F")])
    }

    @Test("an incomplete line waits and is counted as pending")
    func pending() {
        var framer = LineFramer()
        framer.append(Array("PING x\r\nPART #a".utf8))
        #expect(drain(&framer) == [line("PING x")])
        #expect(framer.pendingByteCount == "PART #a".utf8.count)
    }

    @Test("a line of exactly the limit passes, one byte more is reported as too long")
    func exactLimit() {
        var framer = LineFramer(maxLineBytes: 16)
        framer.append(Array((String(repeating: "a", count: 16) + "\r\n" + String(repeating: "b", count: 17) + "\r\nok\r\n").utf8))
        #expect(drain(&framer) == [line(String(repeating: "a", count: 16)), .tooLong, line("ok")])
    }

    @Test("a line of exactly the limit whose CR and LF arrive in separate reads still passes")
    func exactLimitSplitCRLF() {
        var framer = LineFramer(maxLineBytes: 16)
        framer.append(Array((String(repeating: "a", count: 16) + "\r").utf8))
        var frames = drain(&framer)
        framer.append(Array("\nok\r\n".utf8))
        frames += drain(&framer)
        #expect(frames == [line(String(repeating: "a", count: 16)), line("ok")])
    }

    @Test("an endless line is reported once, its bytes are discarded, and the next line is intact")
    func endlessLine() {
        var framer = LineFramer(maxLineBytes: 64)
        var frames: [LineFramer.Frame] = []
        var maxPending = 0
        for _ in 0..<1000 {
            framer.append(Array(repeating: UInt8(ascii: "x"), count: 50))
            frames += drain(&framer)
            maxPending = max(maxPending, framer.pendingByteCount)
        }
        framer.append(Array("tail of the long line\r\nPING after\r\n".utf8))
        frames += drain(&framer)
        #expect(frames == [.tooLong, line("PING after")])
        // Memory stays bounded: never more than the limit plus one read is kept.
        #expect(maxPending <= 64 + 50)
    }

    @Test("a too-long line inside one read with good lines around it")
    func tooLongInsideOneRead() {
        var framer = LineFramer(maxLineBytes: 10)
        framer.append(Array("one\r\n\(String(repeating: "z", count: 500))\r\ntwo\r\n".utf8))
        #expect(drain(&framer) == [line("one"), .tooLong, line("two")])
    }

    @Test("two too-long lines in a row are two reports")
    func twoTooLong() {
        var framer = LineFramer(maxLineBytes: 8)
        framer.append(Array(repeating: UInt8(ascii: "q"), count: 100))
        var frames = drain(&framer)
        framer.append(Array("\n".utf8) + Array(repeating: UInt8(ascii: "r"), count: 100))
        frames += drain(&framer)
        framer.append(Array("\nok\n".utf8))
        frames += drain(&framer)
        #expect(frames == [.tooLong, .tooLong, line("ok")])
    }

    @Test("the default limit fits the largest legal line (tags plus body)")
    func defaultLimit() {
        #expect(LineFramer().maxLineBytes >= IRCLimits.tagBytes + IRCLimits.lineBytes - 2)
    }

    @Test("the UnsafeRawBufferPointer append matches the sequence append")
    func rawAppend() {
        var framer = LineFramer()
        let bytes = Array("PING a\r\nPING b\r\n".utf8)
        bytes.withUnsafeBytes { framer.append($0) }
        #expect(drain(&framer) == [line("PING a"), line("PING b")])
    }
}
