import Testing
@testable import Shared

/// The message-splitting vectors of ircdocs/parser-tests (`tests/msg-split.yaml`, CC0), transcribed.
///
/// Our parser upper-cases word commands, so verbs are compared case-insensitively; everything else
/// must match exactly.
@Suite("Parser: ircdocs msg-split vectors")
struct ParserSplitVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let input: String
        var tags: [String: String] = [:]
        var source: String? = nil
        let verb: String
        var params: [String] = []
        var testDescription: String { input.debugDescription }
    }

    static let vectors: [Vector] = [
        Vector(input: "foo bar baz asdf", verb: "foo", params: ["bar", "baz", "asdf"]),
        Vector(input: ":coolguy foo bar baz asdf", source: "coolguy", verb: "foo", params: ["bar", "baz", "asdf"]),
        Vector(input: "foo bar baz :asdf quux", verb: "foo", params: ["bar", "baz", "asdf quux"]),
        Vector(input: "foo bar baz :", verb: "foo", params: ["bar", "baz", ""]),
        Vector(input: "foo bar baz ::asdf", verb: "foo", params: ["bar", "baz", ":asdf"]),
        Vector(input: ":coolguy foo bar baz :asdf quux", source: "coolguy", verb: "foo", params: ["bar", "baz", "asdf quux"]),
        Vector(input: ":coolguy foo bar baz :  asdf quux ", source: "coolguy", verb: "foo", params: ["bar", "baz", "  asdf quux "]),
        Vector(input: ":coolguy PRIVMSG bar :lol :) ", source: "coolguy", verb: "PRIVMSG", params: ["bar", "lol :) "]),
        Vector(input: ":coolguy foo bar baz :", source: "coolguy", verb: "foo", params: ["bar", "baz", ""]),
        Vector(input: ":coolguy foo bar baz :  ", source: "coolguy", verb: "foo", params: ["bar", "baz", "  "]),
        Vector(input: "@a=b;c=32;k;rt=ql7 foo", tags: ["a": "b", "c": "32", "k": "", "rt": "ql7"], verb: "foo"),
        Vector(input: "@a=b\\\\and\\nk;c=72\\s45;d=gh\\:764 foo", tags: ["a": "b\\and\nk", "c": "72 45", "d": "gh;764"], verb: "foo"),
        Vector(input: "@c;h=;a=b :quux ab cd", tags: ["c": "", "h": "", "a": "b"], source: "quux", verb: "ab", params: ["cd"]),
        Vector(input: ":src JOIN #chan", source: "src", verb: "JOIN", params: ["#chan"]),
        Vector(input: ":src JOIN :#chan", source: "src", verb: "JOIN", params: ["#chan"]),
        Vector(input: ":src AWAY", source: "src", verb: "AWAY"),
        Vector(input: ":src AWAY ", source: "src", verb: "AWAY"),
        Vector(input: ":cool\tguy foo bar baz", source: "cool\tguy", verb: "foo", params: ["bar", "baz"]),
        Vector(input: ":coolguy!ag@net\u{03}5w\u{03}ork.admin PRIVMSG foo :bar baz",
               source: "coolguy!ag@net\u{03}5w\u{03}ork.admin", verb: "PRIVMSG", params: ["foo", "bar baz"]),
        Vector(input: ":coolguy!~ag@n\u{02}et\u{03}05w\u{0f}ork.admin PRIVMSG foo :bar baz",
               source: "coolguy!~ag@n\u{02}et\u{03}05w\u{0f}ork.admin", verb: "PRIVMSG", params: ["foo", "bar baz"]),
        Vector(input: "@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4= :irc.example.com COMMAND param1 param2 :param3 param3",
               tags: ["tag1": "value1", "tag2": "", "vendor1/tag3": "value2", "vendor2/tag4": ""],
               source: "irc.example.com", verb: "COMMAND", params: ["param1", "param2", "param3 param3"]),
        Vector(input: ":irc.example.com COMMAND param1 param2 :param3 param3",
               source: "irc.example.com", verb: "COMMAND", params: ["param1", "param2", "param3 param3"]),
        Vector(input: "@tag1=value1;tag2;vendor1/tag3=value2;vendor2/tag4 COMMAND param1 param2 :param3 param3",
               tags: ["tag1": "value1", "tag2": "", "vendor1/tag3": "value2", "vendor2/tag4": ""],
               verb: "COMMAND", params: ["param1", "param2", "param3 param3"]),
        Vector(input: "COMMAND", verb: "COMMAND"),
        Vector(input: "@foo=\\\\\\\\\\:\\\\s\\s\\r\\n COMMAND", tags: ["foo": "\\\\;\\s \r\n"], verb: "COMMAND"),
        Vector(input: ":gravel.mozilla.org 432  #momo :Erroneous Nickname: Illegal characters",
               source: "gravel.mozilla.org", verb: "432", params: ["#momo", "Erroneous Nickname: Illegal characters"]),
        Vector(input: ":gravel.mozilla.org MODE #tckk +n ", source: "gravel.mozilla.org", verb: "MODE", params: ["#tckk", "+n"]),
        Vector(input: ":services.esper.net MODE #foo-bar +o foobar  ",
               source: "services.esper.net", verb: "MODE", params: ["#foo-bar", "+o", "foobar"]),
        Vector(input: "@tag1=value\\\\ntest COMMAND", tags: ["tag1": "value\\ntest"], verb: "COMMAND"),
        Vector(input: "@tag1=value\\1 COMMAND", tags: ["tag1": "value1"], verb: "COMMAND"),
        Vector(input: "@tag1=value1\\ COMMAND", tags: ["tag1": "value1"], verb: "COMMAND"),
        Vector(input: "@tag1=1;tag2=3;tag3=4;tag1=5 COMMAND", tags: ["tag1": "5", "tag2": "3", "tag3": "4"], verb: "COMMAND"),
        Vector(input: "@tag1=1;tag2=3;tag3=4;tag1=5;vendor/tag2=8 COMMAND",
               tags: ["tag1": "5", "tag2": "3", "tag3": "4", "vendor/tag2": "8"], verb: "COMMAND"),
        Vector(input: ":SomeOp MODE #channel :+i", source: "SomeOp", verb: "MODE", params: ["#channel", "+i"]),
        Vector(input: ":SomeOp MODE #channel +oo SomeUser :AnotherUser",
               source: "SomeOp", verb: "MODE", params: ["#channel", "+oo", "SomeUser", "AnotherUser"]),
    ]

    @Test("splits like the reference vectors", arguments: vectors)
    func splits(_ vector: Vector) throws {
        let message = try IRCMessage.parse(vector.input)
        #expect(message.command == vector.verb.uppercased())
        #expect(message.source == vector.source)
        #expect(message.params == vector.params)
        var tags: [String: String] = [:]
        for tag in message.tags { tags[tag.key] = tag.value }
        #expect(tags == vector.tags)
        #expect(message.tags.count == vector.tags.count, "a repeated key must collapse to one tag")
    }

    @Test("parsing bytes and parsing text agree", arguments: vectors)
    func bytesAgreeWithText(_ vector: Vector) throws {
        #expect(try IRCMessage.parse(Array(vector.input.utf8)) == IRCMessage.parse(vector.input))
    }
}
