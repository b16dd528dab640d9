/// Appends the chunk encoding's primitives (LEB128 varints, length-prefixed bytes) to a buffer.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A non-negative Int64 (a delta or a count); callers guarantee the sign.
    mutating func varint(_ value: Int64) {
        varint(UInt64(bitPattern: value))
    }

    mutating func varint(_ value: Int) {
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// A signed value, zigzag-coded so small magnitudes of either sign stay short.
    mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The string's UTF-8, preceded by its length.
    mutating func string(_ value: String) {
        let copied = value.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == nil {
            let utf8 = Array(value.utf8)
            varint(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func append(contentsOf other: [UInt8]) {
        bytes.append(contentsOf: other)
    }
}
