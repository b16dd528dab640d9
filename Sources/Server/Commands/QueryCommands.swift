import Shared

/// WHOIS, WHO (with WHOX), ISON, USERHOST, LUSERS, MOTD, AWAY, SETNAME, VERSION, TIME.
extension Server {
    /// `WHOIS [server] nick`.
    func handleWhois(_ client: Client, _ message: IRCMessage) {
        let nick = message.params.count >= 2 ? message.params[1] : message.params[0]
        guard let other = nicks[fold(nick)], other.isRegistered else {
            reply(client, IRCNumeric.noSuchNick, nick, "No such nick/channel")
            reply(client, IRCNumeric.endOfWhois, nick, "End of /WHOIS list")
            return
        }
        reply(client, IRCNumeric.whoisUser, other.displayNick, other.user ?? "*", other.host, "*", other.realname)
        let visibleRooms = other.rooms.compactMap { rooms[$0] }
            .filter { !$0.secret || $0.members[client.id] != nil }
            .sorted { $0.folded < $1.folded }
            .map { room in (room.members[other.id]?.symbols(multiPrefix: client.has(.multiPrefix)) ?? "") + room.name }
        let overhead = 1 + config.serverName.utf8.count + 5 + client.displayNick.utf8.count + 1 + other.displayNick.utf8.count + 2 + 2
        for text in LinePacking.pack(visibleRooms, separator: " ", budget: IRCLimits.lineBytes - overhead) {
            reply(client, IRCNumeric.whoisChannels, other.displayNick, text)
        }
        reply(client, IRCNumeric.whoisServer, other.displayNick, config.serverName, config.network)
        if let account = other.account {
            reply(client, IRCNumeric.whoisAccount, other.displayNick, account, "is logged in as")
        }
        if let away = other.awayMessage {
            reply(client, IRCNumeric.away, other.displayNick, away)
        }
        reply(client, IRCNumeric.whoisIdle, other.displayNick, String(Int(now - other.lastSpokeAt)),
              String(other.connectedWallMs / 1000), "seconds idle, signon time")
        reply(client, IRCNumeric.endOfWhois, other.displayNick, "End of /WHOIS list")
    }

    /// `WHO mask [%fields[,token]]`: 352 lines, or 354 WHOX lines when fields are asked for.
    func handleWho(_ client: Client, _ message: IRCMessage) {
        let mask = message.param(0) ?? "*"
        var whox: (fields: Set<Character>, token: String?)?
        if let spec = message.param(1), spec.hasPrefix("%") {
            let body = spec.dropFirst()
            let parts = body.split(separator: ",", maxSplits: 1)
            whox = (Set(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : nil)
        }
        var matches: [(Client, Room?)] = []
        if IRCNames.isRoom(mask) {
            if let room = rooms[fold(mask)], !room.secret || room.members[client.id] != nil {
                matches = room.memberOrder.compactMap { id in clients[id].map { ($0, room) } }
            }
        } else if let exact = nicks[fold(mask)], exact.isRegistered {
            matches = [(exact, nil)]
        } else if mask.contains("*") || mask.contains("?") {
            let pattern = Array(fold(mask).utf8)
            for other in nicks.values where other.isRegistered {
                let visible = other === client || !other.userModes.contains("i") || !other.rooms.isDisjoint(with: client.rooms)
                guard visible else { continue }
                if Self.wildcardMatch(pattern: pattern, text: Array(fold(other.displayNick).utf8))
                    || Self.wildcardMatch(pattern: pattern, text: Array(fold(other.host).utf8)) {
                    matches.append((other, nil))
                }
            }
            matches.sort { $0.0.displayNick < $1.0.displayNick }
        }
        for (other, room) in matches {
            let flags = (other.awayMessage == nil ? "H" : "G") + (room.flatMap { $0.members[other.id]?.symbols(multiPrefix: client.has(.multiPrefix)) } ?? "")
            let roomName = room?.name ?? "*"
            if let whox {
                var fields: [String] = []
                // WHOX field order is fixed by the spec: t c u i h s n f d l a o r.
                for field in "tcuihsnfdlaor" where whox.fields.contains(field) {
                    switch field {
                    case "t": fields.append(whox.token ?? "0")
                    case "c": fields.append(roomName)
                    case "u": fields.append(other.user ?? "*")
                    case "i": fields.append("255.255.255.255")
                    case "h": fields.append(other.host)
                    case "s": fields.append(config.serverName)
                    case "n": fields.append(other.displayNick)
                    case "f": fields.append(flags)
                    case "d": fields.append("0")
                    case "l": fields.append(String(Int(now - other.lastSpokeAt)))
                    case "a": fields.append(other.account ?? "0")
                    case "o": fields.append("n/a")
                    default: fields.append(other.realname)
                    }
                }
                reply(client, IRCNumeric.whoSpcRpl, params: fields)
            } else {
                reply(client, IRCNumeric.whoReply, roomName, other.user ?? "*", other.host, config.serverName,
                      other.displayNick, flags, "0 " + other.realname)
            }
        }
        reply(client, IRCNumeric.endOfWho, mask, "End of WHO list")
    }

    /// `ISON nick nick…`: the ones online, in one 303.
    func handleIson(_ client: Client, _ message: IRCMessage) {
        let names = message.params.flatMap { $0.split(separator: " ").map(String.init) }
        let online = names.compactMap { name -> String? in
            guard let other = nicks[fold(name)], other.isRegistered else { return nil }
            return other.displayNick
        }
        reply(client, IRCNumeric.ison, online.joined(separator: " "))
    }

    /// `USERHOST nick…` (up to five).
    func handleUserhost(_ client: Client, _ message: IRCMessage) {
        let names = message.params.flatMap { $0.split(separator: " ").map(String.init) }.prefix(5)
        let entries = names.compactMap { name -> String? in
            guard let other = nicks[fold(name)], other.isRegistered else { return nil }
            return "\(other.displayNick)=\(other.awayMessage == nil ? "+" : "-")\(other.user ?? "*")@\(other.host)"
        }
        reply(client, IRCNumeric.userhost, entries.joined(separator: " "))
    }

    func handleLusers(_ client: Client, _ message: IRCMessage) {
        sendLusers(client)
    }

    func sendLusers(_ client: Client) {
        let users = registeredCount
        let invisible = invisibleCount
        let unknown = clients.count - users
        reply(client, IRCNumeric.luserClient, "There are \(users - invisible) users and \(invisible) invisible on 1 servers")
        if unknown > 0 { reply(client, IRCNumeric.luserUnknown, String(unknown), "unknown connection(s)") }
        reply(client, IRCNumeric.luserChannels, String(rooms.count), "channels formed")
        reply(client, IRCNumeric.luserMe, "I have \(users) clients and 0 servers")
        reply(client, IRCNumeric.localUsers, String(users), String(config.maxClients), "Current local users \(users), max \(config.maxClients)")
        reply(client, IRCNumeric.globalUsers, String(users), String(config.maxClients), "Current global users \(users), max \(config.maxClients)")
    }

    func handleMotd(_ client: Client, _ message: IRCMessage) {
        sendMotd(client)
    }

    func sendMotd(_ client: Client) {
        guard let lines = config.motdLines, !lines.isEmpty else {
            reply(client, IRCNumeric.noMotd, "MOTD File is missing")
            return
        }
        reply(client, IRCNumeric.motdStart, "- \(config.serverName) Message of the day - ")
        for line in lines { reply(client, IRCNumeric.motd, "- " + line) }
        reply(client, IRCNumeric.endOfMotd, "End of /MOTD command.")
    }

    /// `AWAY [:message]`; peers with away-notify hear about it.
    func handleAway(_ client: Client, _ message: IRCMessage) {
        let text = message.param(0).map { String($0.prefix(config.awayLength)) } ?? ""
        client.awayMessage = text.isEmpty ? nil : text
        if text.isEmpty {
            reply(client, IRCNumeric.unaway, "You are no longer marked as being away")
        } else {
            reply(client, IRCNumeric.nowAway, "You have been marked as being away")
        }
        let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "AWAY", params: text.isEmpty ? [] : [text])
        relay(line, to: peers(of: client).filter { $0.has(.awayNotify) })
    }

    /// `SETNAME :realname` (IRCv3 setname).
    func handleSetname(_ client: Client, _ message: IRCMessage) {
        let name = message.params[0]
        guard !name.isEmpty, name.utf8.count <= config.realnameLength else {
            fail(client, "SETNAME", "INVALID_REALNAME", [], "Realname is not valid")
            return
        }
        client.realname = name
        let line = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "SETNAME", params: [name])
        relay(line, to: ([client] + peers(of: client)).filter { $0.has(.setname) })
    }

    func handleVersion(_ client: Client, _ message: IRCMessage) {
        reply(client, "351", config.version, config.serverName, "poll(2) IRC server")
        sendISupport(client)
    }

    func handleTime(_ client: Client, _ message: IRCMessage) {
        reply(client, IRCNumeric.time, config.serverName, IRCTime.format(millisecondsSince1970: clock.wallMilliseconds()))
    }
}
