import Shared

/// Stored tags use the wire's own escaping, so any tag value round-trips.
enum TagCoding {
    static func encode(_ tags: [IRCTag]) -> String {
        tags.map { $0.value.isEmpty ? $0.key : $0.key + "=" + IRCTagEscaping.escape($0.value) }
            .joined(separator: ";")
    }

    static func decode(_ text: String) -> [IRCTag] {
        guard !text.isEmpty else { return [] }
        return text.split(separator: ";").map { part in
            guard let equals = part.firstIndex(of: "=") else { return IRCTag(String(part)) }
            return IRCTag(String(part[..<equals]), IRCTagEscaping.unescape(String(part[part.index(after: equals)...])))
        }
    }
}
