import Foundation
import Shared
import Testing
@testable import ChatTUI

@Suite("Reducer: SASL login, the password prompt, REGISTER")
struct ReducerAccountTests {
    static let caps = "sasl=PLAIN draft/account-registration draft/read-marker draft/chathistory batch server-time message-tags echo-message"
    /// What the server acknowledges: the names, without their values.
    static let acked = caps.replacingOccurrences(of: "=PLAIN", with: "")

    /// A harness whose next connection starts with `password` (nil: none) and stops before CAP LS.
    func reconnecting(password: String?) -> Harness {
        var harness = Harness(caps: "server-time")
        harness.state.identity.password = password
        harness.feed(.network(.disconnected(reason: "test", retryAt: harness.now)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :\(Self.caps)")
        return harness
    }

    func decodedPlain(_ message: IRCMessage?) -> String? {
        guard let message, message.command == "AUTHENTICATE", let text = message.params.first,
              let data = Data(base64Encoded: text) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @Test("With a password and sasl offered, registration waits for SASL PLAIN, then CAP END")
    func saslSuccess() {
        var harness = reconnecting(password: "s3cret")
        harness.sent.removeAll()
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        #expect(harness.sentLines == ["AUTHENTICATE PLAIN"], "no CAP END while the login runs")
        harness.server("AUTHENTICATE +")
        #expect(decodedPlain(harness.sent.last) == "alice\u{0}alice\u{0}s3cret")
        harness.sent.removeAll()
        harness.server(":srv 900 alice alice!alice@127.0.0.1 alice :You are now logged in as alice")
        harness.server(":srv 903 alice :SASL authentication successful")
        #expect(harness.sentLines == ["CAP END"])
        #expect(harness.state.account == "alice")
        #expect(harness.state.nick == "alice")
    }

    @Test("A wrong password: a clear message, the password is dropped, registration goes on as NICK_ without looping")
    func saslFailure() {
        var harness = reconnecting(password: "wrong")
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server("AUTHENTICATE +")
        harness.sent.removeAll()
        harness.server(":srv 904 alice :SASL authentication failed")
        #expect(harness.sentLines == ["NICK alice_", "CAP END"])
        #expect(harness.state.identity.password == nil)
        #expect(harness.state.account == nil)
        let text = harness.state.conversations[.server]?.lines.map(\.text).joined(separator: "\n") ?? ""
        #expect(text.contains("Login as alice failed: SASL authentication failed. Continuing as alice_"))
        // The next connection does not try the refused password again.
        harness.feed(.network(.disconnected(reason: "test", retryAt: harness.now)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :\(Self.caps)")
        harness.sent.removeAll()
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        #expect(harness.sentLines == ["CAP END"])
    }

    @Test("SASL payloads are cut into 400-byte pieces; an exact multiple ends with +")
    func plainChunks() {
        let short = Reducer.saslPlainLines(account: "bob", password: "pw")
        #expect(short.count == 1)
        // 2 + 2 * 3 bytes of account and NULs plus the password: 300 bytes encode to exactly 400.
        let exact = Reducer.saslPlainLines(account: "bob", password: String(repeating: "x", count: 300 - 8))
        #expect(exact.map(\.utf8.count) == [400, 1])
        #expect(exact.last == "+")
        let long = Reducer.saslPlainLines(account: "bob", password: String(repeating: "y", count: 400))
        #expect(long.map(\.utf8.count) == [400, 144])
        #expect(Data(base64Encoded: long.joined()).map { String(decoding: $0, as: UTF8.self) } == "bob\u{0}bob\u{0}" + String(repeating: "y", count: 400))
    }

    @Test("A registered nick without a password: NICK_ at once, and a masked prompt whose password logs in and takes the nick back")
    func promptLogsIn() {
        var harness = reconnecting(password: nil)
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.sent.removeAll()
        harness.server(":srv 433 * alice :Nickname is registered to an account; log in with SASL or PASS, or pick another nick")
        #expect(harness.sentLines == ["NICK alice_"])
        #expect(harness.state.passwordPrompt?.purpose == .login(account: "alice"))
        harness.server(":srv 001 alice_ :Welcome")
        harness.server(":srv 376 alice_ :End")
        harness.type("hunter2")
        #expect(harness.state.editor.text.isEmpty, "the password never reaches the input line")
        let screen = MemoryScreen(rows: 20, columns: 80)
        Renderer.render(harness.state, on: screen, now: harness.now)
        #expect(!screen.text.contains("hunter2"))
        #expect(screen.text.contains("Password for alice (Esc: stay a guest): *******"))
        harness.sent.removeAll()
        harness.key(.enter)
        #expect(harness.state.passwordPrompt == nil)
        #expect(harness.sentLines == ["AUTHENTICATE PLAIN"])
        harness.server("AUTHENTICATE +")
        #expect(decodedPlain(harness.sent.last) == "alice\u{0}alice\u{0}hunter2")
        harness.sent.removeAll()
        harness.server(":srv 900 alice_ alice_!a@h alice :You are now logged in as alice")
        harness.server(":srv 903 alice_ :SASL authentication successful")
        #expect(harness.sentLines == ["NICK alice"])
        harness.key(.up)
        #expect(harness.state.editor.text.isEmpty, "nothing went into the input history")
    }

    @Test("Esc closes the prompt and the client stays a guest")
    func promptCancel() {
        var harness = reconnecting(password: nil)
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server(":srv 433 * alice :Nickname is registered to an account")
        harness.server(":srv 001 alice_ :Welcome")
        harness.type("abc")
        harness.key(.escape)
        #expect(harness.state.passwordPrompt == nil)
        #expect(harness.state.identity.password == nil)
        harness.type("x")
        #expect(harness.state.editor.text == "x")
    }

    @Test("A plain 433 (in use, not registered) opens no prompt")
    func inUseNoPrompt() {
        var harness = reconnecting(password: nil)
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server(":srv 433 * alice :Nickname is already in use")
        #expect(harness.state.passwordPrompt == nil)
        #expect(harness.sentLines.last == "NICK alice_")
    }

    @Test("/register PASSWORD sends REGISTER, keeps the line out of history; after SUCCESS reconnects log in with SASL")
    func register() {
        var harness = reconnecting(password: nil)
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server(":srv 001 alice :Welcome")
        harness.server(":srv 376 alice :End")
        harness.sent.removeAll()
        harness.enter("/register pa55word me@example.org")
        #expect(harness.sentLines == ["REGISTER * me@example.org pa55word"])
        harness.key(.up)
        #expect(harness.state.editor.text.isEmpty)
        harness.server(":srv REGISTER SUCCESS alice :Account successfully registered")
        #expect(harness.state.identity.password == "pa55word")
        #expect(harness.state.currentConversation.lines.last?.text.hasPrefix("Account alice registered.") == true)
        harness.feed(.network(.disconnected(reason: "test", retryAt: harness.now)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :\(Self.caps)")
        harness.sent.removeAll()
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        #expect(harness.sentLines == ["AUTHENTICATE PLAIN"])
    }

    @Test("/register with no password asks at the masked prompt; FAIL REGISTER is shown and nothing is kept")
    func registerPromptAndFail() {
        var harness = reconnecting(password: nil)
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server(":srv 001 alice :Welcome")
        harness.enter("/register")
        #expect(harness.state.passwordPrompt?.purpose == .register(email: "*"))
        harness.sent.removeAll()
        harness.enter("pw")
        #expect(harness.sentLines == ["REGISTER * * pw"])
        harness.server(":srv FAIL REGISTER ACCOUNT_EXISTS alice :An account with that name already exists")
        #expect(harness.state.identity.password == nil)
        #expect(harness.state.currentConversation.lines.last?.text == "Registration failed: An account with that name already exists (ACCOUNT_EXISTS).")
        #expect(harness.state.currentConversation.lines.last?.kind == .error)
    }

    @Test("A password typed before the welcome logs in right after it")
    func promptBeforeWelcome() {
        var harness = reconnecting(password: nil)
        harness.server(":srv CAP alice ACK :\(Self.acked)")
        harness.server(":srv 433 * alice :Nickname is registered to an account")
        harness.sent.removeAll()
        harness.enter("early-pw")
        #expect(harness.sent.isEmpty, "no SASL before registration has ended")
        harness.server(":srv 001 alice_ :Welcome")
        #expect(harness.sentLines.contains("AUTHENTICATE PLAIN"))
        harness.server("AUTHENTICATE +")
        #expect(decodedPlain(harness.sent.last) == "alice\u{0}alice\u{0}early-pw")
    }

    @Test("/register where the server offers no registration, or wants an e-mail address, says so and sends nothing")
    func registerRefusedLocally() {
        var plain = Harness(caps: "server-time")
        plain.enter("/register pw")
        #expect(plain.sent.isEmpty)
        #expect(plain.state.currentConversation.lines.last?.text.contains("does not offer account registration") == true)
        var harness = Harness(caps: "server-time")
        harness.feed(.network(.disconnected(reason: "test", retryAt: harness.now)))
        harness.feed(.network(.connected))
        harness.server(":srv CAP * LS :draft/account-registration=before-connect,email-required server-time")
        harness.server(":srv CAP alice ACK :draft/account-registration server-time")
        harness.server(":srv 001 alice :Welcome")
        harness.sent.removeAll()
        harness.enter("/register pw")
        #expect(harness.sent.isEmpty)
        #expect(harness.state.currentConversation.lines.last?.text == "This server needs an e-mail address: /register PASSWORD EMAIL")
        harness.enter("/register pw me@example.org")
        #expect(harness.sentLines == ["REGISTER * me@example.org pw"])
    }
}
