import ChatStore
import Shared

/// CHATHISTORY (draft/chathistory) and MARKREAD (draft/read-marker).
extension Server {
    /// `CHATHISTORY LATEST|BEFORE|AFTER|AROUND <target> <ref> <limit>`, `BETWEEN <target> <ref> <ref> <limit>`,
    /// `TARGETS <timestamp> <timestamp> <limit>`. Answered in a `chathistory` batch once the store replies.
    func handleChathistory(_ client: Client, _ message: IRCMessage) {
        guard let store else {
            reply(client, IRCNumeric.unknownCommand, "CHATHISTORY", "Unknown command")
            return
        }
        let subcommand = message.params[0].uppercased()
        let params = Array(message.params.dropFirst())
        func invalid(_ text: String) {
            fail(client, "CHATHISTORY", "INVALID_PARAMS", [subcommand], text)
        }
        if subcommand == "TARGETS" {
            guard params.count >= 3 else {
                fail(client, "CHATHISTORY", "NEED_MORE_PARAMS", [subcommand], "Not enough parameters")
                return
            }
            guard case .timestamp(let from)? = Self.parseBound(params[0]), case .timestamp(let to)? = Self.parseBound(params[1]) else {
                invalid("TARGETS takes two timestamp= bounds")
                return
            }
            guard let limit = Int(params[2]), limit > 0 else {
                invalid("The limit must be a positive number")
                return
            }
            let roomNames = client.rooms.compactMap { rooms[$0]?.name }
            var request = TargetsRequest(requester: historyParty(client), rooms: roomNames, fromMs: from, toMs: to, limit: limit)
            request.directVisibleFromMs = guestVisibleFrom(client)
            let ticket = store.targets(request)
            pendingStoreOperations[ticket] = .targets(clientID: client.id, label: deferLabel(client))
            return
        }
        let needed = subcommand == "BETWEEN" ? 4 : 3
        guard ["LATEST", "BEFORE", "AFTER", "AROUND", "BETWEEN"].contains(subcommand) else {
            fail(client, "CHATHISTORY", "INVALID_PARAMS", [subcommand], "Unknown CHATHISTORY subcommand")
            return
        }
        guard params.count >= needed else {
            fail(client, "CHATHISTORY", "NEED_MORE_PARAMS", [subcommand], "Not enough parameters")
            return
        }
        let target = params[0]
        guard let limit = Int(params[needed - 1]), limit > 0 else {
            invalid("The limit must be a positive number")
            return
        }
        let query: HistoryQuery
        switch subcommand {
        case "LATEST":
            if params[1] == "*" {
                query = .latest(after: nil)
            } else if let bound = Self.parseBound(params[1]) {
                query = .latest(after: bound)
            } else { return invalid("Expected * or timestamp= or msgid=") }
        case "BETWEEN":
            guard let first = Self.parseBound(params[1]), let second = Self.parseBound(params[2]) else {
                return invalid("Expected timestamp= or msgid= bounds")
            }
            query = .between(first, second)
        default:
            guard let bound = Self.parseBound(params[1]) else { return invalid("Expected timestamp= or msgid=") }
            switch subcommand {
            case "BEFORE": query = .before(bound)
            case "AFTER": query = .after(bound)
            default: query = .around(bound)
            }
        }
        let conversation: HistoryConversation
        if IRCNames.isRoom(target) {
            // A room's history is for its current members only.
            guard let room = rooms[fold(target)], room.members[client.id] != nil else {
                fail(client, "CHATHISTORY", "INVALID_TARGET", [subcommand, target], "You are not in that room")
                return
            }
            conversation = .room(room.name)
        } else {
            guard IRCNames.isValidNick(target, maxLength: 64) else {
                fail(client, "CHATHISTORY", "INVALID_TARGET", [subcommand, target], "No such target")
                return
            }
            conversation = .direct(historyParty(named: target))
        }
        var request = HistoryRequest(requester: historyParty(client), conversation: conversation, query: query, limit: limit)
        request.directVisibleFromMs = guestVisibleFrom(client)
        let ticket = store.history(request)
        pendingStoreOperations[ticket] = .history(clientID: client.id, target: target, label: deferLabel(client))
    }

    /// A guest's direct history starts when it connected: a nick is not an identity, so whoever
    /// used the nick before keeps their conversations. Accounts see all of theirs. The accept's own
    /// wall-clock stamp, not one derived from the loop clock: a message read in the millisecond of
    /// the accept carries that millisecond, and a derived floor could round past it.
    func guestVisibleFrom(_ client: Client) -> Int64? {
        guard client.account == nil else { return nil }
        return client.connectedWallMs
    }

    /// `timestamp=…` or `msgid=…`.
    static func parseBound(_ text: String) -> HistoryBound? {
        if text.hasPrefix("timestamp=") {
            return IRCTime.parse(String(text.dropFirst(10))).map { .timestamp($0) }
        }
        if text.hasPrefix("msgid="), text.count > 6 {
            return .msgid(String(text.dropFirst(6)))
        }
        return nil
    }

    func sendHistory(_ client: Client, target: String, label: String?, _ result: StoreResult) {
        guard case .history(let messages) = result else {
            var failure = IRCMessage(source: config.serverName, command: "FAIL", params: ["CHATHISTORY", "MESSAGE_ERROR", target, "History is unavailable right now"])
            if let label { failure.setTag("label", label) }
            send(failure, to: client)
            return
        }
        sendBatch(client, type: "chathistory", parameters: [target], label: label, messages.map { $0.ircMessage() })
    }

    func sendTargets(_ client: Client, label: String?, _ result: StoreResult) {
        guard case .targets(let targets) = result else {
            var failure = IRCMessage(source: config.serverName, command: "FAIL", params: ["CHATHISTORY", "MESSAGE_ERROR", "TARGETS", "History is unavailable right now"])
            if let label { failure.setTag("label", label) }
            send(failure, to: client)
            return
        }
        let lines = targets.map { target in
            IRCMessage(source: config.serverName, command: "CHATHISTORY", params: ["TARGETS", target.name, IRCTime.format(millisecondsSince1970: target.latestTimeMs)])
        }
        sendBatch(client, type: "draft/chathistory-targets", parameters: [], label: label, lines)
    }

    /// Wraps messages in a batch when the client negotiated `batch`; the label goes on the opening line.
    private func sendBatch(_ client: Client, type: String, parameters: [String], label: String?, _ messages: [IRCMessage]) {
        guard client.has(.batch) else {
            for var message in messages {
                if let label, messages.count == 1 { message.setTag("label", label) }
                send(message, to: client)
            }
            if messages.isEmpty, let label, client.has(.labeledResponse) {
                send(IRCMessage(tags: [IRCTag("label", label)], source: config.serverName, command: "ACK"), to: client)
            }
            return
        }
        let id = makeBatchID()
        var start = IRCMessage(source: config.serverName, command: "BATCH", params: ["+" + id, type] + parameters)
        if let label { start.setTag("label", label) }
        send(start, to: client)
        for var message in messages {
            message.setTag("batch", id)
            send(message, to: client)
        }
        send(IRCMessage(source: config.serverName, command: "BATCH", params: ["-" + id]), to: client)
    }

    /// `MARKREAD <target> [timestamp=…]`: reads or moves the account's read marker for a target.
    func handleMarkread(_ client: Client, _ message: IRCMessage) {
        guard let store else {
            reply(client, IRCNumeric.unknownCommand, "MARKREAD", "Unknown command")
            return
        }
        let target = message.params[0]
        guard let account = client.account else {
            fail(client, "MARKREAD", "ACCOUNT_REQUIRED", [target], "Read markers need an account; log in first")
            return
        }
        guard IRCNames.isRoom(target) || IRCNames.isValidNick(target, maxLength: 64) else {
            fail(client, "MARKREAD", "INVALID_PARAMS", [target], "Invalid target")
            return
        }
        let key = fold(target)
        guard let value = message.param(1) else {
            let ticket = store.readMarker(account: account, target: key)
            pendingStoreOperations[ticket] = .readMarker(clientID: client.id, label: deferLabel(client), isSet: false)
            return
        }
        guard case .timestamp(let timeMs)? = Self.parseBound(value) else {
            fail(client, "MARKREAD", "INVALID_PARAMS", [target, value], "Expected timestamp=YYYY-MM-DDThh:mm:ss.sssZ")
            return
        }
        let ticket = store.markRead(account: account, target: key, timeMs: timeMs)
        pendingStoreOperations[ticket] = .readMarker(clientID: client.id, label: deferLabel(client), isSet: true)
    }
}
