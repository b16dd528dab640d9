import Shared
import Testing
@testable import ChatTUI

@Suite("Renderer through the in-memory screen")
struct RendererTests {
    func scene() -> Harness {
        var harness = Harness()
        harness.now = 1_794_959_820_000 // 2026-11-17T23:57:00Z
        harness.server(":srv 730 alice :bob!b@h,carol!c@h")
        harness.server(":alice!a@h JOIN #dev")
        harness.server(":srv 332 alice #dev :Talk about \u{02}code\u{02}")
        harness.server(":srv 353 alice = #dev :@alice bob carol")
        harness.server(":srv 366 alice #dev :End")
        harness.server("@time=2026-11-17T23:58:00.000Z :bob!b@h PRIVMSG #dev :late night")
        harness.server("@time=2026-11-18T08:01:00.000Z :carol!c@h PRIVMSG #dev :morning! this line is long enough that it has to wrap onto a second row of the pane")
        harness.server("@time=2026-11-18T08:02:00.000Z :bob!b@h PRIVMSG #dev :alice: héllo 世界 👋🏽 and \u{1B}[31mno escapes")
        harness.server("@time=2026-11-18T08:03:00.000Z :bob!b@h PRIVMSG alice :a secret")
        harness.now = 1_795_000_000_000
        return harness
    }

    func draw(_ state: AppState, rows: Int = 20, columns: Int = 80) -> MemoryScreen {
        var sized = state
        sized.rows = rows
        sized.columns = columns
        let screen = MemoryScreen(rows: rows, columns: columns)
        Renderer.render(sized, on: screen, now: 1_795_000_000_000)
        return screen
    }

    @Test("A room with topic, wrapped lines, day change, unread marker and sidebar counts")
    func room() {
        var harness = scene()
        harness.key(.control("n"))
        harness.server("@time=2026-11-18T08:04:00.000Z :carol!c@h PRIVMSG #dev :seen live")
        let screen = draw(harness.state)
        #expect(screen.contains("^[[31mno escapes"))
        #expect(screen.contains("── new messages"))
        Snapshot.check(screen.text, named: "room")
        // The highlighted DM entry is bold and coloured.
        let bobRow = (0..<screen.rows).first { screen.line($0).hasPrefix(" bob") && screen.line($0).hasSuffix("1│") }
        #expect(bobRow != nil)
        if let bobRow { #expect(screen.style(row: bobRow, column: 1).bold) }
    }

    @Test("Own messages are dim until the echo confirms them")
    func pendingDim() {
        var harness = scene()
        harness.enter("/query bob")
        harness.enter("on my way")
        var screen = draw(harness.state)
        guard let row = (0..<screen.rows).first(where: { screen.line($0).contains("on my way") }) else {
            Issue.record("message not drawn")
            return
        }
        let column = screen.grid[row].firstIndex(of: "o") ?? 0
        #expect(screen.style(row: row, column: column).dim)
        let label = harness.sent.last?.tag("label") ?? ""
        harness.server("@label=\(label) :alice!a@h PRIVMSG bob :on my way")
        screen = draw(harness.state)
        #expect(!screen.style(row: row, column: column).dim)
        Snapshot.check(screen.text, named: "direct")
    }

    @Test("The help overlay lists every command")
    func helpOverlay() {
        var harness = scene()
        harness.key(.function(1))
        let screen = draw(harness.state, rows: 50, columns: 100)
        for command in CommandTable.all {
            #expect(screen.contains(command.usage), "missing \(command.usage)")
        }
        Snapshot.check(screen.text, named: "help")
        // On a short terminal the overlay scrolls to its last line.
        #expect(!draw(harness.state).contains("/quit [REASON]"))
        for _ in 0..<10 { harness.key(.pageDown) }
        #expect(draw(harness.state).contains("/quit [REASON]"))
        harness.key(.character("q"))
        #expect(!harness.state.showHelp)
    }

    @Test("Below 30×8 a notice replaces the layout; every size renders without trapping")
    func sizes() {
        let harness = scene()
        let small = draw(harness.state, rows: 7, columns: 29)
        #expect(small.contains("Terminal too small"))
        Snapshot.check(small.text, named: "too-small")
        for rows in [1, 2, 8, 9, 13] {
            for columns in [1, 10, 30, 31, 45, 200] {
                _ = draw(harness.state, rows: rows, columns: columns)
            }
        }
        let narrow = draw(harness.state, rows: 8, columns: 30)
        #expect(!narrow.contains("Terminal too small"))
        Snapshot.check(narrow.text, named: "narrow")
    }

    @Test("Status line shows the reconnect countdown, nick, server and lag")
    func status() {
        var harness = scene()
        harness.state.lag = 12
        var screen = draw(harness.state)
        #expect(screen.line(18).contains("connected │ alice │ 127.0.0.1:6667 │ lag 12 ms"))
        harness.feed(.network(.disconnected(reason: "reset", retryAt: harness.now + 4_200)))
        screen = draw(harness.state)
        #expect(screen.line(18).contains("reconnecting in 5 s"))
    }

    @Test("The input line scrolls sideways to keep the cursor visible")
    func inputScroll() {
        var harness = scene()
        harness.type(String(repeating: "世", count: 60))
        let screen = draw(harness.state)
        guard let cursor = screen.cursor else {
            Issue.record("no cursor")
            return
        }
        #expect(cursor.row == 19)
        #expect(cursor.column < 80)
        #expect(screen.line(19).contains("世"))
    }

    @Test("Sidebar focus shows the filter and the selection")
    func sidebarFocus() {
        var harness = scene()
        harness.key(.control("g"))
        harness.type("ca")
        let screen = draw(harness.state)
        #expect(screen.line(19).contains("filter: ca"))
        Snapshot.check(screen.text, named: "sidebar-filter")
    }

    @Test("Drawing a conversation of 100,000 lines touches only what is visible")
    func largeConversation() {
        var harness = Harness()
        harness.server(":alice!a@h JOIN #big")
        var conversation = harness.state.conversations[ConversationID(kind: .room, key: "#big")] ?? Conversation(id: .server, name: "")
        for number in 0..<100_000 {
            conversation.lines.append(ChatLine(kind: .message, time: harness.now + Int64(number), sender: "bob", text: "message \(number)"))
        }
        harness.state.conversations[conversation.id] = conversation
        harness.key(.alt("2"))
        let clock = ContinuousClock()
        var screen = MemoryScreen(rows: 1, columns: 1)
        // The best of five: a loaded machine may take the thread away for one draw, not for all.
        var best = Duration.seconds(3600)
        for _ in 0..<5 { best = min(best, clock.measure { screen = draw(harness.state) }) }
        #expect(screen.contains("message 99999"))
        #expect(best < .milliseconds(500), "the quickest of five draws took \(best)")
    }
}
