import Testing
import Shared

/// Each error numeric the issue names, provoked on purpose.
@Suite("Error numerics")
struct ErrorNumericTests {
    @Test("401 ERR_NOSUCHNICK for a DM to nobody, with the nick")
    func noSuchNick() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("PRIVMSG ghost :hello?")
        try alice.expectNumeric("401", "ghost")
        try alice.send("WHOIS ghost")
        try alice.expectNumeric("401", "ghost")
    }

    @Test("403 ERR_NOSUCHCHANNEL for a room that does not exist")
    func noSuchChannel() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("PRIVMSG #nowhere :hello?")
        try alice.expect("403 or 401 for #nowhere") { ($0.command == "403" || $0.command == "401") && $0.param(1) == "#nowhere" }
        try alice.send("TOPIC #nowhere")
        try alice.expect("403 or 442") { ($0.command == "403" || $0.command == "442") && $0.param(1) == "#nowhere" }
    }

    @Test("404 ERR_CANNOTSENDTOCHAN from outside a +n room")
    func cannotSendToChan() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("JOIN #closed")
        try alice.expectNumeric("366")
        try alice.send("MODE #closed +n")
        try alice.sync()
        try bob.send("PRIVMSG #closed :let me in")
        try bob.expectNumeric("404", "#closed")
        try alice.expectNone("a message from outside a +n room") { $0.command == "PRIVMSG" }
    }

    @Test("407 ERR_TOOMANYTARGETS past TARGMAX, and nothing is half-sent")
    func tooManyTargets() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        var isupport = ISupport()
        try alice.send("VERSION")
        for message in try alice.sync() where message.command == "005" { isupport.apply(message) }
        let targmax = isupport["TARGMAX"].flatMap { value in
            value.split(separator: ",").first { $0.hasPrefix("PRIVMSG:") }.flatMap { Int($0.dropFirst(8)) }
        } ?? 4
        let bob = try server.client("bob")
        let targets = ["bob"] + (1...targmax).map { "n\($0)" }
        try alice.send("PRIVMSG \(targets.joined(separator: ",")) :spam")
        try alice.expect("407") { $0.command == "407" }
        try bob.expectNone("part of a refused multi-target message") { $0.command == "PRIVMSG" }
    }

    @Test("411 ERR_NORECIPIENT and 412 ERR_NOTEXTTOSEND")
    func noRecipientNoText() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        _ = try server.client("bob")
        try alice.send("PRIVMSG")
        try alice.expect("411 or 461") { $0.command == "411" || $0.command == "461" }
        try alice.send("NOTICE")
        try alice.expect("411 or 461") { $0.command == "411" || $0.command == "461" }
        try alice.send("PRIVMSG bob")
        try alice.expectNumeric("412")
        try alice.send("PRIVMSG bob :")
        try alice.expectNumeric("412")
    }

    @Test("417 ERR_INPUTTOOLONG for a line over 512 bytes; the connection stays usable")
    func inputTooLong() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("PRIVMSG bob :" + String(repeating: "a", count: 600))
        try alice.expectNumeric("417")
        try bob.expectNone("a truncated copy of the long line") { $0.command == "PRIVMSG" }
        try alice.send("PRIVMSG bob :short")
        #expect(try bob.expect("PRIVMSG").params.last == "short")
    }

    @Test("421 ERR_UNKNOWNCOMMAND names the command")
    func unknownCommand() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("FROBNICATE now")
        try alice.expectNumeric("421", "FROBNICATE")
    }

    @Test("451 ERR_NOTREGISTERED before registration")
    func notRegistered() throws {
        let server = try ChatServer.start()
        let client = try server.connection("early")
        try client.send("PRIVMSG bob :too early")
        try client.expect("451") { $0.command == "451" }
    }

    @Test("461 ERR_NEEDMOREPARAMS names the command", arguments: ["JOIN", "PART", "KICK #r", "INVITE bob", "TOPIC", "MODE", "USER a", "WHOIS"])
    func needMoreParams(_ line: String) throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send(line)
        let command = String(line.split(separator: " ")[0])
        let reply = try alice.expect("461 for \(line)") { ["461", "431", "462"].contains($0.command) }
        if reply.command == "461" { #expect(reply.param(1) == command) }
    }

    @Test("462 ERR_ALREADYREGISTERED for USER after registration")
    func alreadyRegistered() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("USER alice 0 * :Again")
        try alice.expectNumeric("462")
    }

    @Test("442 ERR_NOTONCHANNEL and 482 ERR_CHANOPRIVSNEEDED")
    func notOnChannelAndNotOp() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        let bob = try server.client("bob")
        try alice.send("JOIN #r")
        try alice.expectNumeric("366")
        try bob.send("TOPIC #r :x")
        try bob.expect("442") { $0.command == "442" }
        try bob.send("JOIN #r")
        try bob.expectNumeric("366")
        try bob.send("MODE #r +t")
        try bob.expectNumeric("482", "#r")
    }

    @Test("476 / 403 for a malformed room name")
    func badChanMask() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("JOIN #bad\u{7}name")
        try alice.expect("476 or 403") { $0.command == "476" || $0.command == "403" }
    }
    @Test("user modes: MODE <me> is 221, MODE <someone else> is 502, an unknown user mode is 501")
    func userModes() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        _ = try server.client("bob")
        try alice.send("MODE alice")
        try alice.expectNumeric("221")
        try alice.send("MODE bob +i")
        try alice.expectNumeric("502")
        try alice.send("MODE alice +Q")
        try alice.expectNumeric("501")
    }
    @Test("411 for a target list with no target in it, and 461 for JOIN of an empty list, never silence")
    func emptyTargetLists() throws {
        let server = try ChatServer.start()
        let alice = try server.client("alice")
        try alice.send("PRIVMSG ,,, :to nobody")
        try alice.expectNumeric("411")
        try alice.send("JOIN ,,,")
        try alice.expect("an error for JOIN ,,,") { ["461", "403", "476"].contains($0.command) }
    }
}
