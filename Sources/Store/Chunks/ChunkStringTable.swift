/// A chunk's string table: the sources, nicks, accounts, targets and commands its messages
/// repeat, each stored once while an equal one is among the `window` newest entries, and encoded
/// (length, then UTF-8) the moment it joins.
///
/// Lookups are cheap in the common case: the strings a client sends with (its source, nick,
/// account) and the command are the same `String` values message after message, so a small
/// cache keyed by string identity (see ``StringIdentity``) answers most of them with one probe.
/// Only a string it does not know is searched for in the window, by identity and then by content.
struct ChunkStringTable {
    /// Entries searched for a repeat before a new one is made.
    static let window = 16

    /// The entries, kept alive: while one is held here, no other string can have its identity.
    private var strings: [String] = []
    private var identities: [StringIdentity] = []
    /// The table as the body stores it, without the count in front.
    private(set) var encoded = ByteWriter(capacity: 256)
    /// Identities of table entries and their positions, by a hash of the identity. A slot names
    /// only an identity the table holds, so a hit inside the window is that entry.
    private var recent = [Slot](repeating: Slot(identity: StringIdentity(), position: -1), count: Self.cacheSlots)

    private struct Slot {
        var identity: StringIdentity
        var position: Int
    }

    private static let cacheBits = 5
    private static let cacheSlots = 1 << cacheBits

    var count: Int { strings.count }

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
        let cached = recent[slot]
        if cached.identity == identity, cached.position >= strings.count - Self.window { return cached.position }
        return search(value, identity: identity, slot: slot)
    }

    @inline(never)
    private mutating func search(_ value: String, identity: StringIdentity, slot: Int) -> Int {
        let lowest = Swift.max(strings.count - Self.window, 0)
        var position = identities.count
        while position > lowest {
            position -= 1
            if identities[position] == identity {
                recent[slot] = Slot(identity: identity, position: position)
                return position
            }
        }
        position = strings.count
        while position > lowest {
            position -= 1
            // Equal text in other storage: not cached, since `value` itself is not kept.
            if strings[position] == value { return position }
        }
        strings.append(value)
        identities.append(identity)
        encoded.write(reserving: ByteCursor.maxBytes(value)) { $0.string(value) }
        recent[slot] = Slot(identity: identity, position: strings.count - 1)
        return strings.count - 1
    }
}
