import Shared

/// A run of messages relayed together to one room, serialised once per distinct set of
/// tag-relevant recipient capabilities: each variant is every message of the run back to back,
/// with where each line ends (so a recipient near its SendQ takes them one at a time).
///
/// Usually every recipient sees the same variant: it lives in `firstKey`/`firstBytes`/`firstEnds`,
/// and only further combinations (at most a handful, so a linear scan beats hashing) go in the
/// arrays, as in ``RelayLines``.
struct RelayRun {
    let messages: [IRCMessage]
    private var firstKey: UInt32?
    private var firstBytes: [UInt8] = []
    private var firstEnds: [Int] = []
    private var keys: [UInt32] = []
    private var bytes: [[UInt8]] = []
    private var lineEnds: [[Int]] = []

    init(_ messages: [IRCMessage]) {
        self.messages = messages
    }

    /// The variant for recipients whose capabilities give `key`, serialised on first use with the
    /// tags `caps` allow; `body` gets the bytes and the end offset of each line.
    @inline(__always)
    mutating func withVariant(for key: UInt32, caps: CapSet, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>) -> Void) {
        if key != firstKey && firstKey != nil {
            let index = keys.firstIndex(of: key) ?? serialise(key, caps: caps)
            bytes[index].withUnsafeBufferPointer { variant in lineEnds[index].withUnsafeBufferPointer { body(variant, $0) } }
            return
        }
        if firstKey == nil {
            (firstBytes, firstEnds) = serialised(caps: caps)
            firstKey = key
        }
        // Through pointers: passing the arrays themselves costs a retain and a release each per member.
        firstBytes.withUnsafeBufferPointer { variant in firstEnds.withUnsafeBufferPointer { body(variant, $0) } }
    }

    private mutating func serialise(_ key: UInt32, caps: CapSet) -> Int {
        let (variant, ends) = serialised(caps: caps)
        keys.append(key)
        bytes.append(variant)
        lineEnds.append(ends)
        return keys.count - 1
    }

    private func serialised(caps: CapSet) -> (bytes: [UInt8], ends: [Int]) {
        var variant: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(messages.count)
        variant.reserveCapacity(messages.reduce(0) { $0 + Server.serializedSizeEstimate($1) })
        for message in messages {
            message.write(into: &variant, tags: Server.visibleTags(message.tags, for: caps))
            ends.append(variant.count)
        }
        return (variant, ends)
    }
}
