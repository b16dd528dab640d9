import Shared

extension Server {
    /// Relays `message` from `sender` to the members of `room` that `audience` admits, then to
    /// the sender itself when `echo` is set, without building a list of recipients.
    ///
    /// The members are walked in the room's own array, without a retain and release per member
    /// (they were a quarter of the loop's time in a 500-member fan-out). That is safe because the
    /// loop thread is the only one and the local copy of the array keeps every member alive; a
    /// member cut for SendQ mid-relay leaves the room (its QUIT goes out at once), which changes
    /// the room's array, not the copy being walked.
    func relay(_ message: IRCMessage, toMembersOf room: Room, from sender: Client, audience: RoomAudience, echo: Bool) {
        var lines = RelayLines()
        let members = room.memberClients
        let filtersByPrivilege = audience.opsOnly || audience.voicedOnly
        // The echo goes last, so a sender cut for its own SendQ by the echo has had its message
        // delivered to everyone before its QUIT.
        let last = echo ? -1 : members.count - 1
        members.forEachUnretained { position, member in
            if member === sender { return }
            if audience.tagsOnly && !member.has(.messageTags) { return }
            if filtersByPrivilege && audience.excludes(room.members[member.id]) { return }
            relay(message, to: member, isLast: position == last, lines: &lines)
        }
        if echo { relay(message, to: sender, isLast: true, lines: &lines) }
    }
}
