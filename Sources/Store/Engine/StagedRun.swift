/// A loop turn's staged messages, in staging order: fixed-size records, the msgids and texts of
/// direct messages in one byte arena, the distinct routes of the turn, and any whole
/// ``NewMessage``s. Staging a direct message allocates nothing of its own and the storage
/// thread reads each record without retaining anything.
struct StagedRun: Sendable {
    var records: [StagedRecord] = []
    var bytes: [UInt8] = []
    var routes: [StagedRoute] = []
    var messages: [NewMessage] = []

    var count: Int { records.count }
    var isEmpty: Bool { records.isEmpty }

    /// The msgid of `record`, as text (for a completion).
    func msgid(_ record: StagedRecord) -> String {
        if record.isMessage { return messages[Int(record.index)].msgid }
        let start = Int(record.msgidStart)
        return String(decoding: bytes[start..<(start + Int(record.msgidCount))], as: UTF8.self)
    }

    /// An empty run with room for one like this.
    func emptied() -> StagedRun {
        var run = StagedRun()
        run.records.reserveCapacity(max(records.count, 16))
        run.bytes.reserveCapacity(max(bytes.count, 1024))
        run.routes.reserveCapacity(max(routes.count, 8))
        return run
    }
}
