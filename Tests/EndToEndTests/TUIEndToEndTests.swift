import Foundation
import Testing

/// chat-tui in tmux against a real chat-server: the "Must show" scenario.
@Suite("chat-tui end to end (tmux + chat-server)", .serialized, .timeLimit(.minutes(1)))
struct TUIEndToEndTests {
    func client(_ nick: String, port: Int, width: Int = 100, height: Int = 30) throws -> TmuxSession {
        try TmuxSession(name: nick, width: width, height: height,
                        command: [try TUIBinaries.tui(), "--server", "127.0.0.1:\(port)", "--nick", nick],
                        environment: ["XDG_CONFIG_HOME": "/nonexistent", "TZ": "UTC"])
    }

    /// The sidebar row for `nick` (the first 20 columns of its line), if it is on screen.
    func sidebarRow(_ screen: String, _ label: String) -> String? {
        screen.split(separator: "\n").map { String($0.prefix(20)) }.first { $0.dropFirst().hasPrefix(label + " ") }
    }

    @Test("alice picks bob with Ctrl-G, sends; bob sees it live with an unread count, switches, resizes, survives a server restart")
    func scenario() throws {
        let server = try TUIServerProcess()
        let port = server.port
        let alice = try client("alice", port: port)
        let bob = try client("bob", port: port)
        defer {
            alice.kill()
            bob.kill()
        }
        try alice.waitFor("alice connected with bob online") { $0.contains("connected │ alice") && self.sidebarRow($0, "bob") != nil }
        try bob.waitFor("bob connected with alice online") { $0.contains("connected │ bob") && self.sidebarRow($0, "alice") != nil }

        // alice: Ctrl-G focuses the sidebar on the server entry; Down selects bob; Enter opens the DM.
        try alice.press("C-g")
        try alice.waitFor(text: "[sidebar] filter:")
        try alice.press("Down")
        try alice.press("Enter")
        try alice.waitFor(text: "[bob]")
        try alice.type("héllo 世界 👋🏽")
        try alice.press("Enter")
        try alice.waitFor(text: "<alice> héllo 世界 👋🏽")

        // bob pressed nothing: the message is counted on alice's entry.
        let bobScreen = try bob.waitFor("an unread count on alice") { screen in
            (self.sidebarRow(screen, "alice") ?? "").hasSuffix("1")
        }
        #expect(!bobScreen.contains("héllo"), "bob is still on the server buffer")

        // Ctrl-N: from the server buffer to the next conversation, the DM with alice.
        try bob.press("C-n")
        try bob.waitFor(text: "[alice]")
        try bob.waitFor(text: "<alice> héllo 世界 👋🏽")
        #expect(!(sidebarRow(try bob.screen(), "alice") ?? "1").hasSuffix("1"), "reading clears the count")

        // Alt-1: the first entry, the server buffer.
        try bob.press("M-1")
        try bob.waitFor(text: "[chat]")

        // A resize in the middle: smaller, too small, and back.
        try bob.resize(width: 60, height: 16)
        // tmux keeps the cursor's row on a shrink, so the old status line is on row 14 before
        // chat-tui redraws: the sidebar's separator, at column 15 only at this width, shows the redraw.
        try bob.waitFor("the layout at 60×16") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
            return lines.count >= 15 && String(lines[14]).contains("connected │ bob")
                && lines[1].count > 15 && lines[1][15] == "│"
        }
        try bob.resize(width: 20, height: 6)
        try bob.waitFor(text: "Terminal too small")
        try bob.resize(width: 100, height: 30)
        try bob.waitFor("the full layout again") { $0.contains("connected │ bob") && !$0.contains("too small") }

        // Alt-A: a new message for bob arrives while he is elsewhere; Alt-A goes straight to it.
        try alice.type("second message")
        try alice.press("Enter")
        try bob.waitFor("a new unread count") { (self.sidebarRow($0, "alice") ?? "").hasSuffix("1") }
        try bob.press("M-a")
        try bob.waitFor(text: "[alice]")
        try bob.waitFor(text: "<alice> second message")

        // The server goes away: both show the countdown, then reconnect by themselves.
        server.stop()
        try alice.waitFor(text: "reconnecting in", seconds: 10)
        try bob.waitFor(text: "reconnecting in", seconds: 10)
        let restarted = try TUIServerProcess(port: port)
        defer { restarted.stop() }
        try alice.waitFor("alice reconnected with bob back online", seconds: 40) {
            $0.contains("connected │ alice") && self.sidebarRow($0, "bob") != nil
        }
        try bob.waitFor("bob reconnected with alice back online", seconds: 40) {
            $0.contains("connected │ bob") && self.sidebarRow($0, "alice") != nil
        }
        try bob.type("back again")
        try bob.press("Enter")
        try alice.waitFor(text: "<bob> back again")

        // /quit ends the program and leaves the shell's terminal as it was.
        try alice.type("/quit bye")
        try alice.press("Enter")
        try alice.waitFor("alice's client to exit") { _ in (try? alice.paneIsDead()) == true }
    }

    @Test("A nick in use: the second client becomes NICK_ and says so")
    func nickInUse() throws {
        let server = try TUIServerProcess()
        let first = try client("zed", port: server.port)
        defer { first.kill() }
        try first.waitFor(text: "connected │ zed │")
        let second = try client("zed", port: server.port)
        defer { second.kill() }
        try second.waitFor(text: "connected │ zed_ │")
        try second.waitFor(text: "The nick zed is taken")
        // Each sees the other in Online under the nick the server knows.
        try first.waitFor("zed_ online for zed") { self.sidebarRow($0, "zed_") != nil }
    }

    @Test("SIGTERM restores the terminal: the shell finds its modes as they were")
    func signalRestoresTerminal() throws {
        let server = try TUIServerProcess()
        let tui = try TUIBinaries.tui()
        let script = "stty -g > /tmp/chat-e2e-stty-before-$$; '\(tui)' --server 127.0.0.1:\(server.port) --nick carol; " +
            "echo \"EXIT=$?\"; if [ \"$(stty -g)\" = \"$(cat /tmp/chat-e2e-stty-before-$$)\" ]; then echo MODES-RESTORED; " +
            "else echo MODES-CHANGED; fi; rm -f /tmp/chat-e2e-stty-before-$$; sleep 30"
        let session = try TmuxSession(name: "carol", width: 80, height: 24, command: ["sh", "-c", script],
                                      environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        defer { session.kill() }
        try session.waitFor(text: "connected │ carol")
        let shell = try session.panePID()
        // The client is the shell's child.
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        guard let pid = children.split(separator: " ").compactMap({ Int32($0) }).first else {
            throw EndToEndError("no chat-tui child of the shell \(shell)")
        }
        kill(pid, SIGTERM)
        let screen = try session.waitFor(text: "MODES-")
        #expect(screen.contains("EXIT=0"))
        #expect(screen.contains("MODES-RESTORED"))
    }

    @Test("A bad flag or config gets usage and exit 64 without touching the terminal")
    func badFlag() throws {
        for arguments in [["--bogus"], ["--server", "nohost:99999", "--nick", "x"], ["--nick", "bad nick"]] {
            let result = try Spawn.run(try TUIBinaries.tui(), arguments)
            let text = result.output
            #expect(result.status == 64, "\(arguments): \(text)")
            #expect(text.contains("Usage") || text.contains("USAGE"), "\(arguments): \(text)")
            #expect(!text.contains("\u{1B}["), "no escape sequences written for \(arguments)")
        }
    }
}
