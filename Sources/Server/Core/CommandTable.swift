import Shared

/// One command the server understands, with the checks done before its handler runs.
struct CommandSpec: Sendable {
    /// Fewer parameters than this gets 461 ERR_NEEDMOREPARAMS.
    let minParams: Int
    /// Whether the command may be used before registration completes.
    let allowedBeforeRegistration: Bool
    let handler: @Sendable (Server, Client, IRCMessage) -> Void
}

extension Server {
    /// Every command, keyed by its upper-case name. Checked in one place: ``dispatch(_:_:)``.
    static let commandTable: [String: CommandSpec] = [
        "CAP": CommandSpec(minParams: 1, allowedBeforeRegistration: true, handler: { $0.handleCap($1, $2) }),
        "PASS": CommandSpec(minParams: 1, allowedBeforeRegistration: true, handler: { $0.handlePass($1, $2) }),
        "NICK": CommandSpec(minParams: 0, allowedBeforeRegistration: true, handler: { $0.handleNick($1, $2) }),
        "USER": CommandSpec(minParams: 4, allowedBeforeRegistration: true, handler: { $0.handleUser($1, $2) }),
        "PING": CommandSpec(minParams: 1, allowedBeforeRegistration: true, handler: { $0.handlePing($1, $2) }),
        "PONG": CommandSpec(minParams: 0, allowedBeforeRegistration: true, handler: { $0.handlePong($1, $2) }),
        "QUIT": CommandSpec(minParams: 0, allowedBeforeRegistration: true, handler: { $0.handleQuit($1, $2) }),
        "PRIVMSG": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handlePrivmsg($1, $2) }),
        "NOTICE": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleNotice($1, $2) }),
        "TAGMSG": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleTagmsg($1, $2) }),
        "JOIN": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleJoin($1, $2) }),
        "PART": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handlePart($1, $2) }),
        "NAMES": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleNames($1, $2) }),
        "TOPIC": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleTopic($1, $2) }),
        "LIST": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleList($1, $2) }),
        "KICK": CommandSpec(minParams: 2, allowedBeforeRegistration: false, handler: { $0.handleKick($1, $2) }),
        "INVITE": CommandSpec(minParams: 2, allowedBeforeRegistration: false, handler: { $0.handleInvite($1, $2) }),
        "MODE": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleMode($1, $2) }),
        "WHOIS": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleWhois($1, $2) }),
        "WHO": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleWho($1, $2) }),
        "ISON": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleIson($1, $2) }),
        "USERHOST": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleUserhost($1, $2) }),
        "LUSERS": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleLusers($1, $2) }),
        "MOTD": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleMotd($1, $2) }),
        "AWAY": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleAway($1, $2) }),
        "SETNAME": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleSetname($1, $2) }),
        "MONITOR": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleMonitor($1, $2) }),
        "VERSION": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleVersion($1, $2) }),
        "AUTHENTICATE": CommandSpec(minParams: 1, allowedBeforeRegistration: true, handler: { $0.handleAuthenticate($1, $2) }),
        "REGISTER": CommandSpec(minParams: 3, allowedBeforeRegistration: true, handler: { $0.handleRegister($1, $2) }),
        "CHATHISTORY": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleChathistory($1, $2) }),
        "MARKREAD": CommandSpec(minParams: 1, allowedBeforeRegistration: false, handler: { $0.handleMarkread($1, $2) }),
        "TIME": CommandSpec(minParams: 0, allowedBeforeRegistration: false, handler: { $0.handleTime($1, $2) }),
    ]

    /// Parses one line from a client and runs its command.
    func handleLine(_ client: Client, _ bytes: [UInt8]) {
        client.lastReceivedAt = now
        client.pingSentAt = nil
        let message: IRCMessage
        do {
            message = try IRCMessage.parse(bytes, limits: .fromClient)
        } catch {
            reportParseError(error, line: bytes, client: client)
            return
        }
        dispatch(client, message)
    }

    /// The table regrouped by first letter: a lookup compares a few short Strings instead of hashing
    /// one (SipHash showed as a tenth of dispatch in the DM profile).
    static let commandsByInitial: [[(name: String, spec: CommandSpec)]] = {
        var buckets = Array(repeating: [(name: String, spec: CommandSpec)](), count: 26)
        for (name, spec) in commandTable {
            guard let first = name.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { continue }
            buckets[Int(first - UInt8(ascii: "A"))].append((name, spec))
        }
        return buckets
    }()

    /// The table entry for an upper-case command word.
    @inline(__always)
    static func commandSpec(_ command: String) -> CommandSpec? {
        guard let first = command.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else {
            return commandTable[command]
        }
        for entry in commandsByInitial[Int(first - UInt8(ascii: "A"))] where entry.name == command { return entry.spec }
        return nil
    }

    /// Runs a parsed command after the table's checks.
    func dispatch(_ client: Client, _ message: IRCMessage) {
        guard let spec = Self.commandSpec(message.command) else {
            if client.isRegistered {
                reply(client, IRCNumeric.unknownCommand, message.command, "Unknown command")
            } else {
                reply(client, IRCNumeric.notRegistered, "You have not registered")
            }
            return
        }
        guard spec.allowedBeforeRegistration || client.isRegistered else {
            reply(client, IRCNumeric.notRegistered, "You have not registered")
            return
        }
        withLabel(message.tag("label"), for: client) {
            guard message.params.count >= spec.minParams else {
                reply(client, IRCNumeric.needMoreParams, message.command, "Not enough parameters")
                return
            }
            spec.handler(self, client, message)
        }
    }

    private func reportParseError(_ error: IRCParseError, line: [UInt8], client: Client) {
        switch error {
        case .empty, .missingCommand:
            return
        case .lineTooLong, .tagsTooLong:
            reply(client, IRCNumeric.inputTooLong, "Input line was too long")
        case .invalidUTF8:
            fail(client, Self.commandName(in: line) ?? "*", "INVALID_UTF8", [], "Message rejected: this server only accepts UTF-8 text")
        case .forbiddenControlCharacter:
            fail(client, Self.commandName(in: line) ?? "*", "INVALID_PARAMS", [], "Message rejected: it contains a NUL or CR byte")
        case .invalidCommand:
            let name = Self.commandName(in: line) ?? "*"
            reply(client, client.isRegistered ? IRCNumeric.unknownCommand : IRCNumeric.notRegistered,
                  params: client.isRegistered ? [name, "Unknown command"] : ["You have not registered"])
        case .tooManyParams:
            reply(client, IRCNumeric.needMoreParams, Self.commandName(in: line) ?? "*", "Too many parameters")
        }
    }

    /// The command word of a line that did not parse, decoded leniently, for error replies.
    private static func commandName(in line: [UInt8]) -> String? {
        let text = String(decoding: line, as: UTF8.self)
        var words = text.split(separator: " ", omittingEmptySubsequences: true)[...]
        if words.first?.hasPrefix("@") == true { words = words.dropFirst() }
        if words.first?.hasPrefix(":") == true { words = words.dropFirst() }
        guard let word = words.first else { return nil }
        let command = word.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return command.isEmpty ? nil : String(command.prefix(32))
    }
}
