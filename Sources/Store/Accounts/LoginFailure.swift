/// Why a login was refused. The server should answer both credential cases with the same
/// `904 ERR_SASLFAIL`, so a client cannot tell which account names exist.
public enum LoginFailure: Error, Hashable, Sendable {
    /// No account with that (casefolded) name.
    case noSuchAccount
    /// The password did not match.
    case wrongPassword
    /// The database failed or the store is closed.
    case temporarilyUnavailable(String)
}
