import Testing
@testable import ChatTUI

@Suite("Display width per grapheme")
struct DisplayWidthTests {
    @Test("ASCII, Latin with precomposed and combining accents")
    func latin() {
        #expect(DisplayWidth.of("héllo") == 5)
        #expect(DisplayWidth.of("he\u{301}llo") == 5)
        #expect(Array("e\u{301}\u{302}").count == 1)
        #expect(DisplayWidth.of(Character("e\u{301}\u{302}")) == 1)
    }

    @Test("CJK and fullwidth forms take two columns")
    func cjk() {
        #expect(DisplayWidth.of("世界") == 4)
        #expect(DisplayWidth.of(Character("한")) == 2)
        #expect(DisplayWidth.of(Character("Ａ")) == 2)
        #expect(DisplayWidth.of("héllo 世界") == 10)
    }

    @Test("Emoji sequences take two columns", arguments: [
        "👋", "👋🏽", "👨‍👩‍👧", "👨‍👩‍👧‍👦", "❤️", "🇫🇷", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "1️⃣", "🏳️‍🌈",
    ])
    func emoji(_ text: String) {
        #expect(text.count == 1)
        #expect(DisplayWidth.of(text) == 2)
    }

    @Test("A text-presentation symbol stays one column without VS16")
    func textPresentation() {
        #expect(DisplayWidth.of(Character("❤")) == 1)
        #expect(DisplayWidth.of(Character("❤️")) == 2)
    }

    @Test("Control characters measure as their visible caret form")
    func controls() {
        #expect(DisplayWidth.of(Character("\u{1B}")) == 2) // ^[
        #expect(DisplayWidth.of(Character("\u{7F}")) == 2) // ^?
        #expect(DisplayWidth.of(Character("\u{9B}")) == 4) // <9B>
        #expect(DisplayWidth.of(Character("\t")) == Sanitizer.tabWidth)
        #expect(DisplayWidth.of(Character("\u{202E}")) == 8) // <U+202E>
    }

    @Test("Stand-ins never contain a control character")
    func standIns() {
        for value in [0x00, 0x07, 0x1B, 0x7F, 0x85, 0x9B, 0x202E, 0x200B] {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let (text, isStandIn) = Sanitizer.visibleForm(Character(scalar))
            #expect(isStandIn)
            #expect(text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F })
        }
        #expect(Sanitizer.visibleForm("\u{1B}").text == "^[")
        #expect(Sanitizer.visibleForm("\u{9B}").text == "<9B>")
        #expect(Sanitizer.visibleForm("x").isStandIn == false)
    }
}

@Suite("Terminal emoji probe")
struct TerminalProbeTests {
    @Test("Cursor position reports are read out of the input, other bytes skipped")
    func reports() {
        let input = Array("x\u{1B}[1;5R\u{1B}[12;3Ry".unicodeScalars.map(\.value))
        #expect(TerminalProbe.reports(in: input) == [5, 3])
        #expect(TerminalProbe.reports(in: Array("\u{1B}[A".unicodeScalars.map(\.value))).isEmpty)
    }

    @Test("A terminal that does not combine skin tones gets them measured side by side")
    func policy() {
        let wave = Character("👋🏽").unicodeScalars
        let family = Character("👨‍👩‍👧").unicodeScalars
        #expect(DisplayWidth.emojiSequenceWidth(wave, combining: 0b11) == 2)
        #expect(DisplayWidth.emojiSequenceWidth(wave, combining: 0b10) == 4)
        #expect(DisplayWidth.emojiSequenceWidth(family, combining: 0b10) == 2)
        #expect(DisplayWidth.emojiSequenceWidth(family, combining: 0b01) == 6)
        #expect(DisplayWidth.emojiSequenceWidth(Character("❤️").unicodeScalars, combining: 0) == 2)
    }
}
