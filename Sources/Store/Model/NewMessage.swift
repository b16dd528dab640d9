import Shared

/// A PRIVMSG or NOTICE to be stored, as the server accepted it.
public struct NewMessage: Sendable, Equatable {
    /// The server-assigned `msgid`; unique across the database.
    public var msgid: String
    /// The server-time, milliseconds since the Unix epoch.
    public var timeMs: Int64
    /// The full source the message was relayed with (`nick!user@host`).
    public var senderSource: String
    /// The sender's nick at the time.
    public var senderNick: String
    /// The sender's account, when logged in.
    public var senderAccount: String?
    /// The room, or the direct recipient (an account for a registered target, else a nick).
    public var destination: HistoryConversation
    /// The target parameter as the sender wrote it (`#Chat`, `Bob`), replayed verbatim.
    public var targetName: String
    /// `PRIVMSG` or `NOTICE`.
    public var command: String
    /// The message text.
    public var text: String
    /// Tags to replay besides `time`, `msgid` and `account` (typically the client-only `+` tags).
    public var tags: [IRCTag]

    /// Creates a message to store.
    public init(
        msgid: String, timeMs: Int64, senderSource: String, senderNick: String, senderAccount: String?,
        destination: HistoryConversation, targetName: String, command: String, text: String, tags: [IRCTag] = []
    ) {
        self.msgid = msgid
        self.timeMs = timeMs
        self.senderSource = senderSource
        self.senderNick = senderNick
        self.senderAccount = senderAccount
        self.destination = destination
        self.targetName = targetName
        self.command = command
        self.text = text
        self.tags = tags
    }

    /// The sender as a history party.
    public var senderParty: HistoryParty {
        .sender(nick: senderNick, account: senderAccount)
    }
}
