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
    /// A class, so storing one moves a single reference rather than half a dozen strings.
    final class Entry {
        let hint: UInt64
        let destination: HistoryConversation
        let sender: HistoryParty
        let conversation: ConversationKey

        init(hint: UInt64, destination: HistoryConversation, sender: HistoryParty, conversation: ConversationKey) {
            self.hint = hint
            self.destination = destination
            self.sender = sender
            self.conversation = conversation
        }
    }

    /// Where an entry's conversation has its open chunk: the slot, valid in the run numbered `run`.
    /// Kept beside the entries, as plain values: reading it takes no reference to the entry.
    private struct Mark {
        var slot = 0
        var run = -1
    }

    /// Direct-mapped: a power of two, large enough for the routes of thousands of busy pairs.
    private static let capacityLog2 = 12
    /// Empty until the first route is stored, so a table that is only swapped in and out costs nothing.
    private var entries: [Entry?] = []
    private var marks: [Mark] = []
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

    /// True when the entry at `position` is this message's route.
    func holds<Message: StorableMessage>(at position: Int, hint: UInt64, for message: Message) -> Bool {
        guard position < entries.count, let entry = entries[position], entry.hint == hint, entry.destination == message.destination else { return false }
        switch entry.sender {
        case .account(let account):
            return message.senderAccount == account
        case .nick(let nick):
            return message.senderAccount == nil && message.senderNick == nick
        }
    }

    /// The conversation of the entry at `position`, nil when there is none.
    func conversation(at position: Int) -> ConversationKey? {
        guard position < entries.count else { return nil }
        return entries[position]?.conversation
    }

    /// The chunk slot the entry at `position` was given in the current run, nil when it has none yet.
    func slot(at position: Int) -> Int? {
        guard position < marks.count, marks[position].run == run else { return nil }
        return marks[position].slot
    }

    /// Gives the entry at `position` its chunk slot for the current run.
    mutating func setSlot(_ slot: Int, at position: Int) {
        guard position < marks.count else { return }
        marks[position] = Mark(slot: slot, run: run)
    }

    /// Puts `entry` at `position`, replacing whatever route was there (and its slot).
    mutating func store(_ entry: Entry, at position: Int) {
        if entries.isEmpty {
            entries = Array(repeating: nil, count: 1 << Self.capacityLog2)
            marks = Array(repeating: Mark(), count: 1 << Self.capacityLog2)
        }
        entries[position] = entry
        marks[position] = Mark()
    }
}
