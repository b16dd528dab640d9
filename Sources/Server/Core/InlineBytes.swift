/// Up to 32 bytes of text held in the value itself: no allocation and no reference counting when
/// it is made, copied or dropped. A message's msgid and time tag, made for every direct message,
/// travel this way on the fast path; as Strings they cost a retain and a release at every copy.
struct InlineBytes {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// How many of the bytes are used.
    private(set) var count = 0

    /// The most bytes a value holds.
    static let capacity = 32

    init() {}

    /// The bytes of `text`, or nil when it is longer than ``capacity``.
    init?(_ text: String) {
        guard text.utf8.count <= Self.capacity else { return nil }
        for byte in text.utf8 { append(byte) }
    }

    /// Adds a byte; beyond ``capacity`` the byte is dropped (callers check the length first).
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < Self.capacity else { return }
        withUnsafeMutableBytes(of: &words) { $0[count] = byte }
        count += 1
    }

    /// Runs `body` with the bytes in place.
    @inline(__always)
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withUnsafeBytes(of: words) { raw in
            let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
            return body(UnsafeBufferPointer(start: base, count: base == nil ? 0 : count))
        }
    }

    /// The bytes as a String (they are always ASCII here).
    var string: String {
        withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
