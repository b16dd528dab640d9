/// One IRC message: `@tags :source COMMAND params… :trailing`.
///
/// Parameters never contain CR, LF or NUL once they are in a value of this type that came from
/// ``IRCMessage/parse(_:)``; the serializer still refuses to emit them, so a value built by hand
/// cannot inject a second command into a stream either.
public struct IRCMessage: Sendable, Equatable {
    /// Message tags in the order they appeared. Values are unescaped; an absent value is `""`.
    public var tags: [IRCTag]
    /// The `:source` prefix without its colon, if any.
    public var source: String?
    /// The command, upper-cased for words; numerics stay three digits.
    public var command: String
    /// Middle parameters followed by the trailing one, without the colon.
    public var params: [String]

    /// Creates a message from its parts.
    public init(tags: [IRCTag] = [], source: String? = nil, command: String, params: [String] = []) {
        self.tags = tags
        self.source = source
        self.command = command
        self.params = params
    }

    /// Creates a message from its parts, with variadic parameters.
    public init(tags: [IRCTag] = [], source: String? = nil, _ command: String, _ params: String...) {
        self.init(tags: tags, source: source, command: command, params: params)
    }

    /// The parameter at `index`, or nil when the message has fewer.
    public func param(_ index: Int) -> String? {
        index >= 0 && index < params.count ? params[index] : nil
    }

    /// The value of the tag named `key`, or nil when absent.
    public func tag(_ key: String) -> String? {
        tags.first(where: { $0.key == key })?.value
    }

    /// Sets (or replaces) the tag `key`.
    public mutating func setTag(_ key: String, _ value: String) {
        if let index = tags.firstIndex(where: { $0.key == key }) {
            tags[index].value = value
        } else {
            tags.append(IRCTag(key, value))
        }
    }

    /// Removes the tag `key` if present.
    public mutating func removeTag(_ key: String) {
        tags.removeAll { $0.key == key }
    }

    /// The nick part of ``source`` (everything before `!` or `@`).
    public var sourceNick: String? {
        source.map { IRCSource(parsing: $0).nick }
    }
}

/// One message tag, `key=value`. Client-only tags start with `+`.
public struct IRCTag: Sendable, Equatable {
    /// The tag name, including any `+` client prefix and vendor.
    public var key: String
    /// The unescaped value; `""` when the tag carried none.
    public var value: String

    /// Creates a tag.
    public init(_ key: String, _ value: String = "") {
        self.key = key
        self.value = value
    }

    /// True for client-only tags (`+name`), which servers relay untouched.
    public var isClientOnly: Bool { key.hasPrefix("+") }
}

/// A parsed `nick!user@host` source.
public struct IRCSource: Sendable, Equatable {
    /// The nick, or the server name when the source is a server.
    public var nick: String
    /// The user (ident) part, if present.
    public var user: String?
    /// The host part, if present.
    public var host: String?

    /// Creates a source from its parts.
    public init(nick: String, user: String? = nil, host: String? = nil) {
        self.nick = nick
        self.user = user
        self.host = host
    }

    /// Splits `nick!user@host`; a bare name becomes just a nick.
    public init(parsing text: String) {
        var rest = Substring(text)
        var host: String?
        var user: String?
        if let at = rest.firstIndex(of: "@") {
            host = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        if let bang = rest.firstIndex(of: "!") {
            user = String(rest[rest.index(after: bang)...])
            rest = rest[..<bang]
        }
        self.init(nick: String(rest), user: user, host: host)
    }

    /// The `nick!user@host` text (parts that are nil are left out).
    public var description: String {
        var text = nick
        if let user { text += "!" + user }
        if let host { text += "@" + host }
        return text
    }
}
