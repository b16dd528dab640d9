/// Reads what ``ByteWriter`` wrote, refusing to run past the end: a damaged body is an error,
/// never a crash.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw ChunkCorruption() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw ChunkCorruption() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func int64() throws -> Int64 {
        Int64(bitPattern: try varint())
    }

    /// A count or length: non-negative and no larger than what is left.
    mutating func length() throws -> Int {
        let value = try varint()
        guard value <= UInt64(bytes.count - offset) else { throw ChunkCorruption() }
        return Int(value)
    }

    mutating func signed() throws -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// The byte range of a length-prefixed field, skipped over.
    mutating func field() throws -> Range<Int> {
        let count = try length()
        defer { offset += count }
        return offset..<(offset + count)
    }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// A chunk body that does not decode: reported as a store error, never trusted.
struct ChunkCorruption: Error, CustomStringConvertible {
    var description: String { "a stored history chunk is damaged" }
}
