import Shared

/// The whole client as a plain value: changed only by ``Reducer``, drawn by ``Renderer``.
struct AppState: Equatable, Sendable {
    var identity: ServerIdentity
    var phase: ConnectionPhase = .connecting(attempt: 1)
    /// The nick the server knows us by (may differ from `identity.nick` after NICK_).
    var nick: String
    var registered = false
    /// Capabilities the server offers (name to value) and those it acknowledged.
    var offeredCaps: [String: String] = [:]
    var enabledCaps: Set<String> = []
    /// CAP LS is still arriving (multi-line `CAP * LS *`).
    var capListing = false
    var isupport = ISupport()
    var conversations: [ConversationID: Conversation] = [.server: Conversation(id: .server, name: "server")]
    var current: ConversationID = .server
    /// Online nicks (case-folded to display): the roster, or MONITOR/ISON results.
    var presence: [String: String] = [:]
    var editor = LineEditor()
    var history = InputHistory()
    /// A Tab completion in progress and where its inserted text ends.
    var completion: Completion?
    var completionEnd = 0
    /// Non-nil while the sidebar has the keyboard.
    var sidebarFocus: SidebarFocus?
    var showHelp = false
    /// Rows the help overlay is scrolled down.
    var helpScroll = 0
    /// Lines of a multi-line paste waiting for a yes/no.
    var pasteConfirm: [String]?
    var rows = 24
    var columns = 80
    /// Round-trip time of the last lag probe, in ms.
    var lag: Int?
    var lagProbe: LagProbe?
    var nextLabel = 1
    /// Open batches by reference: their type (`chathistory`, …).
    var batches: [String: String] = [:]
    /// Open batches by reference: their first parameter (a chathistory batch's target).
    var batchTargets: [String: String] = [:]
    /// Conversations whose pending lines wait for their history catch-up before being re-sent.
    var resendAfterHistory: Set<ConversationID> = []
    /// When the next ISON poll is due; nil unless presence falls back to ISON.
    var isonDue: Int64?
    /// Nicks asked about in the ISON poll in flight.
    var isonAsked: [String] = []
    /// Rooms joined by /join, to switch to once the server confirms.
    var switchOnJoin: Set<String> = []
    /// Seconds east of UTC for timestamps (fixed in tests).
    var utcOffset = 0
    var awayMessage: String?
    /// Where the SASL login of this connection stands.
    var sasl: SASLPhase = .idle
    /// The account the SASL exchange in flight logs in to.
    var loginAccount: String?
    /// The account we are logged in to (900), nil as a guest.
    var account: String?
    /// The masked line that asks for a password; keys go to it while it is open.
    var passwordPrompt: PasswordPrompt?
    /// The password of a REGISTER in flight: kept for later logins once the server says SUCCESS.
    var registeringPassword: String?
    /// Network name from ISUPPORT, shown on the server entry.
    var networkName: String { isupport["NETWORK"] ?? identity.host }

    /// Creates the state for a fresh start.
    init(identity: ServerIdentity) {
        self.identity = identity
        self.nick = identity.nick
    }

    /// The server's case mapping, for keys.
    var caseMapping: IRCCaseMapping { isupport.caseMapping }

    /// The folded form of a nick or room name.
    func fold(_ name: String) -> String { caseMapping.fold(name) }

    /// The conversation ID for a target name (a room or a nick).
    func conversationID(for target: String) -> ConversationID {
        let isRoom = isupport.channelTypes.contains(where: { target.hasPrefix(String($0)) })
        return ConversationID(kind: isRoom ? .room : .direct, key: fold(target))
    }

    /// True when `name` is our own nick.
    func isMe(_ name: String) -> Bool { fold(name) == fold(nick) }

    /// The conversation shown.
    var currentConversation: Conversation {
        conversations[current] ?? Conversation(id: .server, name: "server")
    }

    /// True once the named capability is enabled.
    func hasCap(_ name: String) -> Bool { enabledCaps.contains(name) }
}

/// The sidebar while it has the keyboard: the selected row among the filtered entries.
struct SidebarFocus: Equatable, Sendable {
    var selected = 0
    var filter = ""

    /// Creates a focus state.
    init(selected: Int = 0, filter: String = "") {
        self.selected = selected
        self.filter = filter
    }
}

/// SASL PLAIN during registration (or after it, when a password is typed at the prompt).
enum SASLPhase: Equatable, Sendable {
    case idle
    /// AUTHENTICATE PLAIN sent; waiting for the server's `+`.
    case started
    /// Credentials sent; waiting for 903 or 904.
    case sentCredentials
}

/// A password typed at a masked prompt: never drawn, never put in the input history.
struct PasswordPrompt: Equatable, Sendable {
    /// What the password is for.
    enum Purpose: Equatable, Sendable {
        /// Log in to this account (the nick the server said is registered).
        case login(account: String)
        /// Create an account for the current nick, with this e-mail address (`*` for none).
        case register(email: String)
    }

    var purpose: Purpose
    var editor = LineEditor()

    /// Creates an empty prompt.
    init(purpose: Purpose) {
        self.purpose = purpose
    }
}

/// A PING sent to measure lag, matched by its token when the PONG returns.
struct LagProbe: Equatable, Sendable {
    var token: String
    var sentAt: Int64
}
