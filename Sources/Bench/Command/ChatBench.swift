import ArgumentParser
import Glibc

/// `chat-bench`: an IRC load generator that drives any server with plain IRC and checks every
/// message it delivers.
@main
struct ChatBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-bench",
        abstract: "Drive an IRC server with a benchmark scenario and check every delivery.",
        discussion: """
        Prints one machine-readable line (kind=result … or kind=error …) on standard output.
        Exits 1 when anything was lost, duplicated, reordered or misrouted, or the run timed out.
        Scenarios: dm (throughput), latency (fixed rate), fanout (room), idle (memory per
        connection), join (join storm), roster (arrival storm with roster cap or MONITOR).
        """
    )

    @Option(name: .long, help: "Server address, HOST:PORT or [V6]:PORT (numeric).")
    var server: String

    @Option(name: .long, help: "Scenario: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scenario: String

    @Option(name: .long, help: "A name for the server in the output.")
    var label: String = "server"

    @Option(name: .long, help: "Worker threads, each with its own poll loop (join and roster storms always use one).")
    var threads: Int = 1

    @Option(name: .long, help: "dm/latency: client pairs; both ends of each pair send.")
    var pairs: Int = 50

    @Option(name: .long, help: "dm/fanout: messages in flight per sender.")
    var window: Int = 64

    @Option(name: .long, help: "dm/latency: seconds of sending.")
    var duration: Double = 4

    @Option(name: .long, help: "latency: leading seconds whose samples are not counted.")
    var warmup: Double = 0.5

    @Option(name: .long, help: "latency: total messages per second over all senders.")
    var rate: Double = 20_000

    @Option(name: .long, help: "fanout: room members, one of whom sends.")
    var members: Int = 500

    @Option(name: .long, help: "fanout: messages the sender sends.")
    var messages: Int = 4_000

    @Option(name: .long, help: "idle/join/roster: clients (default 10000 idle, 1000 join and roster).")
    var clients: Int?

    @Option(name: .long, help: "idle: clients that register one after another once all idle clients are in, to time registration.")
    var probes: Int = 10

    @Option(name: .long, help: "Length of each message text in bytes (at least 32).")
    var textBytes: Int = 64

    @Option(name: .long, help: "Room name for fanout and join.")
    var room: String = "#bench"

    @Option(name: .long, help: "roster: cap (chat.localhost/roster), monitor (MONITOR everyone) or none.")
    var rosterMode: String = "cap"

    @Option(name: .long, help: "Comma-separated local addresses to bind client sockets to, in turn.")
    var sourceAddresses: String?

    @Option(name: .long, help: "Server PID, to read its CPU time and resident memory.")
    var serverPid: Int32?

    @Option(name: .long, help: "Registrations in progress at once per worker.")
    var connectConcurrency: Int = 8

    @Option(name: .long, help: "Seconds any one phase may take before the run fails.")
    var timeout: Double = 60

    @Option(name: .long, help: "idle: seconds to let the server settle before reading its memory.")
    var settle: Double = 1

    func validate() throws {
        guard Endpoint(hostPort: server) != nil else { throw ValidationError("--server must be a numeric HOST:PORT, got '\(server)'") }
        guard Scenario(rawValue: scenario) != nil else { throw ValidationError("unknown --scenario '\(scenario)'") }
        guard RosterMode(rawValue: rosterMode) != nil else { throw ValidationError("--roster-mode must be cap, monitor or none") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be 1…64") }
        guard pairs >= 1, window >= 1, members >= 2, messages >= 1 else { throw ValidationError("--pairs, --window, --messages must be ≥ 1 and --members ≥ 2") }
        guard duration > 0, warmup >= 0, warmup < duration, rate > 0 else { throw ValidationError("need --duration > --warmup ≥ 0 and --rate > 0") }
        guard (clients ?? 2) >= 2, probes >= 1 else { throw ValidationError("--clients must be ≥ 2 and --probes ≥ 1") }
        guard (32...400).contains(textBytes) else { throw ValidationError("--text-bytes must be 32…400") }
        guard room.hasPrefix("#"), room.count > 1, !room.contains(" "), !room.contains(",") else { throw ValidationError("--room must look like #name") }
        guard timeout > 0, settle >= 0, connectConcurrency >= 1 else { throw ValidationError("--timeout and --connect-concurrency must be positive") }
        for address in parsedSourceAddressTexts where Endpoint(address: address, port: 0) == nil {
            throw ValidationError("--source-addresses: '\(address)' is not a numeric address")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let kind = Scenario(rawValue: scenario) ?? .dm
        guard let endpoint = Endpoint(hostPort: server) else { throw ExitCode.validationFailure }
        let clientCount = clients ?? (kind == .idle ? 10_000 : 1_000)
        let sequential = kind == .join || kind == .roster
        let settings = ScenarioSettings(
            scenario: kind, server: endpoint,
            sources: parsedSourceAddressTexts.compactMap { Endpoint(address: $0, port: 0) },
            workers: sequential ? 1 : threads, pairs: pairs, window: window, duration: duration, warmup: warmup,
            rate: rate, members: members, messages: messages, clients: clientCount, probes: probes, textBytes: textBytes,
            room: room, rosterMode: RosterMode(rawValue: rosterMode) ?? .cap,
            connectConcurrency: connectConcurrency, timeout: timeout)
        let needed = kind == .idle ? clientCount + probes : kind == .fanout ? members : kind == .dm || kind == .latency ? 2 * pairs : clientCount
        let limit = FileLimit.raise(to: needed + 256)
        guard limit >= needed + 16 else {
            print(errorLine(kind, "open-file limit \(limit) is too low for \(needed) clients; raise ulimit -n"))
            throw ExitCode.failure
        }

        let runner = ScenarioRunner(settings: settings, serverPID: serverPid, settleBeforeMemory: kind == .idle ? settle : 0)
        let measurement = runner.run { context, loop in
            switch context.settings.scenario {
            case .dm: DirectMessageDriver(context: context, loop: loop, paced: false)
            case .latency: DirectMessageDriver(context: context, loop: loop, paced: true)
            case .fanout: FanOutDriver(context: context, loop: loop)
            case .idle: IdleDriver(context: context, loop: loop)
            case .join: JoinStormDriver(context: context, loop: loop)
            case .roster: RosterStormDriver(context: context, loop: loop)
            }
        }
        var errors = DeliveryErrors()
        for result in measurement.results { errors.add(result.errors) }
        if !errors.isClean || !measurement.failures.isEmpty {
            var line = Report("error")
            line.add("scenario", kind.rawValue)
            line.add("server", label)
            if !measurement.results.isEmpty {
                line.add("lost", errors.lost)
                line.add("duplicated_or_reordered", errors.duplicatedOrReordered)
                line.add("misrouted", errors.misrouted)
            }
            line.add("message", measurement.failures.first ?? "deliveries failed the check")
            print(line.line)
            throw ExitCode.failure
        }
        let report = ResultFormatter(settings: settings, label: label, measurement: measurement).report()
        print(report.line)
    }

    private var parsedSourceAddressTexts: [String] {
        (sourceAddresses ?? "").split(separator: ",").map { String($0.trimmingPrefixSpaces()) }.filter { !$0.isEmpty }
    }

    private func errorLine(_ kind: Scenario, _ message: String) -> String {
        var line = Report("error")
        line.add("scenario", kind.rawValue)
        line.add("server", label)
        line.add("message", message)
        return line.line
    }
}

private extension Substring {
    func trimmingPrefixSpaces() -> Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
