import Shared

/// One chunk body decoded far enough to filter and order its messages; a full
/// ``StoredMessage`` is built only for the ones a page keeps.
final class DecodedChunk {
    /// One message's position: its ordering key and where the rest of its record starts.
    struct Entry {
        let timeMs: Int64
        let sequence: Int64
        /// The ranged msgid counter, or -1 when the msgid is stored as text at `msgid`.
        let counter: Int64
        let msgid: Range<Int>
        let flags: UInt8
        /// Offset of the string-table indexes that follow the msgid.
        let rest: Int

        var cursor: HistoryCursor { HistoryCursor(timeMs: timeMs, sequence: sequence) }
    }

    let isRoom: Bool
    let prefix: String
    let entries: [Entry]
    private let body: [UInt8]
    /// The string table's byte ranges; a string is made only when a kept message needs it (a
    /// busy room's chunk names hundreds of senders, a page shows a few).
    private let stringRanges: [Range<Int>]
    private var strings: [String?]

    init(body: [UInt8]) throws {
        self.body = body
        var isRoom = false
        var prefix = ""
        var stringRanges: [Range<Int>] = []
        var entries: [Entry] = []
        try body.withUnsafeBytes { bytes throws in
            var reader = ByteReader(bytes)
            guard try reader.byte() == ChunkFormat.version else { throw ChunkCorruption() }
            isRoom = try reader.byte() & ChunkFormat.isRoom != 0
            var time = try reader.signed()
            var sequence = try reader.int64()
            let count = try reader.length()
            let prefixField = try reader.field()
            prefix = reader.string(prefixField)
            var counter = prefixField.isEmpty ? 0 : try reader.int64()
            let stringCount = try reader.length()
            stringRanges.reserveCapacity(stringCount)
            for _ in 0..<stringCount { stringRanges.append(try reader.field()) }
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let flags = try reader.byte()
                time = ChunkFormat.saturatingAdd(time, try reader.int64())
                sequence = ChunkFormat.saturatingAdd(sequence, try reader.int64())
                var msgid = 0..<0
                var ranged: Int64 = -1
                if flags & ChunkFormat.rangedMsgid != 0 {
                    guard !prefixField.isEmpty else { throw ChunkCorruption() }
                    counter = ChunkFormat.saturatingAdd(counter, try reader.int64())
                    ranged = counter
                } else {
                    msgid = try reader.field()
                }
                let rest = reader.offset
                for _ in 0..<(flags & ChunkFormat.hasAccount != 0 ? 5 : 4) {
                    guard try reader.varint() < UInt64(stringCount) else { throw ChunkCorruption() }
                }
                _ = try reader.field()
                if flags & ChunkFormat.hasTags != 0 { _ = try reader.field() }
                entries.append(Entry(timeMs: time, sequence: sequence, counter: ranged, msgid: msgid, flags: flags, rest: rest))
            }
        }
        self.isRoom = isRoom
        self.prefix = prefix
        self.stringRanges = stringRanges
        strings = Array(repeating: nil, count: stringRanges.count)
        self.entries = entries
    }

    /// The msgid of an entry.
    func msgid(_ entry: Entry) -> String {
        if entry.counter >= 0 { return prefix + String(entry.counter, radix: 36) }
        return body.withUnsafeBytes { ByteReader($0).string(entry.msgid) }
    }

    /// The entry holding `msgid`, nil when this chunk has none.
    func entry(msgid: String, shape: MsgidShape?) -> Entry? {
        if let shape, MsgidShape.prefixText(shape.prefix) == prefix,
           let found = entries.first(where: { $0.counter == shape.counter }) {
            return found
        }
        let wanted = Array(msgid.utf8)
        return body.withUnsafeBytes { bytes in
            entries.first { entry in
                entry.counter < 0 && entry.msgid.count == wanted.count
                    && UnsafeRawBufferPointer(rebasing: bytes[entry.msgid]).elementsEqual(wanted)
            }
        }
    }

    /// The full message of an entry (checked while decoding, so the indexes are in range).
    func message(_ entry: Entry) -> StoredMessage {
        body.withUnsafeBytes { bytes in
            var reader = ByteReader(bytes, offset: entry.rest)
            func next() -> String { string(at: Int((try? reader.varint()) ?? 0), bytes) }
            let source = next()
            let nick = next()
            let account = entry.flags & ChunkFormat.hasAccount != 0 ? next() : nil
            let target = next()
            let command = next()
            let text = (try? reader.field()).map { reader.string($0) } ?? ""
            var tags: [IRCTag] = []
            if entry.flags & ChunkFormat.hasTags != 0, let field = try? reader.field() {
                tags = TagCoding.decode(reader.string(field))
            }
            return StoredMessage(
                sequence: entry.sequence, msgid: msgid(entry), timeMs: entry.timeMs, senderSource: source, senderNick: nick,
                senderAccount: account, isRoom: isRoom, targetName: target, command: command, text: text, tags: tags)
        }
    }

    private func string(at index: Int, _ bytes: UnsafeRawBufferPointer) -> String {
        if let made = strings[index] { return made }
        let made = ByteReader(bytes).string(stringRanges[index])
        strings[index] = made
        return made
    }
}
