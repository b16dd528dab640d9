import Testing
@testable import Shared

@Suite("Parser: edge cases and rejections")
struct ParserEdgeCaseTests {
    private func parseError(_ bytes: [UInt8], limits: IRCParseLimits = .fromClient) -> IRCParseError? {
        do {
            _ = try IRCMessage.parse(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    private func parseError(_ text: String, limits: IRCParseLimits = .fromClient) -> IRCParseError? {
        parseError(Array(text.utf8), limits: limits)
    }

    @Test("runs of spaces between every part are one separator")
    func runsOfSpaces() throws {
        let message = try IRCMessage.parse("@a=1   :nick!u@h   PRIVMSG    #room     :  hi  there ")
        #expect(message.tags == [IRCTag("a", "1")])
        #expect(message.source == "nick!u@h")
        #expect(message.command == "PRIVMSG")
        #expect(message.params == ["#room", "  hi  there "])
    }

    @Test("leading spaces before the command are skipped")
    func leadingSpaces() throws {
        let message = try IRCMessage.parse("   NICK alice")
        #expect(message.command == "NICK")
        #expect(message.params == ["alice"])
    }

    @Test("a trailing of only a colon is an empty parameter, distinct from none")
    func emptyTrailing() throws {
        #expect(try IRCMessage.parse("TOPIC #a :").params == ["#a", ""])
        #expect(try IRCMessage.parse("TOPIC #a").params == ["#a"])
        #expect(try IRCMessage.parse("TOPIC #a ").params == ["#a"])
    }

    @Test("a trailing keeps colons and spaces inside it verbatim")
    func trailingWithColons() throws {
        #expect(try IRCMessage.parse("PRIVMSG bob ::: a :b: ").params == ["bob", ":: a :b: "])
    }

    @Test("a colon inside a middle parameter does not start the trailing")
    func colonInsideMiddle() throws {
        #expect(try IRCMessage.parse("PRIVMSG a:b :c").params == ["a:b", "c"])
    }

    @Test("commands are upper-cased; numerics must be exactly three digits")
    func commandShapes() throws {
        #expect(try IRCMessage.parse("privmsg bob :hi").command == "PRIVMSG")
        #expect(try IRCMessage.parse("PrIvMsG bob :hi").command == "PRIVMSG")
        #expect(try IRCMessage.parse(":srv 001 me :welcome").command == "001")
        #expect(parseError("01 me") == .invalidCommand)
        #expect(parseError("0001 me") == .invalidCommand)
        #expect(parseError("PRIV-MSG bob") == .invalidCommand)
        #expect(parseError("PRIV1 bob") == .invalidCommand)
        #expect(parseError("ÄÖ bob") == .invalidCommand)
    }

    @Test("empty and whitespace-only lines are .empty; tags or a source without a command are .missingCommand")
    func missingPieces() {
        #expect(parseError("") == .empty)
        #expect(parseError("    ") == .empty)
        #expect(parseError("@a=b") == .missingCommand)
        #expect(parseError("@a=b   ") == .missingCommand)
        #expect(parseError(":source") == .missingCommand)
        #expect(parseError(":source   ") == .missingCommand)
        #expect(parseError("@a=b :source") == .missingCommand)
    }

    @Test("fifteen parameters are accepted, a sixteenth is refused")
    func parameterLimit() throws {
        let fifteen = (1...15).map(String.init)
        let ok = try IRCMessage.parse("CMD " + fifteen.joined(separator: " "))
        #expect(ok.params == fifteen)
        let fifteenWithTrailing = try IRCMessage.parse("CMD " + (1...14).map(String.init).joined(separator: " ") + " :last one")
        #expect(fifteenWithTrailing.params.count == 15)
        #expect(fifteenWithTrailing.params.last == "last one")
        #expect(parseError("CMD " + (1...16).map(String.init).joined(separator: " ")) == .tooManyParams)
        #expect(parseError("CMD " + (1...15).map(String.init).joined(separator: " ") + " :extra") == .tooManyParams)
    }

    @Test("the body limit from a client is 510 bytes (512 with CR LF), counted in bytes not characters")
    func bodyLimit() throws {
        let prefix = "PRIVMSG bob :"
        let exact = prefix + String(repeating: "x", count: 510 - prefix.utf8.count)
        #expect(try IRCMessage.parse(exact, limits: .fromClient).params[1].utf8.count == 510 - prefix.utf8.count)
        #expect(parseError(exact + "x") == .lineTooLong)
        // Three bytes per character: 170 characters fill 510 bytes exactly; one more goes over.
        let wide = String(repeating: "€", count: (510 - prefix.utf8.count) / 3)
        #expect(throws: Never.self) { try IRCMessage.parse(prefix + wide, limits: .fromClient) }
        #expect(parseError(prefix + wide + "€€") == .lineTooLong)
    }

    @Test("tags do not count against the body limit, and have their own limit")
    func tagLimit() throws {
        let body = "PRIVMSG bob :" + String(repeating: "y", count: 400)
        // "@" + key=value + " " must be at most 4096 bytes from a client.
        let value = String(repeating: "v", count: 4096 - 2 - "+k=".utf8.count)
        let exact = "@+k=" + value + " " + body
        let parsed = try IRCMessage.parse(exact, limits: .fromClient)
        #expect(parsed.tag("+k") == value)
        #expect(parseError("@+k=" + value + "v " + body) == .tagsTooLong)
        // The server's own limit is larger: the same line passes the from-server limits.
        #expect(throws: Never.self) { try IRCMessage.parse("@+k=" + value + "v " + body, limits: .fromServer) }
    }

    @Test("invalid UTF-8 anywhere in the line is refused", arguments: [
        [0xFF] as [UInt8],
        [0xC3, 0x28],
        [0xE2, 0x82],
        [0xED, 0xA0, 0x80],   // a UTF-16 surrogate encoded in UTF-8
        [0xC0, 0xAF],         // an overlong '/'
        [0xF4, 0x90, 0x80, 0x80], // past U+10FFFF
    ])
    func invalidUTF8(_ bad: [UInt8]) {
        #expect(parseError(Array("PRIVMSG bob :hi ".utf8) + bad) == .invalidUTF8)
        #expect(parseError(Array("@+x=".utf8) + bad + Array(" PRIVMSG bob :hi".utf8)) == .invalidUTF8)
        #expect(parseError(Array(":".utf8) + bad + Array(" PRIVMSG bob :hi".utf8)) == .invalidUTF8)
    }

    @Test("valid multi-byte UTF-8 passes through unchanged")
    func validUTF8() throws {
        let text = "héllo wörld 日本語 👋🏽 ❤️"
        #expect(try IRCMessage.parse("PRIVMSG bob :" + text).params[1] == text)
    }

    @Test("NUL, CR or LF inside a line is refused, wherever it is", arguments: [UInt8(0), 0x0D, 0x0A])
    func forbiddenControls(_ byte: UInt8) {
        #expect(parseError(Array("PRIVMSG bob :a".utf8) + [byte] + Array("b".utf8)) == .forbiddenControlCharacter)
        #expect(parseError(Array("PRIVMSG b".utf8) + [byte] + Array("ob :ab".utf8)) == .forbiddenControlCharacter)
        #expect(parseError(Array("@a=".utf8) + [byte] + Array(" PRIVMSG bob :ab".utf8)) == .forbiddenControlCharacter)
        #expect(parseError(Array("PRIVMSG bob :ab".utf8) + [byte]) == .forbiddenControlCharacter)
    }

    @Test("a smuggled second command after CR LF is refused, not split")
    func smuggledCommand() {
        #expect(parseError("PRIVMSG bob :hi\r\nQUIT :pwned") == .forbiddenControlCharacter)
    }

    @Test("other control characters such as tab and colour codes are kept")
    func otherControlsKept() throws {
        let text = "\u{02}bold\u{02} \u{03}4red\u{0F}\ttab"
        #expect(try IRCMessage.parse("PRIVMSG bob :" + text).params[1] == text)
    }

    @Test("an empty tag key is ignored, empty and missing values read as empty")
    func oddTags() throws {
        let message = try IRCMessage.parse("@;=x;a=;b;;c=1 CMD")
        #expect(message.tags == [IRCTag("a", ""), IRCTag("b", ""), IRCTag("c", "1")])
    }

    @Test("the UnsafeBufferPointer and ArraySlice entry points agree with the array one")
    func entryPointsAgree() throws {
        let bytes = Array("@time=2024-01-01T00:00:00.000Z :a!b@c PRIVMSG #x :hello there".utf8)
        let viaArray = try IRCMessage.parse(bytes)
        let viaSlice = try IRCMessage.parse(bytes[...])
        let viaPointer = try bytes.withUnsafeBufferPointer { buffer throws(IRCParseError) in
            try IRCMessage.parse(buffer, limits: .fromServer)
        }
        #expect(viaArray == viaSlice)
        #expect(viaArray == viaPointer)
        let padded = Array("xx".utf8) + bytes + Array("yy".utf8)
        #expect(try IRCMessage.parse(padded[2..<(padded.count - 2)]) == viaArray)
    }

    @Test("helpers: param(_:), tag(_:), setTag, removeTag, sourceNick")
    func helpers() throws {
        var message = try IRCMessage.parse("@a=1;+b=2 :nick!user@host PRIVMSG bob :hi")
        #expect(message.param(0) == "bob")
        #expect(message.param(1) == "hi")
        #expect(message.param(2) == nil)
        #expect(message.param(-1) == nil)
        #expect(message.tag("+b") == "2")
        #expect(message.tag("zz") == nil)
        #expect(message.sourceNick == "nick")
        message.setTag("a", "9")
        message.setTag("c", "3")
        #expect(message.tags == [IRCTag("a", "9"), IRCTag("+b", "2"), IRCTag("c", "3")])
        message.removeTag("+b")
        #expect(message.tags.map(\.key) == ["a", "c"])
        #expect(IRCTag("+typing", "active").isClientOnly)
        #expect(!IRCTag("msgid", "x").isClientOnly)
    }

    @Test("sources split into nick, user and host")
    func sources() {
        #expect(IRCSource(parsing: "nick!user@host") == IRCSource(nick: "nick", user: "user", host: "host"))
        #expect(IRCSource(parsing: "irc.example.com") == IRCSource(nick: "irc.example.com"))
        #expect(IRCSource(parsing: "nick@host") == IRCSource(nick: "nick", host: "host"))
        #expect(IRCSource(parsing: "nick!user") == IRCSource(nick: "nick", user: "user"))
        #expect(IRCSource(parsing: "n!u@h").description == "n!u@h")
        #expect(IRCSource(nick: "n", host: "h").description == "n@h")
    }
}
