/// Capability names this project speaks.
public enum IRCCapability {
    /// The opt-in live roster: the full online list as 730 after registration, then 730/731 deltas.
    /// Vendor-namespaced under `.localhost`, a name no one else can own.
    public static let roster = "chat.localhost/roster"

    public static let messageTags = "message-tags"
    public static let serverTime = "server-time"
    public static let echoMessage = "echo-message"
    public static let batch = "batch"
    public static let capNotify = "cap-notify"
    public static let labeledResponse = "labeled-response"
    public static let awayNotify = "away-notify"
    public static let multiPrefix = "multi-prefix"
    public static let userhostInNames = "userhost-in-names"
    public static let inviteNotify = "invite-notify"
    public static let setname = "setname"
    public static let accountTag = "account-tag"
    public static let accountNotify = "account-notify"
    public static let extendedJoin = "extended-join"
    public static let sasl = "sasl"
    public static let accountRegistration = "draft/account-registration"
    public static let chathistory = "draft/chathistory"
    public static let eventPlayback = "draft/event-playback"
    public static let readMarker = "draft/read-marker"
    public static let msgid = "msgid"
}
