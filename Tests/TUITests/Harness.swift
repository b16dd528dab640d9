import Shared
@testable import ChatTUI

/// Drives the reducer the way the app does: IRC lines in, keys in, effects collected.
struct Harness {
    var state: AppState
    var now: Int64 = 1_795_000_000_000
    var sent: [IRCMessage] = []
    var quit = false

    /// A client registered on a server offering `caps`.
    init(nick: String = "alice", caps: String = "chat.localhost/roster echo-message server-time message-tags batch labeled-response",
         isupport: String = "NETWORK=chat CASEMAPPING=rfc1459 CHANTYPES=#") {
        state = AppState(identity: ServerIdentity(host: "127.0.0.1", port: 6667, nick: nick, user: nick, realname: nick))
        state.utcOffset = 0
        state.rows = 20
        state.columns = 80
        feed(.network(.connecting(attempt: 1)))
        feed(.network(.connected))
        server(":srv CAP * LS :\(caps)")
        let acked = Reducer.wantedCaps.filter { caps.split(separator: " ").map(String.init).contains($0) }
        if !acked.isEmpty { server(":srv CAP \(nick) ACK :\(acked.joined(separator: " "))") }
        server(":srv 001 \(nick) :Welcome \(nick)")
        server(":srv 005 \(nick) \(isupport) :are supported")
        server(":srv 376 \(nick) :End of MOTD")
        sent.removeAll()
    }

    /// One event, then the end-of-batch step, as the app's loop runs a batch of one.
    mutating func feed(_ event: AppEvent) {
        feed(batch: [event])
    }

    /// Several events in one wake-up of the app's loop, then the end-of-batch step.
    mutating func feed(batch events: [AppEvent]) {
        var effects: [Effect] = []
        for event in events { effects += Reducer.reduce(&state, event, now: now) }
        effects += Reducer.settle(&state)
        for effect in effects {
            switch effect {
            case .send(let message): sent.append(message)
            case .quit: quit = true
            case .repaint: break
            }
        }
    }

    /// Parses a test line (a test line that does not parse is a bug in the test).
    static func parse(_ line: String) -> IRCMessage {
        do {
            return try IRCMessage.parse(line)
        } catch {
            fatalError("test line does not parse: \(line)")
        }
    }

    mutating func server(_ line: String) {
        do {
            feed(.network(.message(try IRCMessage.parse(line))))
        } catch {
            fatalError("test line does not parse: \(line)")
        }
    }

    mutating func key(_ key: Key) { feed(.key(key)) }

    mutating func type(_ text: String) {
        for character in text { key(.character(character)) }
    }

    mutating func enter(_ text: String) {
        type(text)
        key(.enter)
    }

    /// Sidebar labels with their unread counts, in order.
    var sidebar: [String] {
        Sidebar.entries(state).map { "\($0.section.rawValue):\($0.label)" + ($0.unread > 0 ? "(\($0.unread))" : "") }
    }

    func conversation(_ name: String) -> Conversation? {
        state.conversations[state.conversationID(for: name)]
    }

    var sentLines: [String] { sent.map { $0.wireLine } }
}
