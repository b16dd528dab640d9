import Testing
@testable import ChatServer
import Shared

/// Which lines the direct-message fast path takes for itself: exactly the plain form, nothing the
/// parser would refuse or read differently.
@Suite("Direct-message fast path: the lines it takes")
struct DirectMessageShapeTests {
    private struct Parts: Equatable {
        let command: DirectMessageShape.Command
        let target: String
        let text: String
        let isASCII: Bool
    }

    private func shape(_ line: [UInt8]) -> Parts? {
        line.withUnsafeBufferPointer { bytes in
            DirectMessageShape(bytes).map {
                Parts(command: $0.command, target: String(decoding: $0.target, as: UTF8.self),
                      text: String(decoding: $0.text, as: UTF8.self), isASCII: $0.textIsASCII)
            }
        }
    }

    private func shape(_ line: String) -> Parts? { shape(Array(line.utf8)) }

    @Test("the plain forms are split into command, target and text")
    func plainForms() {
        #expect(shape("PRIVMSG bob :hello there") == Parts(command: .privmsg, target: "bob", text: "hello there", isASCII: true))
        #expect(shape("NOTICE Bob[1] :x") == Parts(command: .notice, target: "Bob[1]", text: "x", isASCII: true))
        #expect(shape("PRIVMSG bob ::starts with a colon") == Parts(command: .privmsg, target: "bob", text: ":starts with a colon", isASCII: true))
        #expect(shape("PRIVMSG bob :tab\there  ") == Parts(command: .privmsg, target: "bob", text: "tab\there  ", isASCII: true))
        #expect(shape("PRIVMSG bob :ünïcödé 👋") == Parts(command: .privmsg, target: "bob", text: "ünïcödé 👋", isASCII: false))
    }

    @Test("every other form is left to the parser", arguments: [
        "privmsg bob :lower-case command",
        "Privmsg bob :mixed-case command",
        "@+tag=1 PRIVMSG bob :tagged",
        ":alice!a@h PRIVMSG bob :with a source",
        " PRIVMSG bob :leading space",
        "PRIVMSG  bob :two spaces before the target",
        "PRIVMSG bob  :two spaces before the text",
        "PRIVMSG bob word",
        "PRIVMSG bob :",
        "PRIVMSG bob",
        "PRIVMSG :bob",
        "PRIVMSG",
        "PRIVMSG bob,carol :two targets",
        "PRIVMSG #room :a room",
        "PRIVMSG &room :a local room",
        "PRIVMSG @#room :ops of a room",
        "PRIVMSG +#room :voiced of a room",
        "PRIVMSGX bob :another command",
        "TAGMSG bob",
        "PRIVMSG bób :a non-ASCII target",
    ])
    func otherForms(line: String) {
        #expect(shape(line) == nil, "\(line)")
    }

    @Test("bytes the parser refuses are never taken: NUL, CR, LF anywhere, or invalid at any position of an 8-byte word")
    func forbiddenBytes() {
        for forbidden: UInt8 in [0x00, 0x0D, 0x0A] {
            for position in 0..<17 {
                var text = Array("abcdefghijklmnopq".utf8)
                text[position] = forbidden
                #expect(shape(Array("PRIVMSG bob :".utf8) + text) == nil, "byte \(forbidden) at \(position)")
            }
        }
        // A high byte in any position makes the text non-ASCII (it is then validated as UTF-8).
        for position in 0..<17 {
            var text = Array("abcdefghijklmnopq".utf8)
            text[position] = 0xFF
            #expect(shape(Array("PRIVMSG bob :".utf8) + text)?.isASCII == false, "0xFF at \(position)")
        }
    }

    @Test("a line of 510 bytes is taken, one of 511 (which the parser refuses with 417) is not")
    func bodyLimit() {
        let head = "PRIVMSG bob :"
        let longest = head + String(repeating: "a", count: 510 - head.utf8.count)
        #expect(shape(longest)?.text.utf8.count == 510 - head.utf8.count)
        #expect(shape(longest + "a") == nil)
    }

    @Test("a target folded from its bytes is what IRCCaseMapping.fold gives, for every printable ASCII byte and mapping")
    func foldedFromBytes() {
        let printable = Array(UInt8(0x21)...UInt8(0x7E))
        for mapping in [IRCCaseMapping.ascii, .rfc1459, .strictRFC1459] {
            for byte in printable {
                let name = [UInt8(ascii: "N"), byte, UInt8(ascii: "k")]
                let fromBytes = name.withUnsafeBufferPointer { Server.folded($0, mapping) }
                #expect(fromBytes == mapping.fold(String(decoding: name, as: UTF8.self)), "byte \(byte) with \(mapping)")
            }
            let long = Array("AbC[]\\~XYZ-Longer-Than-Fifteen-Bytes".utf8)
            #expect(long.withUnsafeBufferPointer { Server.folded($0, mapping) } == mapping.fold(String(decoding: long, as: UTF8.self)))
        }
    }

    @Test("a source or nick is plain unless empty or holding a space, NUL, CR or LF, at any position")
    func plainWords() {
        #expect(Server.isPlainWord("alice!alice@127.0.0.1"))
        #expect(Server.isPlainWord("a"))
        #expect(Server.isPlainWord("tab\tand\u{7F}-are-kept-by-the-writer"))
        #expect(!Server.isPlainWord(""))
        for bad in ["\u{0}", " ", "\r", "\n"] {
            for position in 0..<20 {
                var characters = Array("abcdefghijklmnopqrst")
                characters[position] = Character(bad)
                #expect(!Server.isPlainWord(String(characters)), "\(bad.unicodeScalars.first?.value ?? 0) at \(position)")
            }
        }
    }
}
