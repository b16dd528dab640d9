import Testing
@testable import Shared

/// `write(into:tags:)` sends a message with other tags without copying the message.
@Suite("Serializer with replacement tags")
struct SerializerTagOverrideTests {
    private let message = IRCMessage(
        tags: [IRCTag("time", "2024-01-02T03:04:05.678Z"), IRCTag("msgid", "abc"), IRCTag("+draft/reply", "a;b c")],
        source: "nick!user@host", command: "PRIVMSG", params: ["#room", "hello there"])

    private func written(_ tags: [IRCTag]) -> String {
        var bytes: [UInt8] = []
        message.write(into: &bytes, tags: tags)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("the message's own tags give exactly write(into:)")
    func ownTagsMatch() {
        #expect(written(message.tags) == String(decoding: message.wireBytes, as: UTF8.self))
    }

    @Test("no tags gives the bare line")
    func noTags() {
        #expect(written([]) == ":nick!user@host PRIVMSG #room :hello there\r\n")
    }

    @Test("a subset is written in the order given, escaped")
    func subset() {
        #expect(written([message.tags[2], message.tags[0]])
            == "@+draft/reply=a\\:b\\sc;time=2024-01-02T03:04:05.678Z :nick!user@host PRIVMSG #room :hello there\r\n")
    }

    @Test("appends after what the buffer already holds")
    func appends() {
        var bytes = Array("X\r\n".utf8)
        message.write(into: &bytes, tags: [])
        #expect(String(decoding: bytes, as: UTF8.self) == "X\r\n:nick!user@host PRIVMSG #room :hello there\r\n")
    }
}
