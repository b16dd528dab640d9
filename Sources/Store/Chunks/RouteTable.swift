import Shared

/// The conversation each recent route (a destination and a sender) belongs to, kept from one
/// transaction to the next and found by the caller's route hint, without hashing a name.
///
/// Working out a conversation folds both names and joins them into its key; finding a route by
/// its names hashed every string of the message's destination and sender. Here a message looks
/// at one entry, chosen by its hint, and confirms it by comparing the names, which share storage
/// with the entry's when they come from the same client (then the comparison is immediate). A
/// wrong or colliding hint only costs a recomputation.
struct RouteTable {
    /// A class, so a lookup takes one reference rather than copying half a dozen strings.
    final class Entry {
        let hint: UInt64
        let destination: HistoryConversation
        let sender: HistoryParty
        let conversation: ConversationKey
        /// The chunk slot of the conversation in the run numbered `run`.
        var slot = 0
        var run = -1

        init(hint: UInt64, destination: HistoryConversation, sender: HistoryParty, conversation: ConversationKey) {
            self.hint = hint
            self.destination = destination
            self.sender = sender
            self.conversation = conversation
        }
    }

    /// Direct-mapped: a power of two, large enough for the routes of thousands of busy pairs.
    private static let capacityLog2 = 12
    /// Empty until the first route is stored, so a table that is only swapped in and out costs nothing.
    private var entries: [Entry?] = []
    /// Numbers the runs of appends, so a slot recorded for an earlier run is known stale.
    private(set) var run = 0

    /// Starts a new run of appends: every recorded slot becomes stale.
    mutating func beginRun() {
        run &+= 1
    }

    /// The entry position for `hint`: Fibonacci hashing spreads hints that differ only in their
    /// high bits (client ids side by side) over the whole table.
    static func position(_ hint: UInt64) -> Int {
        Int(truncatingIfNeeded: (hint &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - capacityLog2))
    }

    /// The hint for a message that came without one: a hash of its route's names.
    static func hint<Message: StorableMessage>(for message: Message) -> UInt64 {
        var hasher = Hasher()
        hasher.combine(message.destination)
        hasher.combine(message.senderParty)
        return UInt64(truncatingIfNeeded: hasher.finalize())
    }

    /// The entry at `position` when it is this message's route.
    func entry<Message: StorableMessage>(at position: Int, hint: UInt64, for message: Message) -> Entry? {
        guard position < entries.count, let entry = entries[position], entry.hint == hint, entry.destination == message.destination else { return nil }
        switch entry.sender {
        case .account(let account):
            guard message.senderAccount == account else { return nil }
        case .nick(let nick):
            guard message.senderAccount == nil, message.senderNick == nick else { return nil }
        }
        return entry
    }

    mutating func store(_ entry: Entry, at position: Int) {
        if entries.isEmpty { entries = Array(repeating: nil, count: 1 << Self.capacityLog2) }
        entries[position] = entry
    }
}
