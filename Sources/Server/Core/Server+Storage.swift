import ChatStore
import Glibc
import Shared

/// A request in flight at the store, and what to do when it completes.
enum PendingStoreOperation {
    /// A relayed message whose echo to its sender waits for the commit.
    case relay(PendingRelay)
    /// A direct message to an account whose nick is not online: stored, then handed to the account's
    /// sessions under other nicks, or, with none, echoed with a note to the sender.
    case offline(PendingRelay, targetNick: String, sessionIDs: [Int])
    case register(clientID: Int, label: String?)
    case login(clientID: Int, account: String, method: LoginMethod, label: String?)
    case history(clientID: Int, target: String, label: String?)
    case targets(clientID: Int, label: String?)
    case readMarker(clientID: Int, label: String?, isSet: Bool)
    /// A refresh of the account names, so accounts the operator CLI adds or deletes take effect.
    case accountList
}

/// How a client tried to log in.
enum LoginMethod {
    case sasl
    case pass
}

/// A stored message waiting for its commit; `hasEcho` says whether the next of
/// ``Server/pendingEchoes`` is its echo.
struct PendingCommit {
    let ticket: StoreTicket
    let hasEcho: Bool
}

/// A stored message and who gets it once it is safe on disk (its sender's echo; for an offline
/// account, the echo before the sessions are told).
///
/// A class: one reference to hold in ``Server/pendingEchoes`` or a pending operation, not a
/// large struct to copy.
final class PendingRelay {
    let message: IRCMessage
    let sender: Client
    /// Held directly (no lookup per recipient); a client that left meanwhile has a close reason and is skipped.
    let recipients: [Client]
    /// The sender's echo carries this label (labeled-response), when the command had one.
    let echoLabel: String?

    init(message: IRCMessage, sender: Client, recipients: [Client], echoLabel: String?) {
        self.message = message
        self.sender = sender
        self.recipients = recipients
        self.echoLabel = echoLabel
    }
}

/// Accounts and history hooks into the message flow. The store answers on its own threads; its
/// completions come back through the wake eventfd and are handled here, on the loop thread.
extension Server {
    /// Opens the database and loads the account names. Blocks once, at start-up.
    func openStore() throws {
        var storeConfig = StoreConfiguration(path: config.databasePath)
        storeConfig.caseMapping = caseMapping
        storeConfig.historyEnabled = config.historyEnabled
        storeConfig.historyDays = config.historyDays
        storeConfig.durability = config.durability == "full" ? .full : .normal
        if let scrypt = ScryptParameters(log2N: config.scryptLog2N, blockSize: 8, parallelism: 1) {
            storeConfig.scrypt = scrypt
        }
        let fd = wakeFD
        let opened = try ChatStore(configuration: storeConfig) {
            var one: UInt64 = 1
            _ = Glibc.write(fd, &one, 8)
        }
        accountNames = try opened.database.registeredAccountKeys()
        store = opened
    }

    /// History is on: every message is stored, and its echo waits for the commit.
    var storesHistory: Bool { store != nil && config.historyEnabled }

    // MARK: Hooks called by the command handlers

    func passGiven(_ client: Client, _ password: String) {
        guard config.password == nil else { return }
        client.accountPassword = password
    }

    /// Why `client` may not take the nick `folded` now, or nil. Before registration any nick may be
    /// held while the client logs in; the check is repeated when registration completes.
    func nickRefusal(_ client: Client, folded: String) -> String? {
        guard client.isRegistered, accountNames.contains(folded), fold(client.account ?? "") != folded else { return nil }
        return "Nickname is registered to an account; log in to that account to use it"
    }

    /// False while a login is in flight, or when the nick belongs to an account the client is not
    /// logged in to (then the client is asked for another nick).
    func registrationMayComplete(_ client: Client) -> Bool {
        if client.loginInFlight { return false }
        guard let nick = client.nick, let folded = client.foldedNick else { return false }
        if client.account == nil, let password = client.accountPassword {
            client.accountPassword = nil
            var account = nick
            var secret = password
            // `PASS account:password` logs in to a named account, as bouncers do.
            if let colon = password.firstIndex(of: ":"), accountNames.contains(fold(String(password[..<colon]))) {
                account = String(password[..<colon])
                secret = String(password[password.index(after: colon)...])
            }
            // Asked even when the name is not (yet) known here: the operator CLI may just have added it.
            startLogin(client, account: account, password: secret, method: .pass)
            return false
        }
        if accountNames.contains(folded), fold(client.account ?? "") != folded {
            reply(client, IRCNumeric.nicknameInUse, nick, "Nickname is registered to an account; log in with SASL or PASS, or pick another nick")
            if nicks[folded] === client { nicks[folded] = nil }
            client.nick = nil
            client.foldedNick = nil
            return false
        }
        return true
    }

    /// The 900 of a login made during registration was sent when it happened (see ``logIn``).
    func registrationCompleted(_ client: Client) {}

    func userDeparted(_ client: Client) {}

    /// Sends the room's read marker to clients that track them (draft/read-marker asks for it on JOIN).
    func roomJoined(_ client: Client, room: Room) {
        guard let store, client.has(.readMarker), let account = client.account else { return }
        let ticket = store.readMarker(account: account, target: room.folded)
        pendingStoreOperations[ticket] = .readMarker(clientID: client.id, label: nil, isSet: false)
    }

    /// Capabilities that exist only with a store.
    func extraCapabilities(for client: Client) -> [String] {
        guard store != nil else { return [] }
        let v302 = client.capVersion >= 302
        return [
            v302 ? "\(IRCCapability.sasl)=PLAIN" : IRCCapability.sasl,
            v302 ? "\(IRCCapability.accountRegistration)=before-connect" : IRCCapability.accountRegistration,
            IRCCapability.chathistory,
            IRCCapability.readMarker,
        ]
    }

    func enabledExtraCapabilities(for client: Client) -> [String] {
        var names: [String] = []
        if client.has(.sasl) { names.append(IRCCapability.sasl) }
        if client.has(.accountRegistration) { names.append(IRCCapability.accountRegistration) }
        if client.has(.chathistory) { names.append(IRCCapability.chathistory) }
        if client.has(.readMarker) { names.append(IRCCapability.readMarker) }
        return names
    }

    func capabilityBit(named name: String) -> CapSet? {
        if let bit = CapSet.entry(named: name)?.bit { return bit }
        guard store != nil else { return nil }
        switch name {
        case IRCCapability.sasl: return .sasl
        case IRCCapability.accountRegistration: return .accountRegistration
        case IRCCapability.chathistory: return .chathistory
        case IRCCapability.readMarker: return .readMarker
        default: return nil
        }
    }

    func extraISupportTokens() -> [String] {
        guard let store else { return [] }
        return ["CHATHISTORY=\(store.configuration.maxQueryLimit)", "MSGREFTYPES=timestamp,msgid", "ACCOUNTEXTBAN=a"]
    }

    /// The history identity of a client: its account when logged in, else its nick.
    func historyParty(_ client: Client) -> HistoryParty {
        .sender(nick: client.displayNick, account: client.account)
    }

    /// A direct-message target as a history party: an account when one has that name, else a nick.
    func historyParty(named name: String) -> HistoryParty {
        // Someone online under another nick is their account, so `CHATHISTORY alice_` finds alice's DMs.
        if let online = nicks[fold(name)], online.isRegistered, let account = online.account { return .account(account) }
        return accountNames.contains(fold(name)) ? .account(name) : .nick(name)
    }

    /// Stores a direct message for an account whose nick is not online; false when `target` names no account.
    func offlineDelivery(_ client: Client, command: String, target: String, text: String, clientTags: [IRCTag]) -> Bool {
        let account = fold(target)
        guard command == "PRIVMSG" || command == "NOTICE", let store, config.historyEnabled,
              accountNames.contains(account) else { return false }
        // The account may be online under other nicks (a second device, a nick change): those sessions get it live.
        let sessions = clients.values.filter { $0.isRegistered && $0 !== client && $0.account.map(fold) == account }
        let timeMs = receivedWallMilliseconds()
        let tags = messageTags(from: client, clientTags: clientTags, timeMilliseconds: timeMs)
        let message = IRCMessage(tags: tags, source: client.prefix, command: command, params: [target, text])
        let ticket = store.append(newMessage(message, from: client, timeMs: timeMs, destination: .direct(.account(target)), clientTags: clientTags))
        let echo = client.has(.echoMessage)
        pendingStoreOperations[ticket] = .offline(
            PendingRelay(message: message, sender: client, recipients: echo ? [client] : [], echoLabel: deferLabel(client, if: echo)),
            targetNick: target, sessionIDs: sessions.map(\.id))
        return true
    }

    /// Hands a PRIVMSG or NOTICE to the store when history is on, with the sender's echo (if it gets
    /// one) held until the commit. False when nothing was stored: the caller echoes at once then.
    func storeForHistory(_ message: IRCMessage, from client: Client, target: MessageTarget, timeMs: Int64, echo: Bool) -> Bool {
        guard storesHistory, let store, message.command == "PRIVMSG" || message.command == "NOTICE" else { return false }
        let destination: HistoryConversation
        switch target {
        case .room(let room): destination = .room(room.name)
        case .direct(let recipient): destination = .direct(historyParty(recipient))
        }
        let clientTags = message.tags.filter(\.isClientOnly)
        let ticket = store.stageAppend(newMessage(message, from: client, timeMs: timeMs, destination: destination, clientTags: clientTags),
                                       routeHint: routeHint(client, target))
        let pendingEcho = echo ? PendingRelay(message: message, sender: client, recipients: [client], echoLabel: deferLabel(client)) : nil
        awaitCommit(ticket, echo: pendingEcho)
        return true
    }

    /// The store's route hint for messages from `client` to `target`: both ids, which name the
    /// route for as long as the clients and the room exist (the store confirms it by the names).
    func routeHint(_ client: Client, _ target: MessageTarget) -> UInt64 {
        let destination: UInt64
        switch target {
        case .room(let room): destination = UInt64(truncatingIfNeeded: ObjectIdentifier(room).hashValue) | 1 << 63
        case .direct(let recipient): destination = UInt64(truncatingIfNeeded: recipient.id)
        }
        return UInt64(truncatingIfNeeded: client.id) &* 0x1_0000_0001 ^ destination
    }

    /// Hands the loop turn's staged messages to the storage thread in one piece (the loop calls
    /// it at the end of every turn).
    func handOffStagedAppends() {
        store?.handOffStagedAppends()
    }

    /// Files a stored message's ticket (appends complete in the order they were made, so a FIFO finds
    /// each one without hashing), with the echo that waits for its commit, and pauses reading
    /// when the store has fallen `--store-backlog` messages behind.
    func awaitCommit(_ ticket: StoreTicket, echo: PendingRelay?) {
        pendingRelays.append(PendingCommit(ticket: ticket, hasEcho: echo != nil))
        if let echo { pendingEchoes.append(echo) }
        if !readsPaused && pendingRelays.count - pendingRelayHead >= config.storeBacklog {
            setReadsPaused(true)
        }
    }

    /// What a client's poll entry asks for besides POLLOUT.
    var readInterest: Int16 { readsPaused ? 0 : Int16(POLLIN) }

    /// Stops or restarts reading every client socket (writes and timers go on).
    func setReadsPaused(_ paused: Bool) {
        readsPaused = paused
        let backlog = pendingRelays.count - pendingRelayHead
        if paused {
            readsPausedAt = clock.monotonic()
            logger.debug("\(backlog) messages waiting for the store: reading paused")
        } else {
            let milliseconds = Int((clock.monotonic() - readsPausedAt) * 1000)
            logger.debug("\(backlog) messages waiting for the store: reading resumed after \(milliseconds) ms")
        }
        for index in pollfds.indices {
            guard case .client(let client) = slotOwners[index], client.closeReason == nil else { continue }
            if paused {
                pollfds[index].events &= ~Int16(POLLIN)
            } else {
                pollfds[index].events |= Int16(POLLIN)
            }
        }
    }

    private func newMessage(_ message: IRCMessage, from client: Client, timeMs: Int64, destination: HistoryConversation, clientTags: [IRCTag]) -> NewMessage {
        NewMessage(
            msgid: message.tag("msgid") ?? makeMsgid(), timeMs: timeMs, senderSource: client.prefix, senderNick: client.displayNick,
            senderAccount: client.account, destination: destination, targetName: message.params.first ?? "",
            command: message.command, text: message.params.count > 1 ? message.params[1] : "", tags: clientTags)
    }

    /// When the running command is labeled and its answer will come from the store, keeps the label for it.
    func deferLabel(_ client: Client, if condition: Bool = true) -> String? {
        guard condition, let label = client.currentLabel, client.has(.labeledResponse) else { return nil }
        client.labelDeferred = true
        return label
    }

    /// Asks the store for the account names again (the operator CLI may have changed them).
    func refreshAccountNames() {
        guard let store, !accountRefreshInFlight else { return }
        accountRefreshInFlight = true
        pendingStoreOperations[store.listAccounts()] = .accountList
    }

    // MARK: Completions

    func handleWake() {
        guard let store else { return }
        for completion in store.drainCompletions() {
            if case .messagesStored(let through) = completion.result {
                // One completion for a whole commit: every staged message up to `through` is safe.
                while pendingRelayHead < pendingRelays.count, pendingRelays[pendingRelayHead].ticket.rawValue <= through.rawValue {
                    let pending = takeNextPendingEcho()
                    if let pending { relayStored(pending) }
                }
                continue
            }
            if pendingRelayHead < pendingRelays.count, pendingRelays[pendingRelayHead].ticket == completion.ticket {
                let pending = takeNextPendingEcho()
                if let pending {
                    complete(.relay(pending), with: completion.result)
                } else if case .messageFailed(_, let error) = completion.result {
                    logger.error("a relayed message was not stored: \(error)")
                }
                continue
            }
            if let operation = pendingStoreOperations.removeValue(forKey: completion.ticket) {
                complete(operation, with: completion.result)
            } else if let index = pendingRelays[pendingRelayHead...].firstIndex(where: { $0.ticket == completion.ticket }) {
                // Out of order after all (should not happen): still relay it, never drop it.
                let echoIndex = pendingEchoHead + pendingRelays[pendingRelayHead..<index].count(where: \.hasEcho)
                if pendingRelays.remove(at: index).hasEcho {
                    complete(.relay(pendingEchoes.remove(at: echoIndex)), with: completion.result)
                }
            }
        }
        // Reading resumes well below the pause mark, so the loop does not flip on every commit.
        if readsPaused && pendingRelays.count - pendingRelayHead <= config.storeBacklog / 4 {
            setReadsPaused(false)
        }
        Self.compact(&pendingRelays, head: &pendingRelayHead)
        Self.compact(&pendingEchoes, head: &pendingEchoHead)
    }

    /// Drops a FIFO's consumed front (everything before `head`): all of it once drained, keeping
    /// a modest buffer for the next turn, or in one move once more than 1,024 entries are consumed.
    private static func compact<Element>(_ fifo: inout [Element], head: inout Int) {
        if head == fifo.count {
            fifo.removeAll(keepingCapacity: fifo.capacity <= 4096)
            head = 0
        } else if head > 1024 {
            fifo.removeFirst(head)
            head = 0
        }
    }

    /// Moves past the oldest pending commit; its echo, if it has one.
    private func takeNextPendingEcho() -> PendingRelay? {
        let entry = pendingRelays[pendingRelayHead]
        pendingRelayHead += 1
        guard entry.hasEcho, pendingEchoHead < pendingEchoes.count else { return nil }
        let echo = pendingEchoes[pendingEchoHead]
        pendingEchoHead += 1
        return echo
    }

    private func complete(_ operation: PendingStoreOperation, with result: StoreResult) {
        switch operation {
        case .relay(let pending):
            if case .messageFailed(_, let error) = result {
                messageNotStored(pending, error: error, delivered: true)
                return
            }
            relayStored(pending)
        case .offline(let pending, let targetNick, let sessionIDs):
            if case .messageFailed(_, let error) = result {
                messageNotStored(pending, error: error, delivered: false)
                return
            }
            relayStored(pending)
            let sessions = sessionIDs.compactMap { clients[$0] }
            for session in sessions {
                // Addressed to the session's own nick, so clients file it as a DM; the msgid matches history.
                var copy = pending.message
                copy.params[0] = session.displayNick
                relay(copy, to: [session])
            }
            if sessions.isEmpty, pending.sender.closeReason == nil, pending.message.command == "PRIVMSG" {
                let sender = pending.sender
                send(IRCMessage(source: config.serverName, command: "NOTICE", params: [
                    sender.displayNick, "\(targetNick) is offline; your message is stored and will be delivered at their next login",
                ]), to: sender)
            }
        case .register(let clientID, let label):
            guard let client = clients[clientID] else { return }
            client.loginInFlight = false
            withLabel(label, for: client) { registrationFinished(client, result) }
            tryCompleteRegistration(client)
        case .login(let clientID, let account, let method, let label):
            guard let client = clients[clientID] else { return }
            client.loginInFlight = false
            withLabel(label, for: client) { loginFinished(client, account: account, method: method, result) }
            tryCompleteRegistration(client)
        case .history(let clientID, let target, let label):
            guard let client = clients[clientID] else { return }
            sendHistory(client, target: target, label: label, result)
        case .targets(let clientID, let label):
            guard let client = clients[clientID] else { return }
            sendTargets(client, label: label, result)
        case .accountList:
            accountRefreshInFlight = false
            guard case .accounts(let accounts) = result else { return }
            accountNames = Set(accounts.map { fold($0.name) })
        case .readMarker(let clientID, let label, let isSet):
            guard case .readMarker(let account, let target, let timeMs) = result else {
                if let client = clients[clientID] { withLabel(label, for: client) { fail(client, "MARKREAD", "INTERNAL_ERROR", [], "Read marker unavailable") } }
                return
            }
            let value = timeMs.map { "timestamp=" + IRCTime.format(millisecondsSince1970: $0) } ?? "*"
            let shownTarget = rooms[target]?.name ?? target
            let line = IRCMessage(source: config.serverName, command: "MARKREAD", params: [shownTarget, value])
            if isSet {
                // Every session of the account learns the new marker, so they all agree on what was read.
                for other in clients.values where other.has(.readMarker) && other.account.map(fold) == fold(account) && other.id != clientID {
                    send(line, to: other)
                }
            }
            if let client = clients[clientID] { withLabel(label, for: client) { send(line, to: client) } }
        }
    }

    private func relayStored(_ pending: PendingRelay) {
        guard let label = pending.echoLabel else {
            relay(pending.message, to: pending.recipients)
            return
        }
        var recipients: [Client] = []
        recipients.reserveCapacity(pending.recipients.count)
        for client in pending.recipients {
            if client === pending.sender {
                var labeled = pending.message
                labeled.setTag("label", label)
                send(labeled, to: client)
            } else {
                recipients.append(client)
            }
        }
        relay(pending.message, to: recipients)
    }

    /// Tells the sender its message is not in history: relayed messages reached their recipients
    /// already; a message for an offline account reached nobody.
    private func messageNotStored(_ pending: PendingRelay, error: StoreError, delivered: Bool) {
        let sender = pending.sender
        guard sender.closeReason == nil else { return }
        logger.error("message \(pending.message.tag("msgid") ?? "?") not stored: \(error)")
        var failure = IRCMessage(source: config.serverName, command: "FAIL", params: [
            pending.message.command, "MESSAGE_ERROR", pending.message.params.first ?? "*",
            delivered ? "Your message was delivered but could not be stored in history"
                : "Your message could not be stored, so it was not delivered; please send it again",
        ])
        if let label = pending.echoLabel { failure.setTag("label", label) }
        send(failure, to: sender)
    }

    /// Closes the database after the last group commit.
    func shutdownStorage() {
        guard let store else { return }
        store.close()
        handleWake()
        for client in clients.values { writeOut(client) }
    }
}
