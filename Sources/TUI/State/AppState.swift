import Shared

/// The whole client as a plain value: changed only by ``Reducer``, drawn by ``Renderer``.
public struct AppState: Equatable, Sendable {
    public var identity: ServerIdentity
    public var phase: ConnectionPhase = .connecting(attempt: 1)
    /// The nick the server knows us by (may differ from `identity.nick` after NICK_).
    public var nick: String
    public var registered = false
    /// Capabilities the server offers (name to value) and those it acknowledged.
    public var offeredCaps: [String: String] = [:]
    public var enabledCaps: Set<String> = []
    /// CAP LS is still arriving (multi-line `CAP * LS *`).
    public var capListing = false
    public var isupport = ISupport()
    public var conversations: [ConversationID: Conversation] = [.server: Conversation(id: .server, name: "server")]
    public var current: ConversationID = .server
    /// Online nicks (case-folded to display): the roster, or MONITOR/ISON results.
    public var presence: [String: String] = [:]
    public var editor = LineEditor()
    public var history = InputHistory()
    /// A Tab completion in progress and where its inserted text ends.
    public var completion: Completion?
    public var completionEnd = 0
    /// Non-nil while the sidebar has the keyboard.
    public var sidebarFocus: SidebarFocus?
    public var showHelp = false
    /// Rows the help overlay is scrolled down.
    public var helpScroll = 0
    /// Lines of a multi-line paste waiting for a yes/no.
    public var pasteConfirm: [String]?
    public var rows = 24
    public var columns = 80
    /// Round-trip time of the last lag probe, in ms.
    public var lag: Int?
    public var lagProbe: LagProbe?
    public var nextLabel = 1
    /// Open batches by reference: their type (`chathistory`, …).
    public var batches: [String: String] = [:]
    /// Open batches by reference: their first parameter (a chathistory batch's target).
    public var batchTargets: [String: String] = [:]
    /// Conversations whose pending lines wait for their history catch-up before being re-sent.
    public var resendAfterHistory: Set<ConversationID> = []
    /// When the next ISON poll is due; nil unless presence falls back to ISON.
    public var isonDue: Int64?
    /// Nicks asked about in the ISON poll in flight.
    public var isonAsked: [String] = []
    /// Rooms joined by /join, to switch to once the server confirms.
    public var switchOnJoin: Set<String> = []
    /// Seconds east of UTC for timestamps (fixed in tests).
    public var utcOffset = 0
    public var awayMessage: String?
    /// Network name from ISUPPORT, shown on the server entry.
    public var networkName: String { isupport["NETWORK"] ?? identity.host }

    /// Creates the state for a fresh start.
    public init(identity: ServerIdentity) {
        self.identity = identity
        self.nick = identity.nick
    }

    /// The server's case mapping, for keys.
    public var caseMapping: IRCCaseMapping { isupport.caseMapping }

    /// The folded form of a nick or room name.
    public func fold(_ name: String) -> String { caseMapping.fold(name) }

    /// The conversation ID for a target name (a room or a nick).
    public func conversationID(for target: String) -> ConversationID {
        let isRoom = isupport.channelTypes.contains(where: { target.hasPrefix(String($0)) })
        return ConversationID(kind: isRoom ? .room : .direct, key: fold(target))
    }

    /// True when `name` is our own nick.
    public func isMe(_ name: String) -> Bool { fold(name) == fold(nick) }

    /// The conversation shown.
    public var currentConversation: Conversation {
        conversations[current] ?? Conversation(id: .server, name: "server")
    }

    /// True once the named capability is enabled.
    public func hasCap(_ name: String) -> Bool { enabledCaps.contains(name) }
}

/// The sidebar while it has the keyboard: the selected row among the filtered entries.
public struct SidebarFocus: Equatable, Sendable {
    public var selected = 0
    public var filter = ""

    /// Creates a focus state.
    public init(selected: Int = 0, filter: String = "") {
        self.selected = selected
        self.filter = filter
    }
}

/// A PING sent to measure lag, matched by its token when the PONG returns.
public struct LagProbe: Equatable, Sendable {
    public var token: String
    public var sentAt: Int64
}
