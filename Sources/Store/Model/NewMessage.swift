import Shared

/// A PRIVMSG or NOTICE to be stored, as the server accepted it.
///
/// The fields are stored as constants behind settable properties: with stored `var`s, the
/// optimizer built every message in a temporary and then copied it (a retain per string) and
/// destroyed the temporary (a release per string), in the initializer and wherever it was
/// inlined; `let`s are initialized in place. A setter rebuilds the value, which only tests do.
public struct NewMessage: Sendable, Equatable {
    private let storedMsgid: String
    private let storedTimeMs: Int64
    private let storedSenderSource: String
    private let storedSenderNick: String
    private let storedSenderAccount: String?
    private let storedDestination: HistoryConversation
    private let storedTargetName: String
    private let storedCommand: String
    private let storedText: String
    private let storedTags: [IRCTag]

    /// The server-assigned `msgid`; unique across the database.
    public var msgid: String {
        get { storedMsgid }
        set { self = changed { $0.msgid = newValue } }
    }
    /// The server-time, milliseconds since the Unix epoch.
    public var timeMs: Int64 {
        get { storedTimeMs }
        set { self = changed { $0.timeMs = newValue } }
    }
    /// The full source the message was relayed with (`nick!user@host`).
    public var senderSource: String {
        get { storedSenderSource }
        set { self = changed { $0.senderSource = newValue } }
    }
    /// The sender's nick at the time.
    public var senderNick: String {
        get { storedSenderNick }
        set { self = changed { $0.senderNick = newValue } }
    }
    /// The sender's account, when logged in.
    public var senderAccount: String? {
        get { storedSenderAccount }
        set { self = changed { $0.senderAccount = newValue } }
    }
    /// The room, or the direct recipient (an account for a registered target, else a nick).
    public var destination: HistoryConversation {
        get { storedDestination }
        set { self = changed { $0.destination = newValue } }
    }
    /// The target parameter as the sender wrote it (`#Chat`, `Bob`), replayed verbatim.
    public var targetName: String {
        get { storedTargetName }
        set { self = changed { $0.targetName = newValue } }
    }
    /// `PRIVMSG` or `NOTICE`.
    public var command: String {
        get { storedCommand }
        set { self = changed { $0.command = newValue } }
    }
    /// The message text.
    public var text: String {
        get { storedText }
        set { self = changed { $0.text = newValue } }
    }
    /// Tags to replay besides `time`, `msgid` and `account` (typically the client-only `+` tags).
    public var tags: [IRCTag] {
        get { storedTags }
        set { self = changed { $0.tags = newValue } }
    }

    /// Creates a message to store.
    public init(
        msgid: String, timeMs: Int64, senderSource: String, senderNick: String, senderAccount: String?,
        destination: HistoryConversation, targetName: String, command: String, text: String, tags: [IRCTag] = []
    ) {
        storedMsgid = msgid
        storedTimeMs = timeMs
        storedSenderSource = senderSource
        storedSenderNick = senderNick
        storedSenderAccount = senderAccount
        storedDestination = destination
        storedTargetName = targetName
        storedCommand = command
        storedText = text
        storedTags = tags
    }

    /// The sender as a history party.
    public var senderParty: HistoryParty {
        .sender(nick: senderNick, account: senderAccount)
    }

    /// The fields as a mutable value, for the setters.
    private struct Fields {
        var msgid: String
        var timeMs: Int64
        var senderSource: String
        var senderNick: String
        var senderAccount: String?
        var destination: HistoryConversation
        var targetName: String
        var command: String
        var text: String
        var tags: [IRCTag]
    }

    private func changed(_ change: (inout Fields) -> Void) -> NewMessage {
        var fields = Fields(
            msgid: storedMsgid, timeMs: storedTimeMs, senderSource: storedSenderSource, senderNick: storedSenderNick,
            senderAccount: storedSenderAccount, destination: storedDestination, targetName: storedTargetName,
            command: storedCommand, text: storedText, tags: storedTags)
        change(&fields)
        return NewMessage(
            msgid: fields.msgid, timeMs: fields.timeMs, senderSource: fields.senderSource, senderNick: fields.senderNick,
            senderAccount: fields.senderAccount, destination: fields.destination, targetName: fields.targetName,
            command: fields.command, text: fields.text, tags: fields.tags)
    }
}
