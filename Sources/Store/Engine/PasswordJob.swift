/// Work that runs scrypt, for a password thread.
enum PasswordJob: Sendable {
    case register(StoreTicket, name: String, email: String?, password: String)
    case login(StoreTicket, account: String, password: String)
    case changePassword(StoreTicket, account: String, password: String)
}
