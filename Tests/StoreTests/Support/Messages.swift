import ChatStore
import Shared

/// Builders for test messages.
enum Messages {
    static func room(_ msgid: String, at timeMs: Int64, in room: String = "#Room", from nick: String = "alice",
                     account: String? = "alice", text: String? = nil) -> NewMessage {
        NewMessage(
            msgid: msgid, timeMs: timeMs, senderSource: "\(nick)!\(nick)@127.0.0.1", senderNick: nick,
            senderAccount: account, destination: .room(room), targetName: room, command: "PRIVMSG",
            text: text ?? "text of \(msgid)")
    }

    static func direct(_ msgid: String, at timeMs: Int64, from sender: HistoryParty, senderNick: String? = nil,
                       to recipient: HistoryParty, targetName: String? = nil) -> NewMessage {
        let nick = senderNick ?? sender.name
        let account: String? = if case .account(let name) = sender { name } else { nil }
        return NewMessage(
            msgid: msgid, timeMs: timeMs, senderSource: "\(nick)!\(nick)@127.0.0.1", senderNick: nick,
            senderAccount: account, destination: .direct(recipient), targetName: targetName ?? recipient.name,
            command: "PRIVMSG", text: "text of \(msgid)")
    }
}
