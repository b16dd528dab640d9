/// A room (`#name`): members with their prefixes, topic and modes. Lives on the loop thread only.
final class Room {
    /// Member privileges, highest first.
    struct Privileges: OptionSet, Hashable {
        let rawValue: UInt8
        static let op = Privileges(rawValue: 1)
        static let voice = Privileges(rawValue: 2)
    }

    let name: String
    let folded: String
    let createdAt: Int64
    /// Client id to privileges, plus the join order so NAMES is stable.
    var members: [Int: Privileges] = [:]
    var memberOrder: [Int] = []
    /// The members themselves, in join order, so a relay needs no lookup per recipient.
    var memberClients: [Client] = []
    var topic: String?
    var topicSetBy: String?
    var topicSetAt: Int64 = 0
    var noExternal = true
    var topicLocked = true
    var inviteOnly = false
    var moderated = false
    var secret = false
    var key: String?
    var limit: Int?
    var bans: [(mask: String, setBy: String, at: Int64)] = []
    /// Folded nicks invited while the room is +i.
    var invited: Set<String> = []

    init(name: String, folded: String, createdAt: Int64) {
        self.name = name
        self.folded = folded
        self.createdAt = createdAt
    }

    func add(_ client: Client, privileges: Privileges) {
        if members[client.id] == nil {
            memberOrder.append(client.id)
            memberClients.append(client)
        }
        members[client.id] = privileges
    }

    func remove(_ clientID: Int) {
        guard members.removeValue(forKey: clientID) != nil else { return }
        if let index = memberOrder.firstIndex(of: clientID) {
            memberOrder.remove(at: index)
            memberClients.remove(at: index)
        }
    }

    /// `+nt…` with parameters for 324; the key is shown only to members.
    func modeString(showKey: Bool) -> [String] {
        var letters = "+"
        var params: [String] = []
        if inviteOnly { letters += "i" }
        if key != nil { letters += "k"; params.append(showKey ? (key ?? "") : "*") }
        if let limit { letters += "l"; params.append(String(limit)) }
        if moderated { letters += "m" }
        if noExternal { letters += "n" }
        if secret { letters += "s" }
        if topicLocked { letters += "t" }
        return [letters] + params
    }
}

extension Room.Privileges {
    /// `@+` style prefixes; all of them with multi-prefix, else only the highest.
    func symbols(multiPrefix: Bool) -> String {
        var text = ""
        if contains(.op) { text += "@" }
        if contains(.voice) && (multiPrefix || text.isEmpty) { text += "+" }
        return text
    }
}
