import Foundation
import Shared

/// scrypt in a debug build takes up to a second per hash, and several test servers share two
/// cores: every wait that includes a hash gets this much time.
let hashDeadline = 20.0

/// The capabilities a history-aware client asks for.
let historyCaps = ["batch", "server-time", "message-tags", "echo-message", "draft/chathistory"]

extension ServerProcess {
    /// Connects `nick` as a guest, then creates the account `nick` with REGISTER; the client stays
    /// connected and logged in.
    func accountClient(_ nick: String, password: String, caps: [String] = historyCaps) throws -> TestClient {
        let client = try self.client(nick, caps: caps)
        try client.registerAccount(password: password)
        return client
    }

    /// Connects and logs in with SASL PLAIN during registration.
    func saslClient(_ nick: String, account: String? = nil, password: String, caps: [String] = historyCaps) throws -> TestClient {
        let client = try connection(nick)
        try client.registerWithSASL(nick: nick, account: account ?? nick, password: password, caps: caps)
        return client
    }
}

extension ServerProcess {
    /// Connects from `sourceAddress` (another 127.x address looks like another machine), negotiates
    /// `sasl` and sends NICK and USER, leaving registration open for AUTHENTICATE.
    func saslReadyConnection(_ nick: String, from sourceAddress: String = "127.0.0.1") throws -> TestClient {
        let client = try TestClient(port: port, label: nick, sourceAddress: sourceAddress)
        retainedClients.append(client)
        client.nick = nick
        try client.send("CAP LS 302")
        _ = try client.capLS()
        try client.send("CAP REQ :sasl")
        try client.expect("CAP", "*", "ACK")
        try client.send("NICK \(nick)")
        try client.send("USER \(nick) 0 * :\(nick)")
        return client
    }
}

extension ChatServer {
    /// Starts a server on a database file (the later `--db` overrides the harness's `:memory:`).
    static func start(database path: String, _ flags: [String] = []) throws -> ServerProcess {
        try start(["--db", path] + flags)
    }
}

extension TestClient {
    /// `REGISTER * * password` for the current nick; waits for `REGISTER SUCCESS` and the 900.
    func registerAccount(password: String, email: String = "*") throws {
        try send("REGISTER * \(email) \(password)")
        let reply = try expect("REGISTER SUCCESS or FAIL REGISTER", within: hashDeadline) {
            ($0.command == "REGISTER" && $0.param(0) == "SUCCESS") || ($0.command == "FAIL" && $0.param(0) == "REGISTER")
        }
        guard reply.command == "REGISTER", reply.param(1).map({ $0.lowercased() }) == nick.lowercased() else {
            throw failure("REGISTER refused: \(reply.wireLine)")
        }
        try expectNumeric(IRCNumeric.loggedIn, within: hashDeadline)
    }

    /// Sends `REGISTER` and returns the FAIL it must get (throws on success).
    func registerRefused(_ line: String) throws -> IRCMessage {
        try send(line)
        let reply = try expect("FAIL REGISTER", within: hashDeadline) {
            ($0.command == "REGISTER" && $0.param(0) == "SUCCESS") || ($0.command == "FAIL" && $0.param(0) == "REGISTER")
        }
        guard reply.command == "FAIL" else { throw failure("REGISTER was accepted: \(reply.wireLine)") }
        return reply
    }

    /// `AUTHENTICATE PLAIN` and the base64 payload; returns the closing numeric (903 on success,
    /// 904 and friends otherwise).
    @discardableResult
    func authenticatePlain(account: String, password: String) throws -> IRCMessage {
        let exchange = try authenticatePlainExchange(account: account, password: password)
        guard let closing = exchange.last else { throw failure("no SASL reply") }
        return closing
    }

    /// `AUTHENTICATE PLAIN` and the payload; returns every line after the payload up to and including
    /// the closing numeric.
    func authenticatePlainExchange(account: String, password: String) throws -> [IRCMessage] {
        try send("AUTHENTICATE PLAIN")
        try expect("AUTHENTICATE +", within: hashDeadline) { $0.command == "AUTHENTICATE" && $0.param(0) == "+" }
        let payload = Data([0] + Array(account.utf8) + [0] + Array(password.utf8)).base64EncodedString()
        try send("AUTHENTICATE \(payload)")
        let closing: Set<String> = [IRCNumeric.saslSuccess, IRCNumeric.saslFail, "902", "905", IRCNumeric.saslAborted, IRCNumeric.saslAlready]
        return try collect(until: "903/904", within: hashDeadline) { closing.contains($0.command) }
    }

    /// Full registration with SASL PLAIN: CAP LS 302, CAP REQ sasl + `caps`, NICK, USER,
    /// AUTHENTICATE, CAP END; throws unless SASL succeeds and 001 arrives. Returns the SASL
    /// exchange followed by the registration burst.
    @discardableResult
    func registerWithSASL(nick: String, account: String, password: String, caps: [String] = []) throws -> [IRCMessage] {
        self.nick = nick
        try send("CAP LS 302")
        let offered = try capLS()
        guard offered["sasl"]?.split(separator: ",").contains("PLAIN") == true else {
            throw failure("server does not offer sasl=PLAIN: \(offered)")
        }
        try send("CAP REQ :\((["sasl"] + caps).joined(separator: " "))")
        let ack = try expect("CAP ACK/NAK") { $0.command == "CAP" && ($0.param(1) == "ACK" || $0.param(1) == "NAK") }
        guard ack.param(1) == "ACK" else { throw failure("CAP REQ refused: \(ack.wireLine)") }
        try send("NICK \(nick)")
        try send("USER \(nick) 0 * :Test \(nick)")
        let exchange = try authenticatePlainExchange(account: account, password: password)
        guard let closing = exchange.last, closing.command == IRCNumeric.saslSuccess else {
            throw failure("SASL login as \(account) failed: \(exchange.last?.wireLine ?? "nothing")")
        }
        try send("CAP END")
        let burst = try collect(until: "001 … 376/422", within: hashDeadline) {
            [IRCNumeric.endOfMotd, IRCNumeric.noMotd, IRCNumeric.nicknameInUse, "ERROR"].contains($0.command)
        }
        guard burst.contains(where: { $0.command == IRCNumeric.welcome }) else {
            throw failure("registration as \(nick) failed: \(burst.last?.wireLine ?? "nothing")")
        }
        return exchange + burst
    }
}
