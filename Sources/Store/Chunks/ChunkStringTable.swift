/// A chunk's string table: the sources, nicks, accounts, targets and commands its messages
/// repeat, each stored once while an equal one is among the `window` newest entries, and encoded
/// (length, then UTF-8) the moment it joins.
///
/// Lookups are cheap in the common case: the strings a client sends with (its source, nick,
/// account) and the command are the same `String` values message after message, so a small
/// cache keyed by string identity (see ``StringIdentity``) answers most of them with one probe.
/// Only a string it does not know is searched for in the window, by identity and then by content.
/// A chunk of one message (a quiet server commits them one by one) makes no cache at all: a
/// string enters it on its first repeat.
struct ChunkStringTable {
    /// Entries searched for a repeat before a new one is made.
    static let window = 16

    /// The entries, each string kept alive: while one is held here, no other string can have
    /// its identity.
    private var entries: [Entry] = []
    /// The table as the body stores it, without the count in front.
    private(set) var encoded = ByteWriter(capacity: 256)
    /// Identities of table entries and their positions, by a hash of the identity; empty until
    /// the first repeat. A slot names only an identity the table holds, so a hit inside the
    /// window is that entry.
    private var recent: [Slot] = []

    private struct Entry {
        let string: String
        let identity: StringIdentity
        /// The UTF-8 length, compared before the text.
        let length: Int
    }

    private struct Slot {
        var identity: StringIdentity
        var position: Int
    }

    private static let cacheBits = 5
    private static let cacheSlots = 1 << cacheBits
    /// Room made at the first entry: a conversation's chunk rarely names more strings.
    private static let initialEntries = 8

    var count: Int { entries.count }

    /// The index of `value`, adding it unless one of the recent entries is equal. Entries within
    /// one window are distinct (a string joins only when no equal one is in the window before it),
    /// so whichever equal entry is found is the only one.
    ///
    /// The cache probe is inlined into the caller (a call cost as much as the probe); the search
    /// is not.
    @inline(__always)
    mutating func index(of value: String) -> Int {
        let identity = StringIdentity(value)
        let slot = identity.hashValue(bits: Self.cacheBits)
        if slot < recent.count {
            let cached = recent[slot]
            if cached.identity == identity, cached.position >= entries.count - Self.window { return cached.position }
        }
        return search(value, identity: identity, slot: slot)
    }

    @inline(never)
    private mutating func search(_ value: String, identity: StringIdentity, slot: Int) -> Int {
        let lowest = Swift.max(entries.count - Self.window, 0)
        var position = entries.count
        while position > lowest {
            position -= 1
            if entries[position].identity == identity {
                remember(identity, at: position, slot: slot)
                return position
            }
        }
        let length = value.utf8.count
        position = entries.count
        while position > lowest {
            position -= 1
            // Equal text in other storage: not cached, since `value` itself is not kept.
            if entries[position].length == length, entries[position].string == value { return position }
        }
        if entries.isEmpty { entries.reserveCapacity(Self.initialEntries) }
        entries.append(Entry(string: value, identity: identity, length: length))
        encoded.write(reserving: ByteCursor.maxBytes(value)) { $0.string(value) }
        return entries.count - 1
    }

    private mutating func remember(_ identity: StringIdentity, at position: Int, slot: Int) {
        if recent.isEmpty {
            recent = Array(repeating: Slot(identity: StringIdentity(), position: -1), count: Self.cacheSlots)
        }
        recent[slot] = Slot(identity: identity, position: position)
    }
}
