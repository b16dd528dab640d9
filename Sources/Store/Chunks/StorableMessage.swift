import Shared

/// What the chunk writer reads of a message to store: a whole ``NewMessage`` or a record of a
/// ``StagedRun`` read in place (``StagedView``). Generic, not an existential, so each form is
/// compiled on its own and a view's strings are borrowed from the run, never retained.
protocol StorableMessage {
    var timeMs: Int64 { get }
    var senderSource: String { get }
    var senderNick: String { get }
    var senderAccount: String? { get }
    var destination: HistoryConversation { get }
    var targetName: String { get }
    var command: String { get }
    var tags: [IRCTag] { get }
    /// The msgid's shape, parsed where it lies; nil when it is not chat-server's form.
    var msgidShape: MsgidShape? { get }
    /// The msgid as text: for a literal msgid or an error, not for the common ranged one.
    var msgidText: String { get }
    /// The most bytes ``writeMsgid(into:)`` and ``writeText(into:)`` write.
    var msgidMaxBytes: Int { get }
    var textMaxBytes: Int { get }
    /// Writes the msgid, then the text, as the chunk format stores a string: length, then UTF-8.
    func writeMsgid(into cursor: inout ByteCursor)
    func writeText(into cursor: inout ByteCursor)
}

extension StorableMessage {
    /// The sender as a history party.
    var senderParty: HistoryParty {
        .sender(nick: senderNick, account: senderAccount)
    }
}

extension NewMessage: StorableMessage {
    var msgidShape: MsgidShape? { MsgidShape(msgid) }
    var msgidText: String { msgid }
    var msgidMaxBytes: Int { ByteCursor.maxBytes(msgid) }
    var textMaxBytes: Int { ByteCursor.maxBytes(text) }
    func writeMsgid(into cursor: inout ByteCursor) { cursor.string(msgid) }
    func writeText(into cursor: inout ByteCursor) { cursor.string(text) }
}
