import Shared

/// A run of messages relayed together to one room, serialised once per distinct set of
/// tag-relevant recipient capabilities: each variant is every message of the run back to back,
/// with where each line ends (so a recipient near its SendQ takes them one at a time).
struct RelayRun {
    let messages: [IRCMessage]
    private var keys: [UInt32] = []
    private var bytes: [[UInt8]] = []
    private var lineEnds: [[Int]] = []

    init(_ messages: [IRCMessage]) {
        self.messages = messages
    }

    /// The variant for recipients whose capabilities give `key`, serialised on first use with the
    /// tags `caps` allow; `body` gets the bytes and the end offset of each line.
    @inline(__always)
    mutating func withVariant(for key: UInt32, caps: CapSet, _ body: (UnsafeBufferPointer<UInt8>, [Int]) -> Void) {
        // At most a handful of variants: a linear scan beats hashing.
        let index = keys.firstIndex(of: key) ?? serialise(key, caps: caps)
        bytes[index].withUnsafeBufferPointer { body($0, lineEnds[index]) }
    }

    private mutating func serialise(_ key: UInt32, caps: CapSet) -> Int {
        var variant: [UInt8] = []
        var ends: [Int] = []
        ends.reserveCapacity(messages.count)
        variant.reserveCapacity(messages.reduce(0) { $0 + Server.serializedSizeEstimate($1) })
        for message in messages {
            message.write(into: &variant, tags: Server.visibleTags(message.tags, for: caps))
            ends.append(variant.count)
        }
        keys.append(key)
        bytes.append(variant)
        lineEnds.append(ends)
        return keys.count - 1
    }
}
