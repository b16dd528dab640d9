import Shared
import Testing
@testable import ChatTUI

@Suite("Reducer: keys, switching, sidebar, commands")
struct ReducerKeyTests {
    /// alice with bob and carol online, in #dev and #ops, with a DM from carol.
    func populated() -> Harness {
        var harness = Harness()
        harness.server(":srv 730 alice :bob!b@h,carol!c@h")
        harness.server(":alice!a@h JOIN #dev")
        harness.server(":alice!a@h JOIN #ops")
        harness.server(":carol!c@h PRIVMSG alice :psst")
        return harness
    }

    @Test("Sidebar order: server, Online, Rooms, Conversations")
    func order() {
        let harness = populated()
        #expect(harness.sidebar == [":chat", "Online:bob", "Online:carol(1)", "Rooms:#dev", "Rooms:#ops", "Conversations:carol(1)"])
    }

    @Test("Alt-digit opens the Nth entry; a user entry opens the DM")
    func altDigits() {
        var harness = populated()
        harness.key(.alt("2"))
        #expect(harness.state.current == ConversationID(kind: .direct, key: "bob"))
        harness.key(.alt("4"))
        #expect(harness.state.current == ConversationID(kind: .room, key: "#dev"))
        harness.key(.alt("9"))
        #expect(harness.state.current == ConversationID(kind: .room, key: "#dev"))
        harness.key(.alt("1"))
        #expect(harness.state.current == .server)
    }

    @Test("Ctrl-N / Ctrl-P and Alt-Down / Alt-Up walk conversations with wrap-around")
    func cycling() {
        var harness = populated()
        harness.key(.control("n"))
        #expect(harness.state.current.key == "#dev")
        harness.key(.altDown)
        #expect(harness.state.current.key == "#ops")
        harness.key(.control("n"))
        #expect(harness.state.current.key == "carol")
        harness.key(.control("n"))
        #expect(harness.state.current == .server)
        harness.key(.control("p"))
        #expect(harness.state.current.key == "carol")
        harness.key(.altUp)
        #expect(harness.state.current.key == "#ops")
    }

    @Test("Alt-A goes to highlights first, then other unread; switching clears the counts")
    func altA() {
        var harness = populated()
        harness.server(":bob!b@h PRIVMSG #dev :just chatting")
        harness.server(":bob!b@h PRIVMSG #ops :alice: ping")
        harness.key(.alt("a"))
        #expect(harness.state.current.key == "#ops")
        #expect(harness.conversation("#ops")?.unread == 0)
        harness.key(.alt("a"))
        #expect(harness.state.current.key == "carol")
        harness.key(.alt("a"))
        #expect(harness.state.current.key == "#dev")
        harness.key(.alt("a"))
        #expect(harness.state.current.key == "#dev")
    }

    @Test("The unread marker stays while shown and goes when leaving")
    func unreadMarker() {
        var harness = populated()
        harness.key(.alt("6"))
        #expect(harness.conversation("carol")?.firstUnread == 0)
        harness.key(.alt("1"))
        #expect(harness.conversation("carol")?.firstUnread == nil)
    }

    @Test("Ctrl-G focuses the sidebar: arrows and j/k move, Enter opens, Esc returns")
    func sidebarFocus() {
        var harness = populated()
        harness.key(.control("g"))
        #expect(harness.state.sidebarFocus?.selected == 0)
        harness.key(.down)
        harness.key(.character("j"))
        harness.key(.character("k"))
        #expect(harness.state.sidebarFocus?.selected == 1)
        harness.key(.enter)
        #expect(harness.state.sidebarFocus == nil)
        #expect(harness.state.current.key == "bob")
        harness.key(.control("g"))
        harness.key(.escape)
        #expect(harness.state.sidebarFocus == nil)
        harness.type("x")
        #expect(harness.state.editor.text == "x")
    }

    @Test("Typing in the focused sidebar filters; Backspace widens again")
    func sidebarFilter() {
        var harness = populated()
        harness.key(.control("g"))
        harness.type("op")
        let entries = Sidebar.entries(harness.state)
        let visible = Sidebar.filtered(entries, by: harness.state.sidebarFocus?.filter ?? "")
        #expect(visible.map { entries[$0].label } == ["#ops"])
        harness.key(.backspace)
        harness.key(.backspace)
        harness.type("car")
        harness.key(.enter)
        #expect(harness.state.current.key == "carol")
        #expect(harness.state.editor.text.isEmpty)
    }

    @Test("A click on a sidebar row opens that entry")
    func click() {
        var harness = populated()
        // Rows: 1 server, 2 "Online", 3 bob, 4 carol, 5 "Rooms", 6 #dev.
        harness.key(.click(row: 6, column: 3))
        #expect(harness.state.current.key == "#dev")
        harness.key(.click(row: 3, column: 2))
        #expect(harness.state.current.key == "bob")
        harness.key(.click(row: 3, column: 40))
        #expect(harness.state.current.key == "bob")
    }

    @Test("Editing keys reach the line editor; Up/Down browse history")
    func editing() {
        var harness = populated()
        harness.key(.alt("4"))
        harness.type("hello world")
        harness.key(.control("w"))
        harness.key(.control("a"))
        harness.key(.control("d"))
        harness.key(.control("e"))
        harness.key(.control("y"))
        #expect(harness.state.editor.text == "ello world")
        harness.key(.control("u"))
        harness.enter("first")
        harness.enter("second")
        harness.key(.up)
        #expect(harness.state.editor.text == "second")
        harness.key(.up)
        #expect(harness.state.editor.text == "first")
        harness.key(.down)
        harness.key(.down)
        #expect(harness.state.editor.text.isEmpty)
    }

    @Test("Tab completes nicks, most recently active first")
    func tabCompletion() {
        var harness = populated()
        harness.server(":srv 353 alice = #dev :alice bob bart")
        harness.server(":srv 366 alice #dev :End")
        harness.server(":bart!b@h PRIVMSG #dev :hi")
        harness.key(.alt("4"))
        harness.type("b")
        harness.key(.tab)
        #expect(harness.state.editor.text == "bart: ")
        harness.key(.tab)
        #expect(harness.state.editor.text == "bob: ")
        harness.key(.tab)
        #expect(harness.state.editor.text == "bart: ")
    }

    @Test("Commands: unknown ones get a local message, //text sends /text, /me sends an action")
    func commands() {
        var harness = populated()
        harness.key(.alt("4"))
        harness.enter("/frobnicate now")
        #expect(harness.conversation("#dev")?.lines.last?.kind == .error)
        #expect(harness.conversation("#dev")?.lines.last?.text.contains("/frobnicate") == true)
        #expect(harness.sent.isEmpty)
        harness.enter("//etc/passwd is a path")
        #expect(harness.sent.last?.params == ["#dev", "/etc/passwd is a path"])
        harness.enter("/me waves")
        #expect(harness.sent.last?.params == ["#dev", "\u{01}ACTION waves\u{01}"])
        harness.enter("/topic New topic")
        #expect(harness.sentLines.last == "TOPIC #dev :New topic")
        harness.enter("/part bye")
        #expect(harness.sentLines.last == "PART #dev bye")
        harness.enter("/msg bob hi")
        #expect(harness.sentLines.last?.hasSuffix("PRIVMSG bob hi") == true)
        harness.enter("/quote WHO #dev")
        #expect(harness.sentLines.last == "WHO #dev")
        harness.enter("/nick 9lives")
        #expect(harness.conversation("#dev")?.lines.last?.kind == .error)
        harness.enter("/join ops2")
        #expect(harness.sentLines.last == "JOIN #ops2")
        harness.server(":alice!a@h JOIN #ops2")
        #expect(harness.state.current.key == "#ops2")
        harness.enter("/close")
        #expect(harness.sentLines.last == "PART #ops2")
        #expect(harness.conversation("#ops2") == nil)
        harness.enter("/quit gone")
        #expect(harness.sentLines.last == "QUIT gone")
        #expect(harness.quit)
    }

    @Test("F1 and /help open the overlay; Esc closes it")
    func help() {
        var harness = populated()
        harness.key(.function(1))
        #expect(harness.state.showHelp)
        harness.key(.escape)
        #expect(!harness.state.showHelp)
        harness.enter("/help")
        #expect(harness.state.showHelp)
    }

    @Test("A multi-line paste asks first; n puts it back into the input line")
    func paste() {
        var harness = populated()
        harness.key(.alt("4"))
        harness.key(.paste("one\ntwo\nthree"))
        #expect(harness.state.pasteConfirm == ["one", "two", "three"])
        #expect(harness.sent.isEmpty)
        harness.key(.character("n"))
        #expect(harness.state.editor.text == "one two three")
        harness.key(.control("u"))
        harness.key(.paste("a\r\nb\n"))
        harness.key(.character("y"))
        #expect(harness.sent.map { $0.params.last } == ["a", "b"])
        harness.key(.paste("single line"))
        #expect(harness.state.editor.text == "single line")
    }

    @Test("PgUp scrolls back no further than the oldest line; End returns")
    func scrolling() {
        var harness = populated()
        harness.key(.alt("4"))
        for number in 0..<100 { harness.server(":bob!b@h PRIVMSG #dev :line \(number)") }
        harness.key(.pageUp)
        let page = harness.conversation("#dev")?.scrollRows ?? 0
        #expect(page > 0)
        for _ in 0..<50 { harness.key(.pageUp) }
        let top = harness.conversation("#dev")?.scrollRows ?? 0
        #expect(top < 110 && top > page)
        harness.key(.end)
        #expect(harness.conversation("#dev")?.scrollRows == 0)
    }
}
