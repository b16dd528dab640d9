import Testing
@testable import ChatTUI

@Suite("Key decoding")
struct KeyDecoderTests {
    func decode(_ text: String) -> [Key] {
        var decoder = KeyDecoder()
        return decoder.decode(text.unicodeScalars.map { RawInput.scalar($0) }).keys
    }

    @Test("Alt as an ESC prefix, a lone ESC, control letters, Enter, Tab, Backspace")
    func basics() {
        #expect(decode("\u{1B}1") == [.alt("1")])
        #expect(decode("\u{1B}") == [.escape])
        #expect(decode("\u{01}\u{07}\u{0E}") == [.control("a"), .control("g"), .control("n")])
        #expect(decode("a\r\t\u{7F}") == [.character("a"), .enter, .tab, .backspace])
    }

    @Test("CSI sequences ncurses passed through: Alt-arrows, PgUp, Delete")
    func csi() {
        #expect(decode("\u{1B}[1;3A\u{1B}[1;3B") == [.altUp, .altDown])
        #expect(decode("\u{1B}[5~\u{1B}[3~\u{1B}OP") == [.pageUp, .delete, .function(1)])
    }

    @Test("ESC then a key ncurses decoded is the Alt version")
    func escThenKey() {
        var decoder = KeyDecoder()
        let keys = decoder.decode([.scalar("\u{1B}"), .key(.up), .key(.down)]).keys
        #expect(keys == [.altUp, .down])
    }

    @Test("A skin-toned emoji typed as two scalars is one key")
    func graphemes() {
        #expect(decode("👋🏽x") == [.character("👋🏽"), .character("x")])
    }

    @Test("Bracketed paste arrives whole, even split across reads")
    func paste() {
        #expect(decode("\u{1B}[200~one\ntwo\u{1B}[201~z") == [.paste("one\ntwo"), .character("z")])
        var decoder = KeyDecoder()
        let first = decoder.decode("\u{1B}[200~hel".unicodeScalars.map { RawInput.scalar($0) }).keys
        #expect(first.isEmpty)
        #expect(decoder.isInPaste)
        let second = decoder.decode("lo\u{1B}[201~".unicodeScalars.map { RawInput.scalar($0) }).keys
        #expect(second == [.paste("hello")])
    }

    @Test("A resize and a click pass through")
    func resizeClick() {
        var decoder = KeyDecoder()
        let (keys, resized) = decoder.decode([.resize, .click(row: 3, column: 4)])
        #expect(resized)
        #expect(keys == [.click(row: 3, column: 4)])
    }
}
