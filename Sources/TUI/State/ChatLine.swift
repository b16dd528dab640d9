/// One line in a conversation.
struct ChatLine: Equatable, Sendable {
    /// What the line records; decides how it is drawn and whether it counts as unread.
    enum Kind: Equatable, Sendable {
        case message, action, notice
        /// Joins, parts, quits, nick changes, topic changes, mode changes.
        case event
        /// Local information: command output, server replies.
        case info
        case error
    }

    var kind: Kind
    /// Milliseconds since the epoch (the server's time when it sent `server-time`).
    var time: Int64
    /// The nick that said it, for messages, actions and notices.
    var sender: String?
    /// The text with its IRC formatting codes still in it.
    var text: String
    /// Sent by this client.
    var isSelf = false
    /// Sent but not yet confirmed by the server's echo.
    var isPending = false
    /// Mentions you (or is a DM to you).
    var isHighlight = false
    /// Came from a history batch rather than live.
    var isFromHistory = false
    var msgid: String?
    /// The `label` tag it was sent with, to match the echo.
    var label: String?
    /// The `+chat.localhost/pending` token it was sent with: the same token in a history
    /// replay proves the server has it, so a reconnect does not send it twice.
    var pendingToken: String?

    /// Creates a line.
    init(kind: Kind, time: Int64, sender: String? = nil, text: String) {
        self.kind = kind
        self.time = time
        self.sender = sender
        self.text = text
    }

    /// True for lines that count towards unread: what people said, not joins or local output.
    var countsAsUnread: Bool {
        switch kind {
        case .message, .action, .notice: return !isSelf
        case .event, .info, .error: return false
        }
    }
}
