/// A change for the storage thread; each batch of these commits in one transaction.
enum WriteJob: Sendable {
    /// One message, confirmed by its own `.messageStored` completion.
    case append(StoreTicket, NewMessage)
    /// A loop turn's staged messages, in the order they were accepted: confirmed together by
    /// `.messagesStored(through:)`, with a `.messageFailed` only for one that failed.
    case appendRun(StagedRun)
    case createAccount(StoreTicket, AccountInfo, PasswordHash)
    /// A nil ticket is an internal re-hash (new scrypt parameters at login): no completion.
    case setPassword(StoreTicket?, account: String, PasswordHash)
    case deleteAccount(StoreTicket, account: String)
    case markRead(StoreTicket, account: String, target: String, timeMs: Int64)
    case purge(StoreTicket?)
}
