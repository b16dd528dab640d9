import Glibc

/// Recognises, from its bytes alone, a benchmark message that arrived exactly as sent:
/// `:<nick>!<user@host> PRIVMSG <target> :<sender> <sequence> <send time> …` from one known
/// source, to one known target, with one known sender number.
///
/// A handful of compares and one `memchr` instead of splitting the line into an ``IRCLine`` and
/// scanning all three numbers. It only ever answers for lines the general checks would accept
/// with the same sequence number; for anything else (tags, other spacing, another source, target
/// or sender, a missing send time) it answers nil and the line takes the general path.
struct ExpectedDelivery {
    private let sourceNick: [UInt8]
    /// `PRIVMSG <target> :<sender> `: everything between the source and the sequence number.
    private let head: [UInt8]

    /// Expects messages from `sourceNick` to `target` whose text starts with `sender`.
    init(sourceNick: [UInt8], target: [UInt8], sender: Int) {
        self.sourceNick = sourceNick
        head = Array("PRIVMSG ".utf8) + target + Array(" :\(sender) ".utf8)
    }

    /// The sequence number of `line` (without CR LF) when it is an expected delivery, else nil.
    func sequence(in line: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = line.baseAddress else { return nil }
        let count = line.count
        let nickEnd = 1 + sourceNick.count
        guard count > nickEnd + head.count, base[0] == UInt8(ascii: ":"), base[nickEnd] == UInt8(ascii: "!"),
              memcmp(base + 1, sourceNick, sourceNick.count) == 0,
              let space = memchr(base + nickEnd, 0x20, count - nickEnd)
        else { return nil }
        var index = base.distance(to: space.assumingMemoryBound(to: UInt8.self)) + 1
        guard count - index > head.count, memcmp(base + index, head, head.count) == 0 else { return nil }
        index += head.count
        let digitsStart = index
        var sequence = 0
        while index < count, case let digit = base[index] &- 48, digit <= 9 {
            sequence = sequence &* 10 &+ Int(digit)
            index += 1
        }
        // A sequence number short enough not to overflow, then the send time, as MessageText writes them.
        guard index > digitsStart, index - digitsStart <= 18, count - index >= 2,
              base[index] == UInt8(ascii: " "), base[index + 1] &- 48 <= 9
        else { return nil }
        return sequence
    }
}
