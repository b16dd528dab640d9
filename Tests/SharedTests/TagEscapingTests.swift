import Testing
@testable import Shared

@Suite("Tag value escaping")
struct TagEscapingTests {
    @Test("each of the five escapes", arguments: [
        (";", "\\:"), (" ", "\\s"), ("\\", "\\\\"), ("\r", "\\r"), ("\n", "\\n"),
    ])
    func eachEscape(_ pair: (String, String)) {
        #expect(IRCTagEscaping.escape(pair.0) == pair.1)
        #expect(IRCTagEscaping.unescape(pair.1) == pair.0)
        #expect(IRCTagEscaping.escape("a" + pair.0 + "b") == "a" + pair.1 + "b")
    }

    @Test("text needing no escape is returned as is")
    func plain() {
        #expect(IRCTagEscaping.escape("hello-world_1.2/3=4") == "hello-world_1.2/3=4")
        #expect(IRCTagEscaping.unescape("hello-world") == "hello-world")
        #expect(IRCTagEscaping.escape("") == "")
        #expect(IRCTagEscaping.unescape("") == "")
    }

    @Test("an unknown escape drops the backslash and keeps the character")
    func unknownEscape() {
        #expect(IRCTagEscaping.unescape("a\\bc") == "abc")
        #expect(IRCTagEscaping.unescape("\\1\\t\\x") == "1tx")
        #expect(IRCTagEscaping.unescape("\\ü") == "ü")
    }

    @Test("a lone trailing backslash is dropped")
    func trailingBackslash() {
        #expect(IRCTagEscaping.unescape("value\\") == "value")
        #expect(IRCTagEscaping.unescape("\\") == "")
        #expect(IRCTagEscaping.unescape("a\\\\\\") == "a\\")
    }

    @Test("unescaping goes one character at a time: an escaped backslash followed by n is not a newline")
    func charAtATime() {
        #expect(IRCTagEscaping.unescape("value\\\\ntest") == "value\\ntest")
        #expect(IRCTagEscaping.unescape("\\\\s") == "\\s")
        #expect(IRCTagEscaping.unescape("\\\\\\s") == "\\ ")
    }

    @Test("NUL cannot be carried in a tag value and is dropped by escaping")
    func nulDropped() {
        #expect(IRCTagEscaping.escape("a\0b") == "ab")
    }

    @Test("escaped output never contains a separator, space, CR or LF")
    func escapedIsSafe() {
        let nasty = "; \\\r\n;;  \\\\ \r\r\n\n x"
        let escaped = IRCTagEscaping.escape(nasty)
        #expect(!escaped.contains(";") && !escaped.contains(" ") && !escaped.contains("\r") && !escaped.contains("\n"))
        #expect(IRCTagEscaping.unescape(escaped) == nasty)
    }
}
