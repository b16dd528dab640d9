import Testing
import Shared

/// `LineFramer.peekLineRange()` shows exactly the line `nextRange()` would return, without taking
/// it, and nothing when that call would return anything else (room runs rely on both).
@Suite("LineFramer: looking at the next line")
struct LineFramerPeekTests {
    private func text(_ framer: inout LineFramer, _ range: Range<Int>) -> String {
        framer.withLineBytes(range) { String(decoding: $0, as: UTF8.self) }
    }

    @Test("peek shows the next whole line (CRLF or LF) and leaves it; next then returns the same range")
    func peekThenTake() {
        var framer = LineFramer(maxLineBytes: 64)
        framer.append(Array("PRIVMSG #a :one\r\nPRIVMSG #a :two\npart".utf8))
        let first = framer.peekLineRange()
        #expect(first.map { text(&framer, $0) } == "PRIVMSG #a :one")
        #expect(framer.peekLineRange() == first, "peeking twice moved the framer")
        #expect(framer.nextRange() == first.map { .line($0) })
        let second = framer.peekLineRange()
        #expect(second.map { text(&framer, $0) } == "PRIVMSG #a :two")
        #expect(framer.nextRange() == second.map { .line($0) })
        // Only a partial line is left.
        #expect(framer.peekLineRange() == nil)
        #expect(framer.nextRange() == nil)
    }

    @Test("peek shows nothing where next would skip or refuse: an empty line, a too-long line, the rest of a discarded one")
    func peekRefuses() {
        var framer = LineFramer(maxLineBytes: 8)
        framer.append(Array("\r\nabc\r\n".utf8))
        #expect(framer.peekLineRange() == nil, "an empty line is skipped by next(), so it is not shown")
        #expect(framer.nextRange().map { if case .line(let range) = $0 { return text(&framer, range) } else { return "?" } } == "abc")

        var long = LineFramer(maxLineBytes: 8)
        long.append(Array("0123456789\r\nok\r\n".utf8))
        #expect(long.peekLineRange() == nil)
        #expect(long.nextRange() == .tooLong)
        let after = long.peekLineRange()
        #expect(after.map { text(&long, $0) } == "ok")

        var discarding = LineFramer(maxLineBytes: 8)
        discarding.append(Array("0123456789ab".utf8))
        #expect(discarding.nextRange() == .tooLong)
        discarding.append(Array("cd\r\nnext\r\n".utf8))
        #expect(discarding.peekLineRange() == nil, "the tail of a discarded line is not a line")
        let next = discarding.nextRange()
        #expect(next.map { if case .line(let range) = $0 { return text(&discarding, range) } else { return "?" } } == "next")
    }
}
