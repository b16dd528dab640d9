/// The `RPL_ISUPPORT` (005) tokens a server advertised, as a client reads them.
public struct ISupport: Sendable, Equatable {
    /// Token name to value; a token without a value maps to `""`.
    public private(set) var tokens: [String: String] = [:]

    /// Creates an empty table (the RFC 1459 defaults apply).
    public init() {}

    /// Folds in the parameters of one 005 line (the first is the client's nick, the last is text).
    public mutating func apply(_ message: IRCMessage) {
        guard message.params.count >= 2 else { return }
        for token in message.params.dropFirst().dropLast() {
            if token.hasPrefix("-") {
                tokens[String(token.dropFirst())] = nil
            } else if let equals = token.firstIndex(of: "=") {
                tokens[String(token[..<equals])] = unescapeValue(String(token[token.index(after: equals)...]))
            } else {
                tokens[token] = ""
            }
        }
    }

    /// The value of `name`, or nil when not advertised.
    public subscript(name: String) -> String? { tokens[name] }

    /// The server's casemapping (`rfc1459` when absent or unknown).
    public var caseMapping: IRCCaseMapping {
        tokens["CASEMAPPING"].flatMap(IRCCaseMapping.init(rawValue:)) ?? .rfc1459
    }

    /// The room prefix characters, `#` when absent.
    public var channelTypes: String { tokens["CHANTYPES"] ?? "#" }

    /// Mode letters and their prefix symbols from `PREFIX=(ov)@+`.
    public var prefixes: [(mode: Character, symbol: Character)] {
        guard let value = tokens["PREFIX"], value.hasPrefix("("), let close = value.firstIndex(of: ")") else {
            return [("o", "@"), ("v", "+")]
        }
        let modes = value[value.index(after: value.startIndex)..<close]
        let symbols = value[value.index(after: close)...]
        return Array(zip(modes, symbols))
    }

    /// The MONITOR limit, nil when MONITOR is not offered.
    public var monitorLimit: Int? {
        guard let value = tokens["MONITOR"] else { return nil }
        return Int(value) ?? Int.max
    }

    private func unescapeValue(_ value: String) -> String {
        guard value.contains("\\x") else { return value }
        var out = [UInt8]()
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count, bytes[index + 1] == UInt8(ascii: "x"),
               let byte = UInt8(String(decoding: bytes[(index + 2)...(index + 3)], as: UTF8.self), radix: 16) {
                out.append(byte)
                index += 4
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
