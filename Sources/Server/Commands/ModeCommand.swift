import Shared

/// MODE for rooms (`b k l i m n s t o v`) and for the user's own modes (`i w`).
extension Server {
    func handleMode(_ client: Client, _ message: IRCMessage) {
        let target = message.params[0]
        if IRCNames.isRoom(target) {
            roomMode(client, message, name: target)
        } else {
            userMode(client, message, nick: target)
        }
    }

    private func userMode(_ client: Client, _ message: IRCMessage, nick: String) {
        guard let other = nicks[fold(nick)] else {
            reply(client, IRCNumeric.noSuchNick, nick, "No such nick/channel")
            return
        }
        guard other === client else {
            reply(client, IRCNumeric.usersDontMatch, "Can't change mode for other users")
            return
        }
        guard let changes = message.param(1) else {
            reply(client, IRCNumeric.umodeIs, "+" + String(client.userModes.sorted()))
            return
        }
        var adding = true
        var applied = ""
        var lastSign: Character = " "
        var unknown = false
        for letter in changes {
            switch letter {
            case "+": adding = true
            case "-": adding = false
            case "i", "w":
                let changed = adding ? client.userModes.insert(letter).inserted : client.userModes.remove(letter) != nil
                if changed {
                    if letter == "i" { invisibleCount += adding ? 1 : -1 }
                    let sign: Character = adding ? "+" : "-"
                    if sign != lastSign { applied.append(sign); lastSign = sign }
                    applied.append(letter)
                }
            default: unknown = true
            }
        }
        if unknown { reply(client, IRCNumeric.umodeUnknownFlag, "Unknown MODE flag") }
        if !applied.isEmpty {
            send(IRCMessage(source: client.prefix, command: "MODE", params: [client.displayNick, applied]), to: client)
        }
    }

    private func roomMode(_ client: Client, _ message: IRCMessage, name: String) {
        guard let room = rooms[fold(name)] else {
            reply(client, IRCNumeric.noSuchChannel, name, "No such channel")
            return
        }
        let privileges = room.members[client.id]
        guard let changes = message.param(1) else {
            reply(client, IRCNumeric.channelModeIs, params: [room.name] + room.modeString(showKey: privileges != nil))
            reply(client, IRCNumeric.creationTime, room.name, String(room.createdAt))
            return
        }
        var arguments = Array(message.params.dropFirst(2))[...]
        // A bare `MODE #room b` (or +b) lists bans and needs no privileges.
        if changes.filter({ $0 != "+" }) == "b" && arguments.isEmpty {
            for ban in room.bans { reply(client, IRCNumeric.banList, room.name, ban.mask, ban.setBy, String(ban.at)) }
            reply(client, IRCNumeric.endOfBanList, room.name, "End of channel ban list")
            return
        }
        guard privileges?.contains(.op) == true else {
            if privileges == nil {
                reply(client, IRCNumeric.notOnChannel, room.name, "You're not on that channel")
            } else {
                reply(client, IRCNumeric.chanOpPrivsNeeded, room.name, "You're not channel operator")
            }
            return
        }
        var adding = true
        var appliedLetters = ""
        var appliedArgs: [String] = []
        var lastSign: Character = " "
        var parameterModes = 0
        func record(_ letter: Character, _ argument: String? = nil) {
            let sign: Character = adding ? "+" : "-"
            if sign != lastSign { appliedLetters.append(sign); lastSign = sign }
            appliedLetters.append(letter)
            if let argument { appliedArgs.append(argument) }
        }
        for letter in changes {
            switch letter {
            case "+": adding = true
            case "-": adding = false
            case "n", "t", "i", "m", "s":
                if flag(room, letter) != adding {
                    setFlag(room, letter, adding)
                    record(letter)
                }
            case "k":
                if adding {
                    guard let key = arguments.popFirst(), !key.isEmpty, !key.contains(",") else {
                        reply(client, IRCNumeric.needMoreParams, "MODE", "Not enough parameters")
                        continue
                    }
                    room.key = String(key.prefix(32))
                    record("k", room.key)
                } else {
                    _ = arguments.popFirst()
                    if room.key != nil {
                        room.key = nil
                        record("k", "*")
                    }
                }
            case "l":
                if adding {
                    guard let text = arguments.popFirst(), let value = Int(text), value > 0 else {
                        reply(client, IRCNumeric.needMoreParams, "MODE", "Not enough parameters")
                        continue
                    }
                    room.limit = value
                    record("l", String(value))
                } else if room.limit != nil {
                    room.limit = nil
                    record("l")
                }
            case "o", "v":
                parameterModes += 1
                guard parameterModes <= 4, let nick = arguments.popFirst() else {
                    if parameterModes <= 4 { reply(client, IRCNumeric.needMoreParams, "MODE", "Not enough parameters") }
                    continue
                }
                guard let member = nicks[fold(nick)], var memberPrivileges = room.members[member.id] else {
                    reply(client, IRCNumeric.userNotInChannel, nick, room.name, "They aren't on that channel")
                    continue
                }
                let bit: Room.Privileges = letter == "o" ? .op : .voice
                if adding != memberPrivileges.contains(bit) {
                    if adding { memberPrivileges.insert(bit) } else { memberPrivileges.remove(bit) }
                    room.members[member.id] = memberPrivileges
                    record(letter, member.displayNick)
                }
            case "b":
                guard let mask = arguments.popFirst() else {
                    for ban in room.bans { reply(client, IRCNumeric.banList, room.name, ban.mask, ban.setBy, String(ban.at)) }
                    reply(client, IRCNumeric.endOfBanList, room.name, "End of channel ban list")
                    continue
                }
                let normalized = Self.normalizeMask(mask)
                if adding {
                    guard !room.bans.contains(where: { fold($0.mask) == fold(normalized) }), room.bans.count < 100 else { continue }
                    room.bans.append((normalized, client.prefix, clock.wallMilliseconds() / 1000))
                    record("b", normalized)
                } else if let index = room.bans.firstIndex(where: { fold($0.mask) == fold(normalized) }) {
                    room.bans.remove(at: index)
                    record("b", normalized)
                }
            default:
                reply(client, IRCNumeric.unknownMode, String(letter), "is unknown mode char to me")
            }
        }
        guard !appliedLetters.isEmpty else { return }
        let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "MODE", params: [room.name, appliedLetters] + appliedArgs)
        relay(line, to: room.memberClients)
    }

    private func flag(_ room: Room, _ letter: Character) -> Bool {
        switch letter {
        case "n": return room.noExternal
        case "t": return room.topicLocked
        case "i": return room.inviteOnly
        case "m": return room.moderated
        default: return room.secret
        }
    }

    private func setFlag(_ room: Room, _ letter: Character, _ value: Bool) {
        switch letter {
        case "n": room.noExternal = value
        case "t": room.topicLocked = value
        case "i": room.inviteOnly = value
        case "m": room.moderated = value
        default: room.secret = value
        }
    }

    /// `nick` becomes `nick!*@*`, `user@host` becomes `*!user@host`.
    static func normalizeMask(_ mask: String) -> String {
        var text = mask
        if !text.contains("!") && !text.contains("@") { text += "!*@*" }
        if !text.contains("!") { text = "*!" + text }
        if !text.contains("@") { text += "@*" }
        return text
    }

    /// True when a ban mask of `room` matches `client`'s `nick!user@host`.
    func isBanned(_ client: Client, in room: Room) -> Bool {
        guard !room.bans.isEmpty else { return false }
        let subject = fold(client.prefix)
        return room.bans.contains { Self.wildcardMatch(pattern: Array(fold($0.mask).utf8), text: Array(subject.utf8)) }
    }

    /// `*` and `?` glob matching, iterative so a hostile mask cannot blow the stack.
    static func wildcardMatch(pattern: [UInt8], text: [UInt8]) -> Bool {
        var p = 0, t = 0, star = -1, mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p; mark = t; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}
