import Shared

extension ServerProcess {
    /// Connects a client to this server and registers it as `nick` with `caps`.
    func client(_ nick: String, caps: [String] = [], password: String? = nil) throws -> TestClient {
        let client = try TestClient(port: port, label: nick)
        try client.register(nick: nick, caps: caps, password: password)
        retainedClients.append(client)
        return client
    }

    /// Connects a client without registering it.
    func connection(_ label: String, receiveBuffer: Int32? = nil) throws -> TestClient {
        let client = try TestClient(port: port, label: label, receiveBuffer: receiveBuffer)
        retainedClients.append(client)
        return client
    }
}

extension IRCMessage {
    /// The nicks in a roster/MONITOR numeric's target list (`nick!user@host,…` or `nick,…`).
    var targetNicks: [String] {
        (params.last ?? "").split(separator: ",").map { String($0.split(separator: "!").first ?? $0) }
    }
}
