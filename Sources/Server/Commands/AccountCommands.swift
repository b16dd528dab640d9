import ChatStore
import Foundation
import Shared

/// AUTHENTICATE (SASL PLAIN) and REGISTER (draft/account-registration).
extension Server {
    /// `AUTHENTICATE PLAIN`, then the base64 payload in 400-byte chunks (`+` for an empty one), or `*` to abort.
    func handleAuthenticate(_ client: Client, _ message: IRCMessage) {
        guard store != nil else {
            reply(client, IRCNumeric.unknownCommand, "AUTHENTICATE", "Unknown command")
            return
        }
        let argument = message.params[0]
        if argument == "*" {
            guard client.saslPayload != nil else {
                reply(client, IRCNumeric.saslAborted, "SASL authentication aborted")
                return
            }
            client.saslPayload = nil
            reply(client, IRCNumeric.saslAborted, "SASL authentication aborted")
            return
        }
        guard client.account == nil else {
            reply(client, IRCNumeric.saslAlready, "You have already authenticated using SASL")
            return
        }
        guard !client.loginInFlight else {
            reply(client, IRCNumeric.saslFail, "SASL authentication failed: a login is already being checked")
            return
        }
        guard var payload = client.saslPayload else {
            guard argument.uppercased() == "PLAIN" else {
                reply(client, IRCNumeric.saslMechs, "PLAIN", "are available SASL mechanisms")
                reply(client, IRCNumeric.saslFail, "SASL authentication failed")
                return
            }
            client.saslPayload = ""
            send(IRCMessage(command: "AUTHENTICATE", params: ["+"]), to: client)
            return
        }
        if argument != "+" { payload += argument }
        guard payload.utf8.count <= 1600 else {
            client.saslPayload = nil
            reply(client, IRCNumeric.saslTooLong, "SASL message too long")
            return
        }
        if argument.utf8.count == 400 {
            client.saslPayload = payload
            return
        }
        client.saslPayload = nil
        guard let data = Data(base64Encoded: payload) else {
            reply(client, IRCNumeric.saslFail, "SASL authentication failed: the payload is not base64")
            return
        }
        let fields = data.split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3,
              let authcid = String(data: Data(fields[1]), encoding: .utf8), !authcid.isEmpty,
              let password = String(data: Data(fields[2]), encoding: .utf8) else {
            reply(client, IRCNumeric.saslFail, "SASL authentication failed: expected authzid NUL authcid NUL password")
            return
        }
        let authzid = String(data: Data(fields[0]), encoding: .utf8) ?? ""
        guard authzid.isEmpty || fold(authzid) == fold(authcid) else {
            reply(client, IRCNumeric.saslFail, "SASL authentication failed: cannot act as another account")
            return
        }
        startLogin(client, account: authcid, password: password, method: .sasl)
    }

    /// Checks a password on the store's password thread; the answer comes back through ``loginFinished``.
    func startLogin(_ client: Client, account: String, password: String, method: LoginMethod) {
        guard let store else { return }
        let keys = ["ip " + client.ip, "account " + fold(account)]
        if keys.contains(where: { tooManyLoginFailures($0) }) {
            switch method {
            case .sasl: reply(client, IRCNumeric.saslFail, "SASL authentication failed: too many failed attempts, try again in a minute")
            case .pass:
                reply(client, IRCNumeric.passwdMismatch, "Too many failed login attempts, try again in a minute")
                disconnect(client, reason: "Too many failed login attempts")
            }
            return
        }
        client.loginInFlight = true
        let ticket = store.login(account: account, password: password)
        pendingStoreOperations[ticket] = .login(clientID: client.id, account: account, method: method, label: deferLabel(client))
    }

    private func tooManyLoginFailures(_ key: String) -> Bool {
        guard let entry = loginFailures[key] else { return false }
        if now - entry.since > 60 {
            loginFailures[key] = nil
            return false
        }
        return entry.count >= config.maxLoginFailures
    }

    private func recordLoginFailure(_ key: String) {
        if let entry = loginFailures[key], now - entry.since <= 60 {
            loginFailures[key] = (entry.count + 1, entry.since)
        } else {
            loginFailures[key] = (1, now)
        }
        // Bounded: a flood of guesses against made-up names cannot grow this without limit.
        if loginFailures.count > 10_000 {
            loginFailures = loginFailures.filter { now - $0.value.since <= 60 }
        }
    }

    func loginFinished(_ client: Client, account: String, method: LoginMethod, _ result: StoreResult) {
        switch result {
        case .loggedIn(let info):
            accountNames.insert(fold(info.name))
            logIn(client, account: info.name)
            if method == .sasl { reply(client, IRCNumeric.saslSuccess, "SASL authentication successful") }
        case .loginFailed(.noSuchAccount) where method == .pass:
            // A PASS for a nick that is no account: the client simply stays a guest.
            return
        default:
            recordLoginFailure("ip " + client.ip)
            recordLoginFailure("account " + fold(account))
            switch method {
            case .sasl:
                reply(client, IRCNumeric.saslFail, "SASL authentication failed")
            case .pass:
                reply(client, IRCNumeric.passwdMismatch, "Password incorrect")
                disconnect(client, reason: "Bad password")
            }
        }
    }

    /// Marks the client logged in; peers with account-notify hear of it once the user is registered.
    func logIn(_ client: Client, account: String) {
        client.account = account
        // At once, even before registration: SASL clients learn their account from the 900 that
        // precedes 903, before they send CAP END.
        reply(client, IRCNumeric.loggedIn, client.prefix, account, "You are now logged in as \(account)")
        guard client.isRegistered else { return }
        let line = IRCMessage(source: client.prefix, command: "ACCOUNT", params: [account])
        relay(line, to: peers(of: client).filter { $0.has(.accountNotify) })
    }

    /// `REGISTER <account|*> <email|*> <password>`: the account is the current nick.
    func handleRegister(_ client: Client, _ message: IRCMessage) {
        guard let store else {
            reply(client, IRCNumeric.unknownCommand, "REGISTER", "Unknown command")
            return
        }
        var name = message.params[0]
        if name == "*", let nick = client.nick { name = nick }
        guard client.account == nil else {
            fail(client, "REGISTER", "ALREADY_AUTHENTICATED", [name], "You are already logged in to an account")
            return
        }
        guard let nick = client.nick, fold(name) == fold(nick) else {
            fail(client, "REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", [name], "The account name must be your current nick")
            return
        }
        guard !accountNames.contains(fold(name)) else {
            fail(client, "REGISTER", "ACCOUNT_EXISTS", [name], "An account with that name already exists")
            return
        }
        guard !client.loginInFlight else {
            fail(client, "REGISTER", "TEMPORARILY_UNAVAILABLE", [name], "A login is already being checked")
            return
        }
        let email = message.params[1] == "*" ? nil : message.params[1]
        client.loginInFlight = true
        let ticket = store.register(account: name, email: email, password: message.params[2])
        pendingStoreOperations[ticket] = .register(clientID: client.id, label: deferLabel(client))
    }

    func registrationFinished(_ client: Client, _ result: StoreResult) {
        switch result {
        case .registered(let info):
            accountNames.insert(fold(info.name))
            send(IRCMessage(source: config.serverName, command: "REGISTER", params: ["SUCCESS", info.name, "Account successfully registered"]), to: client)
            logIn(client, account: info.name)
        case .registrationFailed(let failure):
            fail(client, "REGISTER", failure.failCode, [client.displayNick], failure.message)
        default:
            fail(client, "REGISTER", "TEMPORARILY_UNAVAILABLE", [client.displayNick], "Registration is unavailable right now")
        }
    }
}
