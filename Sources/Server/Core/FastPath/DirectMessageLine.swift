import Glibc
import Shared

/// A relayed direct message in parts, written to each client with the tags it may see: the same
/// bytes as `IRCMessage(tags: [time, msgid, account], source:, command:, params: [target, text])`
/// written with ``Server/visibleTags(_:for:)``, without building that message.
///
/// `text` points into the sender's read buffer: a value lives only while its line is handled.
struct DirectMessageLine {
    let time: String
    let msgid: String
    /// The sender's account, when logged in (a clean tag value: the fast path checked it).
    let account: String?
    /// The sender's `nick!user@host` (no byte the general writer would rewrite).
    let source: String
    let command: DirectMessageShape.Command
    /// The recipient's nick as the relayed line names it (a plain middle parameter).
    let target: String
    /// The text, free of NUL, CR and LF.
    let text: UnsafeBufferPointer<UInt8>

    /// Appends the wire form for a client with `caps`: `time` with server-time, `msgid` with
    /// message-tags, `account` with account-tag, in that order, as visibleTags keeps them.
    func write(into out: inout [UInt8], caps: CapSet) {
        var tagged = false
        if caps.contains(.serverTime) { Self.appendTag("time", time, to: &out, tagged: &tagged) }
        if caps.contains(.messageTags) { Self.appendTag("msgid", msgid, to: &out, tagged: &tagged) }
        if caps.contains(.accountTag), let account { Self.appendTag("account", account, to: &out, tagged: &tagged) }
        if tagged { out.append(UInt8(ascii: " ")) }
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: source.utf8)
        out.append(UInt8(ascii: " "))
        command.bytes.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: target.utf8)
        out.append(UInt8(ascii: " "))
        // The general writer marks the last parameter as trailing only when it has to.
        if needsTrailing { out.append(UInt8(ascii: ":")) }
        out.append(contentsOf: text)
        out.append(0x0D)
        out.append(0x0A)
    }

    /// The relayed message as a value, for the one consumer that needs it: an echo held until the
    /// store commits. `text` is ``text`` as a String.
    func message(text: String) -> IRCMessage {
        var tags = [IRCTag("time", time), IRCTag("msgid", msgid)]
        if let account { tags.append(IRCTag("account", account)) }
        return IRCMessage(tags: tags, source: source, command: command.name, params: [target, text])
    }

    /// What ``IRCMessage/needsTrailing(_:)`` says of the text (never empty here).
    private var needsTrailing: Bool {
        guard let base = text.baseAddress, let first = text.first else { return true }
        return first == UInt8(ascii: ":") || memchr(base, Int32(UInt8(ascii: " ")), text.count) != nil
    }

    /// `@key=value` for the first tag, `;key=value` after it; an empty value is written bare, as the general writer does.
    private static func appendTag(_ key: StaticString, _ value: String, to out: inout [UInt8], tagged: inout Bool) {
        out.append(tagged ? UInt8(ascii: ";") : UInt8(ascii: "@"))
        tagged = true
        key.withUTF8Buffer { out.append(contentsOf: $0) }
        if !value.isEmpty {
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: value.utf8)
        }
    }
}
