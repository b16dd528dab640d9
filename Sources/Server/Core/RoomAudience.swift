/// Which members of a room a relayed message reaches, besides "everyone but the sender".
struct RoomAudience {
    /// TAGMSG: only members that negotiated message-tags.
    var tagsOnly = false
    /// STATUSMSG `@#room`: only operators.
    var opsOnly = false
    /// STATUSMSG `+#room`: voiced members and operators.
    var voicedOnly = false

    /// Whether a member with `privileges` is left out of this audience (the tags rule is checked apart).
    @inline(__always)
    func excludes(_ privileges: Room.Privileges?) -> Bool {
        if opsOnly { return !(privileges?.contains(.op) ?? false) }
        if voicedOnly { return (privileges ?? []).isEmpty }
        return false
    }
}
