import Glibc
import Shared

/// A relayed direct message in parts, written to each client with the tags it may see: the same
/// bytes as `IRCMessage(tags: [time, msgid, account], source:, command:, params: [target, text])`
/// written with ``Server/visibleTags(_:for:)``, without building that message.
///
/// `text` points into the sender's read buffer: a value lives only while its line is handled.
struct DirectMessageLine {
    let time: InlineBytes
    let msgid: InlineBytes
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
    ///
    /// The line is put together on the stack and appended in one piece: a dozen appends to the
    /// queue, each with its uniqueness and capacity checks, cost more than the copying.
    func write(into out: inout [UInt8], caps: CapSet) {
        let showsTime = caps.contains(.serverTime)
        let showsMsgid = caps.contains(.messageTags)
        let shownAccount = caps.contains(.accountTag) ? account : nil
        // At most: each tag with its separator, `=` and value; the rest of the line with its CR LF.
        var size = 2 + text.count + source.utf8.count + target.utf8.count + 16
        if showsTime { size += 6 + time.count }
        if showsMsgid { size += 7 + msgid.count }
        if let shownAccount { size += 9 + shownAccount.utf8.count }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { buffer in
            guard let base = buffer.baseAddress else { return }
            var line = LineCursor(base)
            var tagged = false
            if showsTime { line.putTag("time", time, tagged: &tagged) }
            if showsMsgid { line.putTag("msgid", msgid, tagged: &tagged) }
            if let shownAccount { line.putTag("account", shownAccount, tagged: &tagged) }
            if tagged { line.put(UInt8(ascii: " ")) }
            line.put(UInt8(ascii: ":"))
            line.put(source)
            line.put(UInt8(ascii: " "))
            line.put(command.bytes)
            line.put(UInt8(ascii: " "))
            line.put(target)
            line.put(UInt8(ascii: " "))
            // The general writer marks the last parameter as trailing only when it has to.
            if needsTrailing { line.put(UInt8(ascii: ":")) }
            line.put(text)
            line.put(0x0D)
            line.put(0x0A)
            out.append(contentsOf: UnsafeBufferPointer(start: base, count: line.count))
        }
    }

    /// The relayed message as a value, for the one consumer that needs it: an echo held until the
    /// store commits. `text` is ``text`` as a String.
    func message(text: String) -> IRCMessage {
        var tags = [IRCTag("time", time.string), IRCTag("msgid", msgid.string)]
        if let account { tags.append(IRCTag("account", account)) }
        return IRCMessage(tags: tags, source: source, command: command.name, params: [target, text])
    }

    /// What ``IRCMessage/needsTrailing(_:)`` says of the text (never empty here).
    private var needsTrailing: Bool {
        guard let base = text.baseAddress, let first = text.first else { return true }
        return first == UInt8(ascii: ":") || memchr(base, Int32(UInt8(ascii: " ")), text.count) != nil
    }
}

/// Writes bytes one piece after another into memory known to be large enough.
private struct LineCursor {
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>) {
        self.base = base
    }

    mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        (base + count).update(from: from, count: bytes.count)
        count += bytes.count
    }

    mutating func put(_ bytes: InlineBytes) {
        bytes.withBytes { put($0) }
    }

    mutating func put(_ word: StaticString) {
        put(UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
    }

    mutating func put(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { put($0) }
        if copied == nil {
            for byte in text.utf8 { put(byte) }
        }
    }

    /// `@key=value` for the first tag, `;key=value` after it; an empty value is written bare, as the general writer does.
    mutating func putTag(_ key: StaticString, _ value: String, tagged: inout Bool) {
        putKey(key, tagged: &tagged)
        if !value.isEmpty {
            put(UInt8(ascii: "="))
            put(value)
        }
    }

    /// ``putTag(_:_:tagged:)`` for a value held inline.
    mutating func putTag(_ key: StaticString, _ value: InlineBytes, tagged: inout Bool) {
        putKey(key, tagged: &tagged)
        if value.count > 0 {
            put(UInt8(ascii: "="))
            put(value)
        }
    }

    private mutating func putKey(_ key: StaticString, tagged: inout Bool) {
        put(tagged ? UInt8(ascii: ";") : UInt8(ascii: "@"))
        tagged = true
        put(key)
    }
}
