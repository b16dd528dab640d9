import Shared

/// Encodes one chunk: messages of one conversation in storage order.
///
/// Body layout (varints are LEB128): version byte, flags byte (room), zigzag oldest time, first
/// sequence, message count, msgid prefix (length 0 or 8, then bytes) and first ranged counter,
/// the string table (count, then length-prefixed strings), then one record per message: flags,
/// time delta, sequence delta, msgid (counter delta when ranged, else the text), string-table
/// indexes of source, nick, account (when flagged), target and command, the text, the tags
/// (when flagged). Senders and targets repeat within a conversation, so the table holds each once.
///
/// The storage thread runs this once per stored message, so a record is written with one
/// reservation and no per-byte checks, table lookups go by string identity first, and the body
/// is assembled with one copy of the table and the records.
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
    private var records = ByteWriter(capacity: 2048)
    private var strings = ChunkStringTable()

    /// Flags, three deltas and five table indexes: the most a record takes besides its strings.
    private static let maxRecordFixedBytes = 1 + 8 * ByteCursor.maxVarintBytes
    /// The most the header takes besides the string table: two bytes, five varints and a prefix
    /// of at most eight characters of up to three bytes each.
    private static let maxHeaderBytes = 2 + 5 * ByteCursor.maxVarintBytes + ByteCursor.maxVarintBytes + 8 * 3

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
    mutating func append<Message: StorableMessage>(_ message: Message, sequence: Int64, counter: Int64?) {
        if count == 0 {
            minMs = message.timeMs
            maxMs = message.timeMs
            firstSequence = sequence
            lastSequence = sequence
        }
        // Table entries join in field order (source, nick, account, target, command).
        let source = strings.index(of: message.senderSource)
        let nick = strings.index(of: message.senderNick)
        let account = message.senderAccount.map { strings.index(of: $0) }
        let target = strings.index(of: message.targetName)
        let command = strings.index(of: message.command)
        let tagsCount = message.tags.isEmpty ? nil : ChunkTagEncoding.encodedCount(message.tags)

        var flags: UInt8 = 0
        if counter != nil { flags |= ChunkFormat.rangedMsgid }
        if account != nil { flags |= ChunkFormat.hasAccount }
        if tagsCount != nil { flags |= ChunkFormat.hasTags }
        let timeDelta = message.timeMs - maxMs
        let sequenceDelta = sequence - lastSequence
        var counterDelta: Int64?
        if let counter {
            if rangedCount == 0 {
                firstCounter = counter
                previousCounter = counter
            }
            counterDelta = counter - previousCounter
            previousCounter = counter
            rangedCount += 1
        }

        var reserved = Self.maxRecordFixedBytes + message.textMaxBytes
        if counterDelta == nil { reserved += message.msgidMaxBytes }
        if let tagsCount { reserved += ByteCursor.maxVarintBytes + tagsCount }
        records.write(reserving: reserved) { record in
            record.byte(flags)
            record.varint(timeDelta)
            record.varint(sequenceDelta)
            if let counterDelta { record.varint(counterDelta) } else { message.writeMsgid(into: &record) }
            record.varint(source)
            record.varint(nick)
            if let account { record.varint(account) }
            record.varint(target)
            record.varint(command)
            message.writeText(into: &record)
            if let tagsCount { ChunkTagEncoding.write(message.tags, count: tagsCount, into: &record) }
        }
        maxMs = message.timeMs
        lastSequence = sequence
        count += 1
    }

    /// The finished body.
    func body() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bodyCapacity) { buffer, initialized in
            guard let start = buffer.baseAddress else { return }
            initialized = writeBody(into: start)
        }
    }

    /// The finished body, handed to `use` without an array of its own: for binding it straight
    /// into a statement, which copies it.
    func withBody<Result>(_ use: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bodyCapacity) { buffer in
            guard let start = buffer.baseAddress else { return try use(UnsafeRawBufferPointer(start: nil, count: 0)) }
            return try use(UnsafeRawBufferPointer(start: start, count: writeBody(into: start)))
        }
    }

    private var bodyCapacity: Int {
        Self.maxHeaderBytes + strings.encoded.count + records.count
    }

    /// Writes the body at `start`, which has room for ``bodyCapacity`` bytes; returns its length.
    private func writeBody(into start: UnsafeMutablePointer<UInt8>) -> Int {
        var body = ByteCursor(start, reserved: bodyCapacity)
        body.byte(ChunkFormat.version)
        body.byte(isRoom ? ChunkFormat.isRoom : 0)
        body.signed(minMs)
        body.varint(firstSequence)
        body.varint(count)
        if rangedCount > 0, let rangePrefix {
            Self.writePrefix(rangePrefix, into: &body)
            body.varint(firstCounter)
        } else {
            body.varint(0)
        }
        body.varint(strings.count)
        strings.encoded.withUnsafeBytes { body.bytes($0) }
        records.withUnsafeBytes { body.bytes($0) }
        return body.position - start
    }

    /// The prefix as ``MsgidShape/prefixText(_:)`` prints it, length first. A prefix from a
    /// parsed msgid is eight ASCII bytes, copied as they are; any other value goes through the
    /// text, as the format has always stored it.
    private static func writePrefix(_ prefix: UInt64, into body: inout ByteCursor) {
        guard prefix & 0x8080_8080_8080_8080 == 0 else {
            body.string(MsgidShape.prefixText(prefix))
            return
        }
        body.varint(MsgidShape.prefixLength)
        withUnsafeBytes(of: prefix.bigEndian) { body.bytes($0) }
    }
}
