import Foundation
import Shared

/// Accounts: SASL PLAIN at connect (or later, from the password prompt), REGISTER, and the
/// masked prompt that asks for a password without ever drawing it or keeping it in history.
extension Reducer {
    // MARK: - SASL

    /// True when the server takes SASL PLAIN (a 302 value lists the mechanisms).
    static func offersPlain(_ state: AppState) -> Bool {
        guard let mechanisms = state.offeredCaps[IRCCapability.sasl] else { return false }
        return mechanisms.isEmpty || mechanisms.split(separator: ",").contains { $0.uppercased() == "PLAIN" }
    }

    /// Called on CAP ACK before registration: starts SASL when we have a password and the
    /// server acknowledged `sasl`; returns nil when CAP END may go out now.
    static func startSASLIfPossible(_ state: inout AppState) -> [Effect]? {
        guard !state.registered, state.sasl == .idle, state.identity.password != nil,
              state.hasCap(IRCCapability.sasl), offersPlain(state) else { return nil }
        state.sasl = .started
        state.loginAccount = state.identity.nick
        return [.send(IRCMessage("AUTHENTICATE", "PLAIN"))]
    }

    /// `AUTHENTICATE +`: the server is ready for the PLAIN credentials.
    static func handleAuthenticate(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard state.sasl == .started, message.param(0) == "+", let password = state.identity.password else { return [] }
        state.sasl = .sentCredentials
        let account = state.loginAccount ?? state.identity.nick
        return saslPlainLines(account: account, password: password).map { .send(IRCMessage("AUTHENTICATE", $0)) }
    }

    /// The PLAIN payload (`account NUL account NUL password`, base64) in 400-byte pieces; a
    /// payload that is an exact multiple of 400 ends with `+`, as the SASL spec asks.
    static func saslPlainLines(account: String, password: String) -> [String] {
        let payload = Data((account + "\u{0}" + account + "\u{0}" + password).utf8).base64EncodedString()
        var lines: [String] = []
        var rest = Substring(payload)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(400)))
            rest = rest.dropFirst(400)
        }
        if lines.isEmpty || lines.last?.utf8.count == 400 { lines.append("+") }
        return lines
    }

    /// 900: we are logged in to an account.
    static func handleLoggedIn(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        state.account = message.param(2)
        return []
    }

    /// 903: SASL succeeded. During registration, registration goes on under the nick we
    /// asked for; after it (a password typed at the prompt), we take the account's nick.
    static func handleSASLSuccess(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        let account = state.account ?? state.loginAccount ?? state.identity.nick
        state.sasl = .idle
        state.loginAccount = nil
        info(&state, "Logged in as \(account).", now: now, in: .server)
        guard state.registered else { return [.send(IRCMessage("CAP", "END"))] }
        if state.current != .server { info(&state, "Logged in as \(account).", now: now) }
        state.identity.nick = account
        return state.isMe(account) ? [] : [.send(IRCMessage("NICK", account))]
    }

    /// 902/904/905/906: the login failed. The password is dropped for this session, so a
    /// reconnect does not fail the same way again; before registration we go on as NICK_.
    static func handleSASLFailure(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        guard state.sasl != .idle else {
            showNumeric(&state, message, code: Int(message.command) ?? 904, now: now)
            return []
        }
        let account = state.loginAccount ?? state.identity.nick
        state.sasl = .idle
        state.loginAccount = nil
        state.identity.password = nil
        let reason = message.params.last ?? "authentication failed"
        guard !state.registered else {
            error(&state, "Login as \(account) failed: \(reason). /login tries again.", now: now)
            return []
        }
        let fallback = fallbackNick(state, for: state.nick, now: now)
        state.nick = fallback
        let text = "Login as \(account) failed: \(reason). Continuing as \(fallback) (guest); /login tries again."
        info(&state, text, now: now, in: .server)
        if state.current != .server { error(&state, text, now: now) }
        return [.send(IRCMessage("NICK", fallback)), .send(IRCMessage("CAP", "END"))]
    }

    /// 907: already logged in; registration goes on.
    static func handleSASLAlready(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        let wasRunning = state.sasl != .idle
        state.sasl = .idle
        state.loginAccount = nil
        return wasRunning && !state.registered ? [.send(IRCMessage("CAP", "END"))] : []
    }

    /// The nick to fall back to when `nick` cannot be used: NICK_, or a generated one when too long.
    static func fallbackNick(_ state: AppState, for nick: String, now: Int64) -> String {
        let limit = Int(state.isupport["NICKLEN"] ?? "") ?? 30
        let next = nick + "_"
        return next.utf8.count > limit ? "chat" + String(now % 100_000) : next
    }

    /// True when a 433's text says the nick belongs to an account (not merely in use).
    static func saysRegistered(_ reason: String) -> Bool {
        reason.lowercased().contains("registered")
    }

    // MARK: - REGISTER

    /// `REGISTER SUCCESS <account> :text` and `REGISTER VERIFICATION_REQUIRED <account> :text`.
    static func handleRegisterReply(_ state: inout AppState, _ message: IRCMessage, now: Int64) -> [Effect] {
        let account = message.param(1) ?? state.nick
        switch message.param(0)?.uppercased() {
        case "SUCCESS":
            if let password = state.registeringPassword {
                state.identity.password = password
                state.identity.nick = account
            }
            state.registeringPassword = nil
            info(&state, "Account \(account) registered. Later reconnects log in to it (the password is kept in memory for this session only).", now: now)
        case "VERIFICATION_REQUIRED":
            state.registeringPassword = nil
            info(&state, "Account \(account) needs verification: \(message.params.last ?? "")", now: now)
        default:
            info(&state, "REGISTER \(message.params.joined(separator: " "))", now: now)
        }
        return []
    }

    /// `FAIL REGISTER <code> <account> :text`.
    static func handleRegisterFailure(_ state: inout AppState, _ message: IRCMessage, now: Int64) {
        state.registeringPassword = nil
        let code = message.param(1) ?? "FAIL"
        error(&state, "Registration failed: \(message.params.last ?? "") (\(code)).", now: now)
    }

    /// `/register [PASSWORD [EMAIL]]`: with no password, asks for it at the masked prompt.
    static func commandRegister(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        guard requireConnection(&state, now: now) else { return [] }
        if let account = state.account {
            error(&state, "You are logged in as \(account) already.", now: now)
            return []
        }
        guard let offer = state.offeredCaps[IRCCapability.accountRegistration] else {
            error(&state, "This server does not offer account registration (draft/account-registration).", now: now)
            return []
        }
        let (password, rest) = firstWord(args)
        let email = firstWord(rest).0
        if email.isEmpty, offer.split(separator: ",").contains("email-required") {
            error(&state, "This server needs an e-mail address: /register PASSWORD EMAIL", now: now)
            return []
        }
        guard !password.isEmpty else {
            state.passwordPrompt = PasswordPrompt(purpose: .register(email: "*"))
            return []
        }
        return register(&state, password: password, email: email.isEmpty ? "*" : email, now: now)
    }

    static func register(_ state: inout AppState, password: String, email: String, now: Int64) -> [Effect] {
        state.registeringPassword = password
        info(&state, "Registering the account \(state.nick)…", now: now)
        return [.send(IRCMessage("REGISTER", "*", email, password))]
    }

    /// `/login [PASSWORD]`: logs in to the account named like the nick we wanted.
    static func commandLogin(_ state: inout AppState, _ args: String, now: Int64) -> [Effect] {
        if let account = state.account {
            error(&state, "You are logged in as \(account) already.", now: now)
            return []
        }
        let account = state.identity.nick
        let password = firstWord(args).0
        guard !password.isEmpty else {
            state.passwordPrompt = PasswordPrompt(purpose: .login(account: account))
            return []
        }
        return logIn(&state, account: account, password: password, now: now)
    }

    /// Keeps `password` for this session and logs in now if connected, else at the next connect.
    static func logIn(_ state: inout AppState, account: String, password: String, now: Int64) -> [Effect] {
        state.identity.password = password
        guard state.registered else {
            state.identity.nick = account
            info(&state, "Will log in as \(account) when connected.", now: now)
            return []
        }
        guard state.hasCap(IRCCapability.sasl), offersPlain(state) else {
            error(&state, "This server does not offer SASL PLAIN; the password goes out as PASS at the next connect.", now: now)
            return []
        }
        guard state.sasl == .idle else {
            error(&state, "A login is under way already.", now: now)
            return []
        }
        state.sasl = .started
        state.loginAccount = account
        info(&state, "Logging in as \(account)…", now: now)
        return [.send(IRCMessage("AUTHENTICATE", "PLAIN"))]
    }

    // MARK: - The password prompt

    /// Keys while the prompt is open: a small editor; Enter submits, Esc cancels.
    static func promptKey(_ state: inout AppState, _ key: Key, now: Int64) -> [Effect] {
        guard var prompt = state.passwordPrompt else { return [] }
        switch key {
        case .character(let character): prompt.editor.insert(String(character))
        case .paste(let text): prompt.editor.insert(String(text.prefix { !$0.isNewline }))
        case .backspace, .control("h"): prompt.editor.deleteBackward()
        case .control("d"), .delete: prompt.editor.deleteForward()
        case .control("u"): prompt.editor.killToStart()
        case .control("k"): prompt.editor.killToEnd()
        case .control("w"): prompt.editor.killWordBackward()
        case .control("a"), .home: prompt.editor.moveHome()
        case .control("e"), .end: prompt.editor.moveEnd()
        case .control("b"), .left: prompt.editor.moveLeft()
        case .control("f"), .right: prompt.editor.moveRight()
        case .control("l"): return [.repaint]
        case .escape, .control("c"):
            state.passwordPrompt = nil
            switch prompt.purpose {
            case .login(let account): info(&state, "No login: staying \(state.nick). /login \(account) asks again.", now: now)
            case .register: info(&state, "Registration cancelled.", now: now)
            }
            return []
        case .enter:
            let password = prompt.editor.text
            guard !password.isEmpty else {
                error(&state, "The password is empty; type it, or Esc to cancel.", now: now)
                return []
            }
            state.passwordPrompt = nil
            switch prompt.purpose {
            case .login(let account): return logIn(&state, account: account, password: password, now: now)
            case .register(let email):
                guard requireConnection(&state, now: now) else { return [] }
                return register(&state, password: password, email: email, now: now)
            }
        default:
            return []
        }
        state.passwordPrompt = prompt
        return []
    }
}
