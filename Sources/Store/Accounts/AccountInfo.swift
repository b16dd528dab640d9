/// A registered account, without its secrets.
public struct AccountInfo: Hashable, Sendable {
    /// The account name as registered (its casefolded form is unique).
    public var name: String
    /// The e-mail address given at registration, if any.
    public var email: String?
    /// When it was created, milliseconds since the epoch.
    public var createdMs: Int64

    /// Creates an account description.
    public init(name: String, email: String?, createdMs: Int64) {
        self.name = name
        self.email = email
        self.createdMs = createdMs
    }
}
