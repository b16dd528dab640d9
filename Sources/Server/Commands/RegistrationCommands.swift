import Shared

extension Server {
    /// `PASS password`: the server password, checked when registration completes.
    func handlePass(_ client: Client, _ message: IRCMessage) {
        guard !client.isRegistered else {
            reply(client, IRCNumeric.alreadyRegistered, "You may not reregister")
            return
        }
        if let password = config.password {
            client.passwordAccepted = message.params[0] == password
        }
        passGiven(client, message.params[0])
    }

    /// `NICK newnick`: sets the nick before registration, changes it after.
    func handleNick(_ client: Client, _ message: IRCMessage) {
        guard let requested = message.param(0), !requested.isEmpty else {
            reply(client, IRCNumeric.noNicknameGiven, "No nickname given")
            return
        }
        guard IRCNames.isValidNick(requested, maxLength: config.nickLength) else {
            reply(client, IRCNumeric.erroneousNickname, requested, "Erroneous nickname")
            return
        }
        let folded = fold(requested)
        if let holder = nicks[folded], holder !== client {
            reply(client, IRCNumeric.nicknameInUse, requested, "Nickname is already in use")
            return
        }
        if let refusal = nickRefusal(client, folded: folded) {
            reply(client, IRCNumeric.nicknameInUse, requested, refusal)
            return
        }
        if requested == client.nick { return }
        guard client.isRegistered, let oldNick = client.nick, let oldFolded = client.foldedNick else {
            if let old = client.foldedNick, nicks[old] === client { nicks[old] = nil }
            client.nick = requested
            client.foldedNick = folded
            nicks[folded] = client
            tryCompleteRegistration(client)
            return
        }
        let change = IRCMessage(tags: messageTags(from: client), source: client.prefix, command: "NICK", params: [requested])
        relay(change, to: [client] + peers(of: client))
        nicks[oldFolded] = nil
        client.nick = requested
        client.foldedNick = folded
        nicks[folded] = client
        // Roster and MONITOR watchers see a nick change as the old nick leaving and the new one arriving.
        announceDeparture(nick: oldNick, folded: oldFolded)
        announceArrival(client)
    }

    /// `USER user 0 * :realname`.
    func handleUser(_ client: Client, _ message: IRCMessage) {
        guard !client.isRegistered, client.user == nil else {
            reply(client, IRCNumeric.alreadyRegistered, "You may not reregister")
            return
        }
        let cleaned = message.params[0].filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard !cleaned.isEmpty else {
            reply(client, IRCNumeric.needMoreParams, "USER", "Not enough parameters")
            return
        }
        client.user = "~" + String(cleaned.prefix(16))
        client.realname = String(message.params[3].prefix(config.realnameLength))
        tryCompleteRegistration(client)
    }

    /// `PING token`: answered with `PONG server token`.
    func handlePing(_ client: Client, _ message: IRCMessage) {
        send(IRCMessage(source: config.serverName, command: "PONG", params: [config.serverName, message.params[0]]), to: client)
    }

    /// `PONG token`: any line already counts as activity, so there is nothing more to do.
    func handlePong(_ client: Client, _ message: IRCMessage) {
        if message.params.isEmpty {
            reply(client, IRCNumeric.noOrigin, "No origin specified")
        }
    }

    /// `QUIT [:reason]`.
    func handleQuit(_ client: Client, _ message: IRCMessage) {
        let reason = message.param(0).map { "Quit: " + $0 } ?? "Client Quit"
        disconnect(client, reason: String(reason.prefix(config.awayLength)))
    }

    /// Completes registration once NICK, USER and CAP END (if negotiation started) are in.
    func tryCompleteRegistration(_ client: Client) {
        guard !client.isRegistered, client.closeReason == nil, let nick = client.nick, client.user != nil,
              !client.capNegotiationOpen, registrationMayComplete(client) else { return }
        guard client.passwordAccepted else {
            reply(client, IRCNumeric.passwdMismatch, "Password incorrect")
            disconnect(client, reason: "Bad password")
            return
        }
        client.isRegistered = true
        registeredCount += 1
        reply(client, IRCNumeric.welcome, "Welcome to the \(config.network) IRC Network \(client.prefix)")
        reply(client, IRCNumeric.yourHost, "Your host is \(config.serverName), running version \(config.version)")
        reply(client, IRCNumeric.created, "This server was created \(createdText)")
        reply(client, IRCNumeric.myInfo, config.serverName, config.version, "iw", "biklmnost", "bklov")
        sendISupport(client)
        sendLusers(client)
        sendMotd(client)
        if client.has(.roster) { sendFullRoster(client) }
        announceArrival(client)
        registrationCompleted(client)
        logger.debug("registered \(nick) from \(client.ip)")
    }

    /// The 005 tokens, thirteen to a line.
    func isupportTokens() -> [String] {
        var tokens = [
            "AWAYLEN=\(config.awayLength)",
            "CASEMAPPING=\(caseMapping.rawValue)",
            "CHANLIMIT=#:\(config.maxRoomsPerClient)",
            "CHANMODES=b,k,l,imnst",
            "CHANNELLEN=\(config.roomLength)",
            "CHANTYPES=#",
            "ELIST=",
            "HOSTLEN=64",
            "KICKLEN=\(config.kickLength)",
            "LINELEN=512",
            "MAXLIST=b:100",
            "MODES=4",
            "MONITOR=\(config.monitorLimit)",
            "NETWORK=\(config.network)",
            "NICKLEN=\(config.nickLength)",
            "PREFIX=(ov)@+",
            "SAFELIST",
            "STATUSMSG=@+",
            "TARGMAX=PRIVMSG:\(config.maxTargets),NOTICE:\(config.maxTargets),TAGMSG:\(config.maxTargets),JOIN:,PART:,KICK:1,NAMES:1,WHOIS:1,MONITOR:",
            "TOPICLEN=\(config.topicLength)",
            "USERLEN=17",
            "UTF8ONLY",
            "WHOX",
        ]
        tokens += extraISupportTokens()
        return tokens
    }

    /// The 005 lines, thirteen tokens to a line (at registration and for VERSION).
    func sendISupport(_ client: Client) {
        let tokens = isupportTokenCache
        var start = 0
        while start < tokens.count {
            let chunk = Array(tokens[start..<min(start + 13, tokens.count)])
            reply(client, IRCNumeric.isupport, params: chunk + ["are supported by this server"])
            start += 13
        }
    }
}
