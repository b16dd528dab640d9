/// A growable byte buffer for the chunk encoding. Each step reserves the most it can write and
/// then writes through a ``ByteCursor``: one capacity check per record instead of one per byte,
/// and no `Array` bookkeeping per append.
///
/// A value: copies share the bytes until one of them writes. The header is reached through its
/// pointer, never as `ManagedBuffer.header`: that is a class property, and every access to it
/// would pay a dynamic exclusivity check.
struct ByteWriter {
    private struct Header {
        var count: Int
        var capacity: Int
    }

    private typealias Storage = ManagedBuffer<Header, UInt8>
    private var storage: Storage

    init(capacity: Int = 0) {
        storage = Self.makeStorage(capacity: capacity)
    }

    var count: Int {
        storage.withUnsafeMutablePointerToHeader { $0.pointee.count }
    }

    /// Makes room for `maxBytes` more and lets `body` write them at the end; what it wrote is kept.
    /// `maxBytes` must bound what `body` writes (``ByteCursor/maxVarintBytes`` per varint,
    /// ``ByteCursor/maxBytes(_:)`` per string).
    mutating func write(reserving maxBytes: Int, _ body: (inout ByteCursor) -> Void) {
        let (count, capacity) = storage.withUnsafeMutablePointerToHeader { ($0.pointee.count, $0.pointee.capacity) }
        if capacity - count < maxBytes {
            replaceStorage(count: count, capacity: Swift.max(count + maxBytes, capacity * 2))
        } else if !isKnownUniquelyReferenced(&storage) {
            replaceStorage(count: count, capacity: capacity)
        }
        storage.withUnsafeMutablePointers { header, elements in
            let start = elements + count
            var cursor = ByteCursor(start, reserved: maxBytes)
            body(&cursor)
            header.pointee.count = count + (cursor.position - start)
        }
    }

    /// The bytes written so far.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try storage.withUnsafeMutablePointers { header, elements in
            try body(UnsafeRawBufferPointer(start: elements, count: header.pointee.count))
        }
    }

    /// Moves the `count` bytes written to storage of their own with room for `capacity` (growth,
    /// or the first write after a copy of this value).
    private mutating func replaceStorage(count: Int, capacity: Int) {
        let replacement = Self.makeStorage(capacity: capacity)
        storage.withUnsafeMutablePointerToElements { old in
            replacement.withUnsafeMutablePointers { header, new in
                new.initialize(from: old, count: count)
                header.pointee.count = count
            }
        }
        storage = replacement
    }

    private static func makeStorage(capacity: Int) -> Storage {
        let made = Storage.create(minimumCapacity: Swift.max(capacity, 16)) { _ in Header(count: 0, capacity: 0) }
        // What the allocator actually gave, read once: `capacity` asks malloc every time.
        let usable = made.capacity
        made.withUnsafeMutablePointerToHeader { $0.pointee.capacity = usable }
        return made
    }
}
