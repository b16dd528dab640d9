import Shared

/// The checks a registration passes before any hashing or disk work.
struct AccountRules: Sendable {
    let maxNameLength: Int
    let minimumPasswordBytes: Int
    let maximumPasswordBytes: Int

    func checkName(_ name: String) -> RegistrationFailure? {
        IRCNames.isValidNick(name, maxLength: maxNameLength) ? nil : .badAccountName
    }

    func checkPassword(_ password: String) -> RegistrationFailure? {
        let bytes = password.utf8
        if bytes.count < minimumPasswordBytes { return .weakPassword }
        if bytes.count > maximumPasswordBytes { return .unacceptablePassword }
        if bytes.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) { return .unacceptablePassword }
        return nil
    }

    /// Deliberately loose (one `@`, something on both sides, a dot in the domain, no spaces or
    /// controls): the address is not used for sending, only kept.
    func checkEmail(_ email: String?) -> RegistrationFailure? {
        guard let email else { return nil }
        let bytes = Array(email.utf8)
        guard bytes.count <= 254, !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else { return .invalidEmail }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return .invalidEmail }
        return nil
    }

    func check(name: String, email: String?, password: String) -> RegistrationFailure? {
        checkName(name) ?? checkEmail(email) ?? checkPassword(password)
    }
}
