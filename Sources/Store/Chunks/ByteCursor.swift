/// Writes the chunk encoding's primitives (LEB128 varints, length-prefixed bytes) into memory
/// reserved for them, with no capacity check per byte: whoever reserved the memory bounds what is
/// written (``ByteWriter/write(reserving:_:)``, ``ChunkBuilder``'s body).
struct ByteCursor {
    /// Where the next byte goes.
    private(set) var position: UnsafeMutablePointer<UInt8>
    /// The end of the reserved memory, checked in debug builds (the tests) only.
    private let end: UnsafeMutablePointer<UInt8>

    /// The most a varint of a 64-bit value takes.
    static let maxVarintBytes = 10

    /// The most ``string(_:)`` writes for `value`.
    static func maxBytes(_ value: String) -> Int {
        maxVarintBytes + value.utf8.count
    }

    init(_ start: UnsafeMutablePointer<UInt8>, reserved: Int) {
        position = start
        end = start + reserved
    }

    mutating func byte(_ value: UInt8) {
        position.initialize(to: value)
        position += 1
        assert(position <= end, "a chunk write ran past its reservation")
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            position.initialize(to: UInt8(truncatingIfNeeded: value) | 0x80)
            position += 1
            value >>= 7
        }
        position.initialize(to: UInt8(value))
        position += 1
        assert(position <= end, "a chunk write ran past its reservation")
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

    /// Bytes as they are, with no length in front.
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard let start = source.baseAddress, !source.isEmpty else { return }
        assert(end - position >= source.count, "a chunk write ran past its reservation")
        UnsafeMutableRawPointer(position).copyMemory(from: start, byteCount: source.count)
        position += source.count
    }

    /// Two bytes (an escape).
    mutating func pair(_ first: UInt8, _ second: UInt8) {
        byte(first)
        byte(second)
    }

    /// The string's UTF-8, preceded by its length: one copy of the bytes.
    mutating func string(_ value: String) {
        varint(value.utf8.count)
        utf8(value)
    }

    /// The string's UTF-8 with no length in front.
    mutating func utf8(_ value: String) {
        let copied: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            bytes(UnsafeRawBufferPointer(utf8))
        }
        guard copied == nil else { return }
        // A String without contiguous UTF-8 (never made by this program on Linux) goes byte by byte.
        for unit in value.utf8 { byte(unit) }
    }
}
