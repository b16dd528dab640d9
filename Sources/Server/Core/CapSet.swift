import Shared

/// The capabilities a client has enabled, as bits so that per-recipient checks are cheap.
struct CapSet: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    static let messageTags = CapSet(rawValue: 1 << 0)
    static let serverTime = CapSet(rawValue: 1 << 1)
    static let echoMessage = CapSet(rawValue: 1 << 2)
    static let batch = CapSet(rawValue: 1 << 3)
    static let capNotify = CapSet(rawValue: 1 << 4)
    static let labeledResponse = CapSet(rawValue: 1 << 5)
    static let awayNotify = CapSet(rawValue: 1 << 6)
    static let multiPrefix = CapSet(rawValue: 1 << 7)
    static let userhostInNames = CapSet(rawValue: 1 << 8)
    static let inviteNotify = CapSet(rawValue: 1 << 9)
    static let setname = CapSet(rawValue: 1 << 10)
    static let roster = CapSet(rawValue: 1 << 11)
    static let accountTag = CapSet(rawValue: 1 << 12)
    static let accountNotify = CapSet(rawValue: 1 << 13)
    static let extendedJoin = CapSet(rawValue: 1 << 14)
    static let sasl = CapSet(rawValue: 1 << 15)
    static let accountRegistration = CapSet(rawValue: 1 << 16)
    static let chathistory = CapSet(rawValue: 1 << 17)
    static let readMarker = CapSet(rawValue: 1 << 18)

    /// Name, bit and the value advertised in `CAP LS 302` (nil when the cap has none).
    struct Entry: Sendable {
        let name: String
        let bit: CapSet
        let value: String?
    }

    /// The capabilities the server offers, in the order `CAP LS` lists them.
    static let offered: [Entry] = [
        Entry(name: IRCCapability.messageTags, bit: .messageTags, value: nil),
        Entry(name: IRCCapability.serverTime, bit: .serverTime, value: nil),
        Entry(name: IRCCapability.echoMessage, bit: .echoMessage, value: nil),
        Entry(name: IRCCapability.batch, bit: .batch, value: nil),
        Entry(name: IRCCapability.capNotify, bit: .capNotify, value: nil),
        Entry(name: IRCCapability.labeledResponse, bit: .labeledResponse, value: nil),
        Entry(name: IRCCapability.awayNotify, bit: .awayNotify, value: nil),
        Entry(name: IRCCapability.multiPrefix, bit: .multiPrefix, value: nil),
        Entry(name: IRCCapability.userhostInNames, bit: .userhostInNames, value: nil),
        Entry(name: IRCCapability.inviteNotify, bit: .inviteNotify, value: nil),
        Entry(name: IRCCapability.setname, bit: .setname, value: nil),
        Entry(name: IRCCapability.roster, bit: .roster, value: nil),
        Entry(name: IRCCapability.accountTag, bit: .accountTag, value: nil),
        Entry(name: IRCCapability.accountNotify, bit: .accountNotify, value: nil),
        Entry(name: IRCCapability.extendedJoin, bit: .extendedJoin, value: nil),
    ]

    /// Looks up an offered capability by name.
    static func entry(named name: String) -> Entry? {
        offered.first { $0.name == name }
    }
}
