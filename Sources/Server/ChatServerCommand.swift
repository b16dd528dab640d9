import ArgumentParser
import Foundation
import Logging

/// `chat-server`: the headless IRC server. Without a subcommand it serves; `account …` manages accounts.
@main
struct ChatServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-server",
        abstract: "A single-threaded poll(2) IRC server with rooms, a live roster, accounts and history.",
        subcommands: [AccountCommand.self]
    )

    @Option(name: .long, help: ArgumentHelp("Address to listen on, HOST:PORT or [V6HOST]:PORT; repeatable. Port 0 picks a free one.", valueName: "host:port"))
    var listen: [String] = []
    @Option(name: .long, help: "Server name shown to clients.") var name = "chat.localhost"
    @Option(name: .long, help: "Network name (ISUPPORT NETWORK).") var network = "chat"
    @Option(name: .long, help: ArgumentHelp("File whose lines are the message of the day.", valueName: "file")) var motd: String?
    @Option(name: .long, help: "Server password clients must send with PASS.") var password: String?
    @Option(name: .long, help: "Most clients connected at once.") var maxClients = 10_000
    @Option(name: .long, help: "Most clients from one IP address.") var maxClientsPerIp = 64
    @Option(name: .long, help: ArgumentHelp("Receive buffer cap per client, in bytes.", valueName: "bytes")) var recvq = 16 * 1024
    @Option(name: .long, help: ArgumentHelp("Send queue cap per client, in bytes; over it the client is disconnected.", valueName: "bytes")) var sendq = 1024 * 1024
    @Option(name: .long, help: ArgumentHelp("Lines per second a client may sustain; 0 turns flood control off.", valueName: "lines")) var floodRate = 5.0
    @Option(name: .long, help: ArgumentHelp("Lines a client may send in a burst.", valueName: "lines")) var floodBurst = 20
    @Option(name: .long, help: "Longest nick.") var nickLength = 30
    @Option(name: .long, help: "Longest room name.") var roomLength = 64
    @Option(name: .long, help: "Longest topic.") var topicLength = 300
    @Option(name: .long, help: "Most rooms one client may be in.") var maxRooms = 100
    @Option(name: .long, help: "Most MONITOR entries per client.") var monitorLimit = 100
    @Option(name: .long, help: ArgumentHelp("Seconds a connection has to register.", valueName: "seconds")) var registrationTimeout = 30.0
    @Option(name: .long, help: ArgumentHelp("Seconds of silence before the server sends PING.", valueName: "seconds")) var pingInterval = 120.0
    @Option(name: .long, help: ArgumentHelp("Seconds to wait for any reply to a PING before disconnecting.", valueName: "seconds")) var idleTimeout = 60.0
    @Option(name: .long, help: ArgumentHelp("SQLite database for accounts and history; ':memory:' for a throwaway one.", valueName: "path")) var db = ChatServerCommand.defaultDatabasePath
    @Option(name: .long, help: ArgumentHelp("scrypt cost for new password hashes, as log2(N) (10...20).", valueName: "log2n")) var scryptCost = 15
    @Option(name: .long, help: "Commit durability: 'normal' survives a crash of the server, 'full' also a power cut.") var durability = "normal"
    @Flag(name: .long, help: "Do not store message history.") var noHistory = false
    @Option(name: .long, help: ArgumentHelp("Delete history older than this many days.", valueName: "days")) var historyDays: Int?
    @Option(name: .long, help: ArgumentHelp("Messages the store may fall behind before client sockets stop being read (until it is back under a quarter of it).", valueName: "messages")) var storeBacklog = 131_072
    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "notice"

    func validate() throws {
        for text in listen where ListenAddress(parsing: text) == nil {
            throw ValidationError("--listen '\(text)' is not HOST:PORT (IPv6: [::1]:PORT)")
        }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level '\(logLevel)' is not a log level") }
        let positive: [(String, Int)] = [("--max-clients", maxClients), ("--max-clients-per-ip", maxClientsPerIp), ("--recvq", recvq),
                                         ("--sendq", sendq), ("--flood-burst", floodBurst), ("--nick-length", nickLength),
                                         ("--room-length", roomLength), ("--topic-length", topicLength), ("--max-rooms", maxRooms),
                                         ("--monitor-limit", monitorLimit), ("--store-backlog", storeBacklog)]
        for (flag, value) in positive where value <= 0 { throw ValidationError("\(flag) must be positive") }
        if recvq < 512 { throw ValidationError("--recvq must be at least 512 bytes") }
        if sendq < 4096 { throw ValidationError("--sendq must be at least 4096 bytes") }
        if floodRate < 0 { throw ValidationError("--flood-rate must be 0 (off) or positive") }
        if roomLength < 2 { throw ValidationError("--room-length must be at least 2") }
        if registrationTimeout <= 0 || pingInterval <= 0 || idleTimeout <= 0 { throw ValidationError("timeouts must be positive") }
        if !(10...20).contains(scryptCost) { throw ValidationError("--scrypt-cost must be between 10 and 20") }
        if durability != "normal" && durability != "full" { throw ValidationError("--durability must be normal or full") }
        if let historyDays, historyDays <= 0 { throw ValidationError("--history-days must be positive") }
        if let motd, !FileManager.default.isReadableFile(atPath: motd) { throw ValidationError("--motd '\(motd)' cannot be read") }
    }

    func makeConfig() throws -> ServerConfig {
        var config = ServerConfig()
        if !listen.isEmpty { config.listen = listen.compactMap(ListenAddress.init(parsing:)) }
        config.serverName = name
        config.network = network
        if let motd {
            let text = try String(contentsOfFile: motd, encoding: .utf8)
            config.motdLines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.prefix(400)) }
            if config.motdLines?.last == "" { config.motdLines?.removeLast() }
        }
        config.password = password
        config.maxClients = maxClients
        config.maxClientsPerIP = maxClientsPerIp
        config.recvQBytes = recvq
        config.sendQBytes = sendq
        config.storeBacklog = storeBacklog
        config.floodRate = floodRate
        config.floodBurst = floodBurst
        config.nickLength = nickLength
        config.roomLength = roomLength
        config.topicLength = topicLength
        config.maxRoomsPerClient = maxRooms
        config.monitorLimit = monitorLimit
        config.registrationTimeout = registrationTimeout
        config.pingInterval = pingInterval
        config.idleTimeout = idleTimeout
        config.databasePath = db
        config.historyEnabled = !noHistory
        config.historyDays = historyDays
        config.durability = durability
        config.scryptLog2N = scryptCost
        if db != ":memory:" {
            let folder = URL(fileURLWithPath: db).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        return config
    }

    /// `$XDG_DATA_HOME/chat/chat.db`, else `~/.local/share/chat/chat.db`.
    static var defaultDatabasePath: String {
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/chat/chat.db" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/chat/chat.db"
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "chat-server")
        let config = try makeConfig()
        let server = Server(config: config, logger: logger)
        do {
            try server.start()
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        server.run()
    }
}
