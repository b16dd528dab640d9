import Shared

/// The roster capability and MONITOR: who is online, pushed to whoever asked.
extension Server {
    /// Everyone who shares a room with `client`, once each, without `client`.
    func peers(of client: Client) -> [Client] {
        var seen: Set<Int> = [client.id]
        var result: [Client] = []
        for folded in client.rooms {
            guard let room = rooms[folded] else { continue }
            for id in room.memberOrder where !seen.contains(id) {
                seen.insert(id)
                if let peer = clients[id] { result.append(peer) }
            }
        }
        return result
    }

    /// Tells roster clients and MONITOR watchers that `client` is online (730).
    func announceArrival(_ client: Client) {
        guard let folded = client.foldedNick else { return }
        let line = client.prefix
        for other in presenceWatchers(of: folded, excluding: client.id) {
            send(IRCMessage(source: config.serverName, command: IRCNumeric.monOnline, params: [other.displayNick, line]), to: other)
        }
    }

    /// Tells roster clients and MONITOR watchers that `nick` went offline (731).
    func announceDeparture(nick: String, folded: String, leaving: Client? = nil) {
        for other in presenceWatchers(of: folded, excluding: leaving?.id) {
            send(IRCMessage(source: config.serverName, command: IRCNumeric.monOffline, params: [other.displayNick, nick]), to: other)
        }
    }

    /// Registered roster subscribers plus everyone who MONITORs `folded`, once each.
    /// (Closing clients are skipped by `send` itself.)
    private func presenceWatchers(of folded: String, excluding excludedID: Int?) -> [Client] {
        var seen: Set<Int> = []
        if let excludedID { seen.insert(excludedID) }
        var recipients: [Client] = []
        for id in rosterClients where seen.insert(id).inserted {
            if let other = clients[id], other.isRegistered { recipients.append(other) }
        }
        for id in monitors[folded] ?? [] where seen.insert(id).inserted {
            if let other = clients[id] { recipients.append(other) }
        }
        return recipients
    }

    /// The whole online list as 730 lines, each kept under 512 bytes.
    func sendFullRoster(_ client: Client) {
        let entries = nicks.values.filter { $0.isRegistered && $0.closeReason == nil }.map(\.prefix).sorted()
        sendChunked(client, IRCNumeric.monOnline, entries)
    }

    /// Sends `numeric` with a comma-separated list, split so each line fits the 512-byte limit.
    func sendChunked(_ client: Client, _ numeric: String, _ entries: [String]) {
        let overhead = 1 + config.serverName.utf8.count + 5 + client.displayNick.utf8.count + 2 + 2 + 16
        for text in LinePacking.pack(entries, separator: ",", budget: IRCLimits.lineBytes - overhead) {
            reply(client, numeric, text)
        }
    }

    /// Keeps the roster subscriber set in step with CAP REQ; a late subscriber gets the full list.
    func rosterCapabilityChanged(_ client: Client, had: Bool) {
        let has = client.has(.roster)
        if has && !had {
            rosterClients.insert(client.id)
            if client.isRegistered { sendFullRoster(client) }
        } else if !has && had {
            rosterClients.remove(client.id)
        }
    }

    func removeWatcher(_ id: Int, of folded: String) {
        guard var watchers = monitors[folded] else { return }
        watchers.remove(id)
        monitors[folded] = watchers.isEmpty ? nil : watchers
    }

    /// `MONITOR + targets`, `- targets`, `C`, `L`, `S` (IRCv3 monitor).
    func handleMonitor(_ client: Client, _ message: IRCMessage) {
        let action = message.params[0]
        let targets = (message.param(1) ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
        switch action {
        case "+":
            guard message.params.count >= 2 else {
                reply(client, IRCNumeric.needMoreParams, "MONITOR", "Not enough parameters")
                return
            }
            var online: [String] = []
            var offline: [String] = []
            for (index, target) in targets.enumerated() {
                let folded = fold(target)
                if client.monitoring.contains(folded) { continue }
                guard client.monitoring.count < config.monitorLimit else {
                    reply(client, IRCNumeric.monListFull, String(config.monitorLimit), targets[index...].joined(separator: ","), "Monitor list is full.")
                    break
                }
                guard IRCNames.isValidNick(target, maxLength: config.nickLength) else { continue }
                client.monitoring.insert(folded)
                monitors[folded, default: []].insert(client.id)
                if let other = nicks[folded], other.isRegistered { online.append(other.prefix) } else { offline.append(target) }
            }
            if !online.isEmpty { sendChunked(client, IRCNumeric.monOnline, online) }
            if !offline.isEmpty { sendChunked(client, IRCNumeric.monOffline, offline) }
        case "-":
            guard message.params.count >= 2 else {
                reply(client, IRCNumeric.needMoreParams, "MONITOR", "Not enough parameters")
                return
            }
            for target in targets {
                let folded = fold(target)
                if client.monitoring.remove(folded) != nil { removeWatcher(client.id, of: folded) }
            }
        case "C", "c":
            for folded in client.monitoring { removeWatcher(client.id, of: folded) }
            client.monitoring.removeAll()
        case "L", "l":
            let names = client.monitoring.sorted()
            if !names.isEmpty { sendChunked(client, IRCNumeric.monList, names) }
            reply(client, IRCNumeric.endOfMonList, "End of MONITOR list")
        case "S", "s":
            var online: [String] = []
            var offline: [String] = []
            for folded in client.monitoring.sorted() {
                if let other = nicks[folded], other.isRegistered { online.append(other.prefix) } else { offline.append(folded) }
            }
            if !online.isEmpty { sendChunked(client, IRCNumeric.monOnline, online) }
            if !offline.isEmpty { sendChunked(client, IRCNumeric.monOffline, offline) }
        default:
            reply(client, IRCNumeric.unknownCommand, "MONITOR", "Unknown MONITOR subcommand")
        }
    }

    /// A registered user is leaving: QUIT to everyone sharing a room, out of every room, 731 to watchers.
    func userLeft(_ client: Client, quitMessage: String) {
        let quit = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "QUIT", params: [quitMessage])
        relay(quit, to: peers(of: client))
        for folded in client.rooms {
            guard let room = rooms[folded] else { continue }
            room.remove(client.id)
            if room.members.isEmpty { rooms[folded] = nil }
        }
        client.rooms.removeAll()
        if let folded = client.foldedNick, nicks[folded] === client {
            nicks[folded] = nil
            announceDeparture(nick: client.displayNick, folded: folded, leaving: client)
        }
        client.isRegistered = false
        registeredCount -= 1
        if client.userModes.contains("i") { invisibleCount -= 1 }
        userDeparted(client)
    }
}
