import Testing
@testable import Shared

@Suite("Serializer: wire form, round trips and injection safety")
struct SerializerTests {
    private func wire(_ message: IRCMessage) -> String {
        String(decoding: message.wireBytes, as: UTF8.self)
    }

    /// The ircdocs/parser-tests `msg-join.yaml` vectors: the output must be one of the listed forms.
    @Test("joins like the reference vectors")
    func joinVectors() {
        let cases: [(IRCMessage, Set<String>)] = [
            (IRCMessage(command: "foo", params: ["bar", "baz", "asdf"]), ["foo bar baz asdf", "foo bar baz :asdf"]),
            (IRCMessage(source: "src", command: "AWAY"), [":src AWAY"]),
            (IRCMessage(source: "src", command: "AWAY", params: [""]), [":src AWAY :"]),
            (IRCMessage(source: "coolguy", command: "foo", params: ["bar", "baz", "asdf"]),
             [":coolguy foo bar baz asdf", ":coolguy foo bar baz :asdf"]),
            (IRCMessage(command: "foo", params: ["bar", "baz", "asdf quux"]), ["foo bar baz :asdf quux"]),
            (IRCMessage(command: "foo", params: ["bar", "baz", ""]), ["foo bar baz :"]),
            (IRCMessage(command: "foo", params: ["bar", "baz", ":asdf"]), ["foo bar baz ::asdf"]),
            (IRCMessage(source: "coolguy", command: "foo", params: ["bar", "baz", "  asdf quux "]),
             [":coolguy foo bar baz :  asdf quux "]),
            (IRCMessage(source: "coolguy", command: "PRIVMSG", params: ["bar", "lol :) "]), [":coolguy PRIVMSG bar :lol :) "]),
            (IRCMessage(source: "coolguy", command: "foo", params: ["bar", "baz", "  "]), [":coolguy foo bar baz :  "]),
            (IRCMessage(source: "coolguy", command: "foo", params: ["b\tar", "baz"]),
             [":coolguy foo b\tar baz", ":coolguy foo b\tar :baz"]),
            (IRCMessage(tags: [IRCTag("asd")], source: "coolguy", command: "foo", params: ["bar", "baz", "  "]),
             ["@asd :coolguy foo bar baz :  "]),
            (IRCMessage(tags: [IRCTag("a", "b\\and\nk"), IRCTag("d", "gh;764")], command: "foo"),
             ["@a=b\\\\and\\nk;d=gh\\:764 foo", "@d=gh\\:764;a=b\\\\and\\nk foo"]),
            (IRCMessage(tags: [IRCTag("a", "b\\and\nk"), IRCTag("d", "gh;764")], command: "foo", params: ["par1", "par2"]),
             ["@a=b\\\\and\\nk;d=gh\\:764 foo par1 par2", "@a=b\\\\and\\nk;d=gh\\:764 foo par1 :par2"]),
            (IRCMessage(tags: [IRCTag("foo", "\\\\;\\s \r\n")], command: "COMMAND"), ["@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND"]),
        ]
        for (message, accepted) in cases {
            #expect(accepted.contains(message.wireLine), "\(message) became \(message.wireLine.debugDescription)")
            #expect(message.wireBytes.suffix(2) == [0x0D, 0x0A])
        }
    }

    @Test("wireLine is wireBytes without CR LF, and write(into:) appends the same bytes")
    func threeFormsAgree() {
        let message = IRCMessage(tags: [IRCTag("time", "2024-01-01T00:00:00.000Z")], source: "a!b@c", "PRIVMSG", "#x", "hi there")
        var buffer: [UInt8] = Array("prefix".utf8)
        message.write(into: &buffer)
        #expect(Array(buffer.dropFirst(6)) == message.wireBytes)
        #expect(message.wireLine + "\r\n" == wire(message))
    }

    @Test("parse(serialize(m)) == m for messages that can round-trip", arguments: [
        IRCMessage("PING", "token"),
        IRCMessage(source: "irc.local", "001", "alice", "Welcome to the network, alice!alice@127.0.0.1"),
        IRCMessage(tags: [IRCTag("msgid", "abc123"), IRCTag("time", "2024-05-06T07:08:09.123Z"), IRCTag("+draft/reply", "x;y z\\w")],
                   source: "bob!b@h", "PRIVMSG", "#room", ":starts with colon"),
        IRCMessage(source: "s", "MODE", "#r", "+ov", "a", "b"),
        IRCMessage("TOPIC", "#r", ""),
        IRCMessage(tags: [IRCTag("+typing", "active")], "TAGMSG", "bob"),
        IRCMessage("PRIVMSG", "bob", "emoji 👋🏽 and ünïcödé"),
        IRCMessage("CMD", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "last param"),
    ])
    func roundTrip(_ message: IRCMessage) throws {
        #expect(try IRCMessage.parse(message.wireLine) == message)
        #expect(try IRCMessage.parse(Array(message.wireBytes.dropLast(2))) == message)
    }

    @Test("every tag value round-trips through escaping", arguments: [
        "", "plain", "semi;colon", "two  spaces", "back\\slash", "cr\rlf\nboth\r\n", "\\s literally", "\\:", ";;; \\\\ ",
        "trailing backslash\\", "ünï 👋",
    ])
    func tagValueRoundTrip(_ value: String) throws {
        let message = IRCMessage(tags: [IRCTag("k", value)], "TAGMSG", "#x")
        let parsed = try IRCMessage.parse(message.wireLine)
        #expect(parsed.tag("k") == value)
        #expect(!message.wireLine.contains("\r") && !message.wireLine.contains("\n"))
    }

    @Test("CR, LF and NUL in a trailing parameter become spaces and never start a new line", arguments: ["\r", "\n", "\r\n", "\0"])
    func trailingCannotInject(_ bad: String) throws {
        let message = IRCMessage(source: "mallory!m@h", "PRIVMSG", "bob", "hi\(bad)QUIT :bye")
        let bytes = message.wireBytes
        #expect(bytes.filter { $0 == 0x0A }.count == 1)
        #expect(bytes.filter { $0 == 0x0D }.count == 1)
        #expect(!bytes.contains(0))
        let parsed = try IRCMessage.parse(message.wireLine)
        #expect(parsed.command == "PRIVMSG")
        #expect(parsed.params.count == 2)
        #expect(parsed.params[1].hasPrefix("hi") && parsed.params[1].hasSuffix("QUIT :bye"))
    }

    @Test("CR, LF, NUL or spaces in a middle parameter, the command or the source cannot split the line")
    func middleCannotInject() throws {
        let hostile = IRCMessage(tags: [IRCTag("k\r\nQUIT", "v\0\r\n")], source: "evil\r\nQUIT :x", command: "PRIVMSG",
                                 params: ["bo b\r\nQUIT", "\0", "", ":colon", "last"])
        let bytes = hostile.wireBytes
        #expect(bytes.filter { $0 == 0x0A }.count == 1)
        #expect(bytes.filter { $0 == 0x0D }.count == 1)
        #expect(!bytes.contains(0))
        #expect(bytes.suffix(2) == [0x0D, 0x0A])
        let parsed = try IRCMessage.parse(hostile.wireLine)
        // The parameter count survives: nothing was split into extra parameters or swallowed.
        #expect(parsed.params.count == hostile.params.count)
        #expect(parsed.params.last == "last")
        #expect(!(parsed.params[0].contains(" ")))
        #expect(parsed.tags.count == 1)
        let badCommand = IRCMessage(command: "PRIV\r\nMSG\0", params: ["x"]).wireBytes
        #expect(badCommand.filter { $0 == 0x0A || $0 == 0x0D || $0 == 0 }.count == 2)
    }

    @Test("an empty or space-holding last parameter is sent as trailing; a non-last empty one keeps its slot")
    func trailingDecisions() {
        #expect(IRCMessage("TOPIC", "#a", "").wireLine == "TOPIC #a :")
        #expect(IRCMessage("PRIVMSG", "#a", "two words").wireLine == "PRIVMSG #a :two words")
        #expect(IRCMessage("PRIVMSG", "#a", ":)").wireLine == "PRIVMSG #a ::)")
        #expect(IRCMessage("PRIVMSG", "#a", "word").wireLine == "PRIVMSG #a word")
        #expect(IRCMessage.needsTrailing(""))
        #expect(IRCMessage.needsTrailing("a b"))
        #expect(IRCMessage.needsTrailing(":a"))
        #expect(!IRCMessage.needsTrailing("a:b"))
        let middleEmpty = IRCMessage("CMD", "", "x")
        #expect(middleEmpty.wireLine.split(separator: " ").count == 3)
    }

    @Test("a tag with an empty value is written without '='")
    func emptyTagValue() {
        #expect(IRCMessage(tags: [IRCTag("a"), IRCTag("b", "1")], "CMD").wireLine == "@a;b=1 CMD")
    }
}
