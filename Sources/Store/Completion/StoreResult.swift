/// What an asynchronous request came to.
public enum StoreResult: Sendable, Equatable {
    /// The message is committed (or history is off and `stored` is false): echo and relay it now.
    case messageStored(msgid: String, stored: Bool)
    /// Every message staged with ``ChatStore/stageAppend(_:routeHint:)`` up to and including
    /// this ticket is committed, except those that got their own `.messageFailed` before it:
    /// one completion for a whole batch rather than one per message.
    case messagesStored(through: StoreTicket)
    /// The message could not be stored (a duplicate msgid or a database failure).
    case messageFailed(msgid: String, error: StoreError)
    /// The account exists now.
    case registered(AccountInfo)
    /// Registration refused.
    case registrationFailed(RegistrationFailure)
    /// The credentials are right; the account as stored (use its `name` for the canonical case).
    case loggedIn(AccountInfo)
    /// Login refused.
    case loginFailed(LoginFailure)
    /// The new password is in effect.
    case passwordChanged(account: String)
    /// Password change refused.
    case passwordChangeFailed(RegistrationFailure)
    /// The account is gone (`existed` false when there was none), with its read markers.
    case accountDeleted(account: String, existed: Bool)
    /// Every account, by name.
    case accounts([AccountInfo])
    /// A history page in ascending order.
    case history([StoredMessage])
    /// A TARGETS answer in ascending order of latest time.
    case targets([HistoryTarget])
    /// The account's read marker for the target, after a get or a set; nil when never set.
    /// After a set it is the stored value, which is the later of the old and the new one.
    case readMarker(account: String, target: String, timeMs: Int64?)
    /// Expired messages removed.
    case purged(count: Int)
    /// A request that has no other failure case failed.
    case failed(StoreError)
}
