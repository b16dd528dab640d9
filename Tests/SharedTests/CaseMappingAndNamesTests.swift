import Testing
@testable import Shared

@Suite("Casemapping")
struct CaseMappingTests {
    @Test("ascii folds only A-Z")
    func ascii() {
        #expect(IRCCaseMapping.ascii.fold("AbC[]\\~") == "abc[]\\~")
        #expect(IRCCaseMapping.ascii.equal("Alice", "aLICE"))
        #expect(!IRCCaseMapping.ascii.equal("a[", "a{"))
    }

    @Test("rfc1459 folds []\\~ to {}|^")
    func rfc1459() {
        #expect(IRCCaseMapping.rfc1459.fold("NICK[]\\~") == "nick{}|^")
        #expect(IRCCaseMapping.rfc1459.equal("Foo[Bar]", "foo{bar}"))
        #expect(IRCCaseMapping.rfc1459.equal("a~", "A^"))
    }

    @Test("strict-rfc1459 folds []\\ but not ~")
    func strict() {
        #expect(IRCCaseMapping.strictRFC1459.fold("X[]\\~") == "x{}|~")
        #expect(!IRCCaseMapping.strictRFC1459.equal("a~", "a^"))
        #expect(IRCCaseMapping(rawValue: "strict-rfc1459") == .strictRFC1459)
    }

    @Test("non-ASCII text is left alone and folding is idempotent")
    func nonASCII() {
        for mapping in [IRCCaseMapping.ascii, .rfc1459, .strictRFC1459] {
            #expect(mapping.fold("ÄÖÜ日本") == "ÄÖÜ日本")
            let once = mapping.fold("MiXeD[Case]~\\")
            #expect(mapping.fold(once) == once)
        }
    }
}

@Suite("Nick and room name rules")
struct NamesTests {
    @Test("valid nicks", arguments: ["a", "alice", "Bob", "[away]", "x_y-z", "`tick", "a1234", "^caret", "{brace}|pipe\\"])
    func validNicks(_ nick: String) {
        #expect(IRCNames.isValidNick(nick, maxLength: 30))
    }

    @Test("invalid nicks", arguments: ["", "1abc", "-dash", "has space", "com,ma", "#room", ":colon", "a!b", "a@b", "a*", "a?",
                                       "ünï", "a\u{7}", "a.b"])
    func invalidNicks(_ nick: String) {
        #expect(!IRCNames.isValidNick(nick, maxLength: 30))
    }

    @Test("nick length limit is in bytes and inclusive")
    func nickLength() {
        #expect(IRCNames.isValidNick(String(repeating: "a", count: 9), maxLength: 9))
        #expect(!IRCNames.isValidNick(String(repeating: "a", count: 10), maxLength: 9))
    }

    @Test("valid rooms", arguments: ["#a", "#room", "#Ünïcödé", "#a-b_c.d", "##double", "#日本"])
    func validRooms(_ room: String) {
        #expect(IRCNames.isValidRoom(room, maxLength: 50))
    }

    @Test("invalid rooms", arguments: ["", "#", "room", "&local", "#a b", "#a,b", "#a\u{7}", "#a:b", "#a\u{7F}", "#a\tb"])
    func invalidRooms(_ room: String) {
        #expect(!IRCNames.isValidRoom(room, maxLength: 50))
    }

    @Test("room length limit is in bytes and inclusive")
    func roomLength() {
        #expect(IRCNames.isValidRoom("#" + String(repeating: "r", count: 9), maxLength: 10))
        #expect(!IRCNames.isValidRoom("#" + String(repeating: "r", count: 10), maxLength: 10))
        #expect(!IRCNames.isValidRoom("#ééééé", maxLength: 10))
    }

    @Test("isRoom looks only at the first character")
    func isRoom() {
        #expect(IRCNames.isRoom("#x"))
        #expect(!IRCNames.isRoom("x#"))
        #expect(!IRCNames.isRoom(""))
    }
}
