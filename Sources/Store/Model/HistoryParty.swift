import Shared

/// One side of a direct conversation: a logged-in account or a guest known only by nick.
///
/// The two kinds never share history: a guest who once used the nick `carol` cannot read what
/// is later sent to the account `carol`, and the other way round. Names compare casefolded.
public enum HistoryParty: Hashable, Sendable {
    /// A registered account, by account name.
    case account(String)
    /// A client with no account, by nick.
    case nick(String)

    /// The party of a message sender: its account when logged in, else its nick.
    public static func sender(nick: String, account: String?) -> HistoryParty {
        account.map { .account($0) } ?? .nick(nick)
    }

    /// The name as given (account or nick).
    public var name: String {
        switch self {
        case .account(let name), .nick(let name): return name
        }
    }

    /// True for `.account`.
    public var isAccount: Bool {
        if case .account = self { return true }
        return false
    }

    /// The stored form: `a:` or `n:` followed by the casefolded name. Nicks and account names
    /// cannot contain `:` or spaces, so the key is unambiguous and sorts stably.
    func key(_ mapping: IRCCaseMapping) -> String {
        switch self {
        case .account(let name): return "a:" + mapping.fold(name)
        case .nick(let name): return "n:" + mapping.fold(name)
        }
    }

    /// The party a stored key names; the name comes back casefolded.
    init?(key: String) {
        guard key.count > 2 else { return nil }
        let name = String(key.dropFirst(2))
        if key.hasPrefix("a:") {
            self = .account(name)
        } else if key.hasPrefix("n:") {
            self = .nick(name)
        } else {
            return nil
        }
    }
}
