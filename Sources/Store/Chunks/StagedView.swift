import Shared

/// A direct message of a ``StagedRun`` read where it lies: the record's values, its route's
/// strings borrowed from the run's route table, its msgid and text from the arena. Valid only
/// while the run's buffers are.
struct StagedView: StorableMessage {
    let record: StagedRecord
    let route: UnsafePointer<StagedRoute>
    let arena: UnsafeBufferPointer<UInt8>

    var timeMs: Int64 { record.timeMs }
    var senderSource: String { _read { yield route.pointee.senderSource } }
    var senderNick: String { _read { yield route.pointee.senderNick } }
    var senderAccount: String? { _read { yield route.pointee.senderAccount } }
    var destination: HistoryConversation { _read { yield route.pointee.destination } }
    var targetName: String { _read { yield route.pointee.targetName } }
    var command: String { _read { yield route.pointee.command } }
    var tags: [IRCTag] { [] }

    private var msgidBytes: UnsafeBufferPointer<UInt8> {
        let start = Int(record.msgidStart)
        return UnsafeBufferPointer(rebasing: arena[start..<(start + Int(record.msgidCount))])
    }

    private var textBytes: UnsafeBufferPointer<UInt8> {
        let start = Int(record.textStart)
        return UnsafeBufferPointer(rebasing: arena[start..<(start + Int(record.textCount))])
    }

    var msgidShape: MsgidShape? { MsgidShape(utf8: msgidBytes) }
    var msgidText: String { String(decoding: msgidBytes, as: UTF8.self) }
    var msgidMaxBytes: Int { ByteCursor.maxVarintBytes + Int(record.msgidCount) }
    var textMaxBytes: Int { ByteCursor.maxVarintBytes + Int(record.textCount) }

    func writeMsgid(into cursor: inout ByteCursor) {
        let bytes = msgidBytes
        cursor.varint(bytes.count)
        cursor.bytes(UnsafeRawBufferPointer(bytes))
    }

    func writeText(into cursor: inout ByteCursor) {
        let bytes = textBytes
        cursor.varint(bytes.count)
        cursor.bytes(UnsafeRawBufferPointer(bytes))
    }
}
