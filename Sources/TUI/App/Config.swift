import Foundation
import Shared
import TOMLKit

/// Where the settings come from, strongest first: flags, `$CHAT_SERVER` / `$CHAT_NICK`,
/// the config file, `$USER`, built-in defaults.
struct Config: Equatable, Sendable {
    var host = "127.0.0.1"
    var port = 6667
    var nick: String?
    var user: String?
    var realname: String?
    var password: String?

    /// An error in the configuration, with the place it came from.
    struct Problem: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    /// Creates the default configuration.
    init() {}

    /// The config file path: `$XDG_CONFIG_HOME/chat-tui/config.toml`, else `~/.config/…`.
    static func defaultPath(environment: [String: String]) -> String? {
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return base + "/chat-tui/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/chat-tui/config.toml" }
        return nil
    }

    /// Reads the TOML file at `path` into a configuration; a missing file is not an error.
    /// Keys: `server = "host:port"`, `nick`, `user`, `realname`, `password` (all strings).
    mutating func apply(file path: String) throws(Problem) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Problem(description: "\(path): cannot read it as UTF-8 text")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw Problem(description: "\(path): \(error.description) at line \(error.source.begin.line)")
        } catch {
            throw Problem(description: "\(path): \(error)")
        }
        let known = ["server", "nick", "user", "realname", "password"]
        for key in table.keys where !known.contains(key) {
            throw Problem(description: "\(path): unknown key \"\(key)\" (known: \(known.joined(separator: ", ")))")
        }
        func string(_ key: String) throws(Problem) -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else {
                throw Problem(description: "\(path): \"\(key)\" must be a string")
            }
            return text
        }
        if let server = try string("server") { try setServer(server, origin: "\(path): server") }
        if let nick = try string("nick") { try setNick(nick, origin: "\(path): nick") }
        if let user = try string("user") { self.user = user }
        if let realname = try string("realname") { self.realname = realname }
        if let password = try string("password") { self.password = password }
    }

    /// Sets host and port from `HOST:PORT`, `HOST`, `[v6]:PORT` or `[v6]`.
    mutating func setServer(_ text: String, origin: String) throws(Problem) {
        guard let (host, port) = Self.parseAddress(text) else {
            throw Problem(description: "\(origin): \"\(text)\" is not HOST:PORT (IPv6 as [::1]:6667)")
        }
        self.host = host
        self.port = port ?? self.port
    }

    /// Sets the nick after checking it is one.
    mutating func setNick(_ text: String, origin: String) throws(Problem) {
        guard IRCNames.isValidNick(text, maxLength: 64) else {
            throw Problem(description: "\(origin): \"\(text)\" is not a valid nick")
        }
        nick = text
    }

    /// Splits an address; the port is nil when absent. Nil for a malformed address.
    static func parseAddress(_ text: String) -> (String, Int?)? {
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard host.firstIndex(of: ":") == colon else { return nil }
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else { return nil }
        guard let portText else { return (String(host), nil) }
        guard let port = Int(portText), port > 0, port < 65536 else { return nil }
        return (String(host), port)
    }
}
