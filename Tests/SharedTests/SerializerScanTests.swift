import Testing
@testable import Shared

/// The serializer checks text eight bytes at a time; a forbidden byte must be caught at every
/// position of a word and in the tail, and bytes just above the limits must pass untouched.
@Suite("Serializer: word-at-a-time scan for bytes that would break framing")
struct SerializerScanTests {
    private static let filler = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ".utf8)

    private func text(with byte: UInt8, at position: Int, length: Int) -> String {
        var bytes = Array(Self.filler.prefix(length))
        bytes[position] = byte
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("NUL, CR and LF in a trailing parameter become spaces at every position", arguments: [UInt8(0), 0x0A, 0x0D])
    func trailingControls(byte: UInt8) {
        for length in [1, 7, 8, 9, 16, 23, 40] {
            for position in 0..<length {
                // The leading "x " makes it a trailing parameter (a control byte alone does not).
                let param = "x " + text(with: byte, at: position, length: length)
                let wire = IRCMessage(command: "PRIVMSG", params: ["bob", param]).wireBytes
                var expected = Array("PRIVMSG bob :x ".utf8)
                var body = Array(Self.filler.prefix(length))
                body[position] = UInt8(ascii: " ")
                expected += body + [0x0D, 0x0A]
                #expect(wire == expected, "byte \(byte) at \(position) of \(length)")
            }
        }
    }

    @Test("a space or control in a middle parameter becomes '_' at every position", arguments: [UInt8(0), 0x0A, 0x0D, 0x20])
    func middleControls(byte: UInt8) {
        for length in [2, 8, 9, 17, 40] {
            for position in 1..<length {
                let param = text(with: byte, at: position, length: length)
                let wire = IRCMessage(source: param, command: "PING", params: ["x"]).wireBytes
                var body = Array(Self.filler.prefix(length))
                body[position] = UInt8(ascii: "_")
                #expect(wire == [UInt8(ascii: ":")] + body + Array(" PING x\r\n".utf8), "byte \(byte) at \(position) of \(length)")
            }
        }
    }

    @Test("bytes just above the limits and non-ASCII text pass unchanged")
    func harmlessBytesPass() {
        let harmless = String(decoding: [0x0E, 0x0F, 0x1F, 0x21, 0x7F, 0x09, 0x0B, 0x0C, 0x01, 0x02], as: UTF8.self) + "héllo wörld ✓ 12345678"
        let wire = IRCMessage(command: "PRIVMSG", params: ["bob", harmless]).wireBytes
        #expect(wire == Array("PRIVMSG bob :".utf8) + Array(harmless.utf8) + [0x0D, 0x0A])
    }
}
