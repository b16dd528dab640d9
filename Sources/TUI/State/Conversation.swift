import Shared

/// What a conversation is: the server's own buffer, a room, or a direct conversation.
enum ConversationKind: Int, Hashable, Sendable, Comparable {
    case server, room, direct

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Identifies a conversation by kind and case-folded name, so `Bob` and `bob` are one DM.
struct ConversationID: Hashable, Sendable {
    let kind: ConversationKind
    /// The case-folded target name; empty for the server buffer.
    let key: String

    /// Creates an identifier.
    init(kind: ConversationKind, key: String) {
        self.kind = kind
        self.key = key
    }

    /// The server's own buffer (MOTD, notices, errors with nowhere else to go).
    static let server = ConversationID(kind: .server, key: "")
}

/// A member of a room, with the highest prefix the server gave them (`@`, `+`, …).
struct RoomMember: Equatable, Sendable {
    var nick: String
    var prefix: String

    /// Creates a member.
    init(nick: String, prefix: String = "") {
        self.nick = nick
        self.prefix = prefix
    }
}

/// One conversation: its lines, unread state, scroll position and (for rooms) members.
struct Conversation: Equatable, Sendable {
    let id: ConversationID
    /// The name as the server spells it (`#Room`, `Bob`).
    var name: String
    var lines: [ChatLine] = []
    /// Messages that arrived while another conversation was shown.
    var unread = 0
    /// Of those, how many were for you (a DM, or your nick in a room).
    var highlights = 0
    /// Index into `lines` of the first message not yet seen, for the "new messages" line.
    var firstUnread: Int?
    /// How far the pane is scrolled up from the newest row, in screen rows.
    var scrollRows = 0
    /// Room members by case-folded nick.
    var members: [String: RoomMember] = [:]
    /// Members being collected from a NAMES reply until its end.
    var incomingNames: [String: RoomMember]?
    /// Print the member list when the NAMES reply ends (the user asked with /names).
    var printNames = false
    var topic = ""
    /// True while we are in the room.
    var joined = false
    /// Message ids already shown, so a replay or a history fetch never duplicates a line.
    var seenMessageIDs: Set<String> = []
    /// The account's read marker (ms) as the server last told it, or as we last sent it.
    var readMarker: Int64?
    /// True once the server answered MARKREAD for this target (a nil marker then means nothing read).
    var readMarkerKnown = false
    /// Its latest page of history was asked for (on opening it, at connect, on JOIN).
    var historyRequested = false
    /// An older page (CHATHISTORY BEFORE) is on its way.
    var loadingOlder = false
    /// The oldest line's time when that page was asked for.
    var oldestBeforeLoad: Int64?
    /// The server had nothing older: scrolling up asks no more.
    var reachedStart = false
    /// When each nick last spoke here (case-folded nick to ms), for Tab completion order.
    var lastSpoke: [String: Int64] = [:]

    /// Creates an empty conversation.
    init(id: ConversationID, name: String) {
        self.id = id
        self.name = name
    }

    /// Appends a line, or inserts it in time order when it is older than the newest one
    /// (history fetched after a reconnect). Returns false for a msgid already shown.
    @discardableResult
    mutating func add(_ line: ChatLine) -> Bool {
        if let msgid = line.msgid {
            guard seenMessageIDs.insert(msgid).inserted else { return false }
        }
        if let last = lines.last, line.time < last.time, line.isFromHistory {
            var low = 0
            var high = lines.count
            while low < high {
                let mid = (low + high) / 2
                if lines[mid].time <= line.time { low = mid + 1 } else { high = mid }
            }
            lines.insert(line, at: low)
            if let marker = firstUnread, marker >= low { firstUnread = marker + 1 }
        } else {
            lines.append(line)
        }
        return true
    }

    /// Adds a line that arrived (or was sent) now, counting it as unread unless the
    /// conversation is shown. Returns false for a msgid already shown.
    mutating func receive(_ line: ChatLine, isShown: Bool, senderKey: String?, extraScrollRows: Int) -> Bool {
        let countBefore = lines.count
        guard add(line) else { return false }
        if line.countsAsUnread, !isShown, !line.isFromHistory {
            unread += 1
            if line.isHighlight { highlights += 1 }
            if firstUnread == nil, lines.count > countBefore { firstUnread = lines.count - 1 }
        }
        scrollRows += extraScrollRows
        if let senderKey, line.countsAsUnread { lastSpoke[senderKey] = line.time }
        return true
    }

    /// Recounts unread and highlights from the read marker: what people said after it is
    /// unread, and the "new messages" line sits before the first such line.
    mutating func applyReadMarker(isShown: Bool) {
        guard !isShown else {
            unread = 0
            highlights = 0
            return
        }
        let marker = readMarker ?? Int64.min
        var count = 0
        var highlighted = 0
        var first: Int?
        for index in lines.indices.reversed() {
            let line = lines[index]
            if line.time <= marker { break }
            guard line.countsAsUnread else { continue }
            count += 1
            if line.isHighlight { highlighted += 1 }
            first = index
        }
        unread = count
        highlights = highlighted
        firstUnread = first
    }
}
