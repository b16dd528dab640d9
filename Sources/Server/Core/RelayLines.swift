/// The serialised variants of one relayed message, keyed by the tag-relevant capabilities of the
/// recipients that got them, so a fan-out serialises once per distinct capability set rather than
/// once per recipient.
///
/// Usually every recipient sees the same variant: it lives in `firstKey`/`firstBytes`, and only
/// further combinations (at most a handful, so a linear scan beats hashing) go in the arrays.
struct RelayLines {
    private(set) var firstKey: UInt32?
    private(set) var firstBytes: [UInt8] = []
    private var variantKeys: [UInt32] = []
    private var variantBytes: [[UInt8]] = []

    /// Runs `body` with the bytes already serialised for `key`; false when there are none yet.
    @inline(__always)
    func withBytes(for key: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        if key == firstKey {
            // Through a pointer: passing the array itself costs a retain and a release per recipient.
            firstBytes.withUnsafeBufferPointer(body)
            return true
        }
        guard let index = variantKeys.firstIndex(of: key) else { return false }
        variantBytes[index].withUnsafeBufferPointer(body)
        return true
    }

    /// Keeps `bytes` as the line for recipients whose capabilities give `key`.
    mutating func keep(_ bytes: [UInt8], for key: UInt32) {
        if firstKey == nil {
            firstKey = key
            firstBytes = bytes
        } else {
            variantKeys.append(key)
            variantBytes.append(bytes)
        }
    }
}
