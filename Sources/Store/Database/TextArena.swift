/// A reusable byte buffer for the text values of one row, so SQLite can read them in place
/// (`SQLITE_STATIC`) instead of allocating a copy of each. Values stay valid until the next
/// `reset(fitting:)`.
final class TextArena {
    private var storage: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0

    init(capacity: Int = 4096) {
        self.capacity = capacity
        storage = .allocate(byteCount: capacity, alignment: 1)
    }

    deinit {
        storage.deallocate()
    }

    /// Forgets the previous row and makes room for `bytes` more without moving during the row.
    func reset(fitting bytes: Int) {
        used = 0
        guard bytes > capacity else { return }
        storage.deallocate()
        capacity = max(bytes, capacity * 2)
        storage = .allocate(byteCount: capacity, alignment: 1)
    }

    /// Copies the string's UTF-8 in, or returns nil when it does not fit what the row reserved.
    /// The pointer stays valid until the next reset.
    func append(_ value: String) -> (text: UnsafePointer<CChar>, count: Int)? {
        var value = value
        let start = storage + used
        let count = value.withUTF8 { bytes -> Int? in
            guard used + bytes.count <= capacity else { return nil }
            if let base = bytes.baseAddress { start.copyMemory(from: base, byteCount: bytes.count) }
            return bytes.count
        }
        guard let count else { return nil }
        used += count
        return (UnsafePointer(start.assumingMemoryBound(to: CChar.self)), count)
    }
}
