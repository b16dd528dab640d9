/// Why an account could not be registered, or its password not changed.
public enum RegistrationFailure: Error, Hashable, Sendable {
    /// The casefolded name is taken.
    case accountExists
    /// The name is not a valid nick or is too long.
    case badAccountName
    /// Shorter than `StoreConfiguration.minimumPasswordBytes`.
    case weakPassword
    /// Longer than `StoreConfiguration.maximumPasswordBytes`, or contains NUL, CR or LF.
    case unacceptablePassword
    /// Not shaped like an address (`local@domain`, no spaces or control characters).
    case invalidEmail
    /// For a password change: no such account.
    case noSuchAccount
    /// The database failed or the store is closed; worth retrying later.
    case temporarilyUnavailable(String)

    /// The draft/account-registration `FAIL REGISTER` code to send.
    public var failCode: String {
        switch self {
        case .accountExists: return "ACCOUNT_EXISTS"
        case .badAccountName: return "BAD_ACCOUNT_NAME"
        case .weakPassword: return "WEAK_PASSWORD"
        case .unacceptablePassword: return "UNACCEPTABLE_PASSWORD"
        case .invalidEmail: return "INVALID_EMAIL"
        case .noSuchAccount: return "BAD_ACCOUNT_NAME"
        case .temporarilyUnavailable: return "TEMPORARILY_UNAVAILABLE"
        }
    }

    /// A human-readable description for the FAIL trailing parameter or the CLI.
    public var message: String {
        switch self {
        case .accountExists: return "Account already exists"
        case .badAccountName: return "Account name is not a valid nickname"
        case .weakPassword: return "Password is too short"
        case .unacceptablePassword: return "Password is too long or contains a forbidden character"
        case .invalidEmail: return "Invalid e-mail address"
        case .noSuchAccount: return "No such account"
        case .temporarilyUnavailable(let reason): return "Account storage is unavailable: \(reason)"
        }
    }
}
