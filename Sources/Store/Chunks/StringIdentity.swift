/// The bits of a `String` value: its count and flags and its storage reference, or for a short
/// string the bytes themselves. Two strings with the same identity are equal (the standard
/// library's `==` starts with exactly this test); equal strings may still differ in identity.
///
/// Meaningful only while one of the two strings is alive: the ``ChunkStringTable`` holds its
/// entries for that reason.
struct StringIdentity: Equatable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    /// The identity of no string (an empty cache slot).
    init() {}

    init(_ value: String) {
        if MemoryLayout<String>.size == MemoryLayout<StringIdentity>.size {
            self = unsafeBitCast(value, to: StringIdentity.self)
        } else {
            // A 32-bit String is 12 bytes: the rest stays zero.
            Swift.withUnsafeBytes(of: value) { source in
                Swift.withUnsafeMutableBytes(of: &self) { target in
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(target.count)))
                }
            }
        }
    }

    /// A hash of `bits` bits (1 to 63) that mixes every bit of the identity. (A single
    /// multiplication sent short names like `bench0` and `PRIVMSG` to one slot at every width.)
    func hashValue(bits: Int) -> Int {
        var mixed = low ^ (high &* 0x9E37_79B9_7F4A_7C15)
        mixed ^= mixed >> 32
        mixed &*= 0xBF58_476D_1CE4_E5B9
        return Int(truncatingIfNeeded: mixed >> UInt64(64 - bits))
    }
}
