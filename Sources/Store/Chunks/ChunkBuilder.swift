import Shared

/// Encodes one chunk: messages of one conversation in storage order.
///
/// Body layout (varints are LEB128): version byte, flags byte (room), zigzag oldest time, first
/// sequence, message count, msgid prefix (length 0 or 8, then bytes) and first ranged counter,
/// the string table (count, then length-prefixed strings), then one record per message: flags,
/// time delta, sequence delta, msgid (counter delta when ranged, else the text), string-table
/// indexes of source, nick, account (when flagged), target and command, the text, the tags
/// (when flagged). Senders and targets repeat within a conversation, so the table holds each once.
struct ChunkBuilder {
    let targetKey: String
    let isRoom: Bool
    /// The run's ranged msgid prefix, once a ranged msgid joined; those msgids are stored as
    /// counters under it.
    private(set) var rangePrefix: UInt64?
    private(set) var minMs: Int64 = 0
    private(set) var maxMs: Int64 = 0
    private(set) var firstSequence: Int64 = 0
    private(set) var lastSequence: Int64 = 0
    private(set) var count = 0
    private(set) var rangedCount = 0
    private var firstCounter: Int64 = 0
    private var previousCounter: Int64 = 0
    private var records = ByteWriter(capacity: 512)
    private var strings: [String] = []

    /// Strings searched for a repeat before a new table entry is made.
    private static let recentStrings = 16

    init(targetKey: String, isRoom: Bool) {
        self.targetKey = targetKey
        self.isRoom = isRoom
    }

    /// Ranged msgids follow: they are stored as counters under `prefix`.
    mutating func adoptRangePrefix(_ prefix: UInt64?) {
        rangePrefix = prefix
    }

    /// True when a message at `timeMs` can join without breaking the format's rules (times never
    /// go backwards inside a chunk, bounded span, size caps).
    func accepts(timeMs: Int64) -> Bool {
        guard count > 0 else { return true }
        let (span, overflow) = timeMs.subtractingReportingOverflow(minMs)
        return count < ChunkFormat.maxMessages && records.count < ChunkFormat.maxRecordBytes
            && timeMs >= maxMs && !overflow && span <= ChunkFormat.maxSpanMs
    }

    /// Appends a message; `counter` is its ranged msgid counter, nil to store the msgid as text.
    mutating func append(_ message: NewMessage, sequence: Int64, counter: Int64?) {
        if count == 0 {
            minMs = message.timeMs
            maxMs = message.timeMs
            firstSequence = sequence
            lastSequence = sequence
        }
        var flags: UInt8 = 0
        if counter != nil { flags |= ChunkFormat.rangedMsgid }
        if message.senderAccount != nil { flags |= ChunkFormat.hasAccount }
        if !message.tags.isEmpty { flags |= ChunkFormat.hasTags }
        records.byte(flags)
        records.varint(message.timeMs - maxMs)
        records.varint(sequence - lastSequence)
        if let counter {
            if rangedCount == 0 {
                firstCounter = counter
                previousCounter = counter
            }
            records.varint(counter - previousCounter)
            previousCounter = counter
            rangedCount += 1
        } else {
            records.string(message.msgid)
        }
        records.varint(index(of: message.senderSource))
        records.varint(index(of: message.senderNick))
        if let account = message.senderAccount { records.varint(index(of: account)) }
        records.varint(index(of: message.targetName))
        records.varint(index(of: message.command))
        records.string(message.text)
        if !message.tags.isEmpty { records.string(TagCoding.encode(message.tags)) }
        maxMs = message.timeMs
        lastSequence = sequence
        count += 1
    }

    /// The finished body.
    func body() -> [UInt8] {
        var header = ByteWriter(capacity: records.count + 64 + strings.reduce(0) { $0 + $1.utf8.count + 2 })
        header.byte(ChunkFormat.version)
        header.byte(isRoom ? ChunkFormat.isRoom : 0)
        header.signed(minMs)
        header.varint(firstSequence)
        header.varint(count)
        if rangedCount > 0, let rangePrefix {
            header.string(MsgidShape.prefixText(rangePrefix))
            header.varint(firstCounter)
        } else {
            header.varint(0)
        }
        header.varint(strings.count)
        for string in strings { header.string(string) }
        header.append(contentsOf: records.bytes)
        return header.bytes
    }

    /// The table index of `value`, adding it unless one of the recent entries is equal. Equal
    /// strings that share storage (a client's source, reused by every message) compare at once.
    private mutating func index(of value: String) -> Int {
        let lowest = max(strings.count - Self.recentStrings, 0)
        var position = strings.count
        while position > lowest {
            position -= 1
            if strings[position] == value { return position }
        }
        strings.append(value)
        return strings.count - 1
    }
}
