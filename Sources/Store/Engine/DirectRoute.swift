/// The fields a direct message shares with every other message of the same sender and
/// destination, given to ``ChatStore/stageDirect(msgid:timeMs:text:routeHint:routeKey:route:)``
/// only when the store does not already hold them for the turn.
public struct DirectRoute: Sendable {
    public let senderSource: String
    public let senderNick: String
    public let senderAccount: String?
    public let destination: HistoryConversation
    public let targetName: String
    public let command: String

    public init(
        senderSource: String, senderNick: String, senderAccount: String?, destination: HistoryConversation,
        targetName: String, command: String
    ) {
        self.senderSource = senderSource
        self.senderNick = senderNick
        self.senderAccount = senderAccount
        self.destination = destination
        self.targetName = targetName
        self.command = command
    }
}

/// A caller's exact name for a ``DirectRoute``: equal keys promise equal routes. The loop builds
/// one from the two clients' ids and the versions of their names, so while neither renames, a
/// message finds its turn's route row by comparing four integers instead of six strings, and the
/// loop reads none of those strings.
public struct DirectRouteKey: Equatable, Sendable {
    public let sender: UInt64
    public let senderVersion: UInt64
    public let recipient: UInt64
    /// The recipient's name version with the command in its low bit.
    public let recipientVersionAndCommand: UInt64

    public init(sender: UInt64, senderVersion: UInt64, recipient: UInt64, recipientVersion: UInt64, commandBit: Bool) {
        self.sender = sender
        self.senderVersion = senderVersion
        self.recipient = recipient
        self.recipientVersionAndCommand = recipientVersion << 1 | (commandBit ? 1 : 0)
    }
}
