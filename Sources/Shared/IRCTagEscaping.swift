/// Escaping of message-tag values as the IRCv3 message-tags specification defines it.
public enum IRCTagEscaping {
    /// Escapes `;`, space, `\`, CR and LF as `\:`, `\s`, `\\`, `\r`, `\n`.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x3B || $0 == 0x20 || $0 == 0x5C || $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            return value
        }
        var out = ""
        out.reserveCapacity(value.utf8.count + 8)
        for scalar in value.unicodeScalars {
            switch scalar {
            case ";": out += "\\:"
            case " ": out += "\\s"
            case "\\": out += "\\\\"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            case "\0": break
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Reverses ``escape(_:)``. An unknown escape drops the backslash; a trailing lone backslash is dropped.
    public static func unescape(_ raw: String) -> String {
        guard raw.utf8.contains(0x5C) else { return raw }
        var out = ""
        var iterator = raw.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            guard let next = iterator.next() else { break }
            switch next {
            case ":": out += ";"
            case "s": out += " "
            case "\\": out += "\\"
            case "r": out += "\r"
            case "n": out += "\n"
            default: out.unicodeScalars.append(next)
            }
        }
        return out
    }
}
