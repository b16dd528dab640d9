import Shared

/// A message read back from history.
public struct StoredMessage: Sendable, Equatable {
    /// Storage order among messages with the same time (the SQLite rowid).
    public var sequence: Int64
    /// The `msgid` it was relayed with.
    public var msgid: String
    /// The server-time, milliseconds since the Unix epoch.
    public var timeMs: Int64
    /// The full source it was relayed with (`nick!user@host`).
    public var senderSource: String
    /// The sender's nick at the time.
    public var senderNick: String
    /// The sender's account, if it was logged in.
    public var senderAccount: String?
    /// True for a room message, false for a direct one.
    public var isRoom: Bool
    /// The target parameter as originally sent.
    public var targetName: String
    /// `PRIVMSG` or `NOTICE`.
    public var command: String
    /// The message text.
    public var text: String
    /// The stored extra tags (not `time`, `msgid`, `account`).
    public var tags: [IRCTag]

    /// The message as it is replayed: `time`, `msgid`, `account` (when known) and the stored tags,
    /// with the original source, command, target and text. The server drops tags a client did
    /// not negotiate and adds `batch`.
    public func ircMessage() -> IRCMessage {
        var replayTags = [IRCTag("time", IRCTime.format(millisecondsSince1970: timeMs)), IRCTag("msgid", msgid)]
        if let senderAccount { replayTags.append(IRCTag("account", senderAccount)) }
        replayTags.append(contentsOf: tags)
        return IRCMessage(tags: replayTags, source: senderSource, command: command, params: [targetName, text])
    }
}
