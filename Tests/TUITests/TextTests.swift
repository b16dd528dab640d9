import Testing
@testable import ChatTUI

@Suite("Formatting codes and wrapping")
struct TextTests {
    @Test("Bold, italic, underline, reverse and reset change the style and are not drawn")
    func attributes() {
        let cells = FormattedText.cells("a\u{02}b\u{1D}c\u{1F}d\u{16}e\u{0F}f")
        #expect(cells.map(\.text).joined() == "abcdef")
        #expect(cells[0].style == .plain)
        #expect(cells[1].style.bold)
        #expect(cells[2].style.bold && cells[2].style.italic)
        #expect(cells[3].style.underline)
        #expect(cells[4].style.reverse)
        #expect(cells[5].style == .plain)
    }

    @Test("Colours with foreground, background, two digits and a bare reset")
    func colours() {
        let cells = FormattedText.cells("\u{03}4red\u{03}12,01blue\u{03}plain\u{03}3,x")
        #expect(cells.map(\.text).joined() == "redblueplain,x")
        #expect(cells[0].style.foreground == IRCColor.palette(4))
        #expect(cells[3].style.foreground == IRCColor.palette(12))
        #expect(cells[3].style.background == IRCColor.palette(1))
        #expect(cells[7].style.foreground == nil)
        // "\x033,x": a comma not followed by a digit is text, not a background.
        #expect(cells[12].text == ",")
        #expect(cells[12].style.foreground == IRCColor.palette(3))
    }

    @Test("An escape sequence from the network is shown, never passed through")
    func escapes() {
        let cells = FormattedText.cells("x\u{1B}[2Jy")
        #expect(cells.map(\.text).joined() == "x^[[2Jy")
        #expect(cells[1].style.reverse)
        #expect(cells.allSatisfy { cell in cell.text.unicodeScalars.allSatisfy { $0.value >= 0x20 } })
    }

    @Test("Word wrap breaks at spaces, cuts long words, respects wide characters")
    func wrap() {
        func rows(_ text: String, _ width: Int) -> [String] {
            let cells = FormattedText.plainCells(text)
            return WordWrap.rows(cells, width: width).map { cells[$0].map(\.text).joined() }
        }
        #expect(rows("hello world again", 11) == ["hello world", "again"])
        #expect(rows("hello world again", 10) == ["hello ", "world ", "again"])
        #expect(rows("abcdefghij", 4) == ["abcd", "efgh", "ij"])
        #expect(rows("世界世界世", 5) == ["世界", "世界", "世"])
        #expect(rows("", 5) == [""])
        let first = WordWrap.rows(FormattedText.plainCells("aa bb cc"), firstWidth: 3, width: 8)
        #expect(first.count == 2)
    }

    @Test("Nick colours are stable and case-insensitive")
    func nickColours() {
        #expect(IRCColor.forNick("Alice") == IRCColor.forNick("alice"))
        let spread = Set(["alice", "bob", "carol", "dave", "eve", "mallory"].map(IRCColor.forNick))
        #expect(spread.count > 1)
    }

    @Test("Calendar days and clock in a fixed offset")
    func calendar() {
        let ms: Int64 = 1_795_000_000_000 // 2026-11-18T11:06:40Z
        let day = CalendarDay(milliseconds: ms, utcOffset: 0)
        #expect(day.year == 2026 && day.month == 11 && day.day == 18)
        #expect(day.longText == "Wednesday 18 November 2026")
        #expect(CalendarDay.clock(milliseconds: ms, utcOffset: 0) == "11:06")
        #expect(CalendarDay.clock(milliseconds: ms, utcOffset: 3600) == "12:06")
        #expect(CalendarDay(milliseconds: ms, utcOffset: 13 * 3600).day == 19)
    }
}
