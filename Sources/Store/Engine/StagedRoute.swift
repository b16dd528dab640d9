/// The fields a loop turn's direct messages share when they go the same way: one row per
/// distinct sender and destination in a turn, so a message staged from its bytes takes no
/// reference to any string of its own.
struct StagedRoute: Sendable {
    let senderSource: String
    let senderNick: String
    let senderAccount: String?
    let destination: HistoryConversation
    let targetName: String
    let command: String

    /// True when the row holds exactly these values (by identity first, so a sender's repeated
    /// strings compare at once).
    func matches(
        senderSource: String, senderNick: String, senderAccount: String?, destination: HistoryConversation,
        targetName: String, command: String
    ) -> Bool {
        self.senderSource == senderSource && self.senderNick == senderNick && self.senderAccount == senderAccount
            && self.targetName == targetName && self.command == command && self.destination == destination
    }
}
