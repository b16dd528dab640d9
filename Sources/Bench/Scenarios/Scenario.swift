/// The workloads chat-bench can drive.
enum Scenario: String, Sendable, CaseIterable {
    /// Pairs of clients messaging each other as fast as a window of messages in flight allows.
    case dm
    /// Pairs of clients messaging each other at a fixed total rate; reports send-to-receive latency.
    case latency
    /// One sender in a room with many members; reports deliveries per second.
    case fanout
    /// Many registered, silent clients; reports server memory per connection and registration latency.
    case idle
    /// Clients joining one room one after another; reports time and bytes.
    case join
    /// Clients arriving one after another while everyone watches the online list; reports time and bytes.
    case roster
}

/// How roster-storm clients learn about arrivals.
enum RosterMode: String, Sendable, CaseIterable {
    /// The `chat.localhost/roster` capability: the server pushes 730 for every arrival.
    case cap
    /// IRCv3 MONITOR of every nick of the run: the closest standard equivalent.
    case monitor
    /// No notification at all: just the arrivals, for servers with neither.
    case none
}

/// Everything a scenario needs to know, shared read-only by all workers.
struct ScenarioSettings: Sendable {
    var scenario: Scenario
    var server: Endpoint
    var sources: [Endpoint]
    var workers: Int
    var pairs: Int
    var window: Int
    var duration: Double
    var warmup: Double
    var rate: Double
    var members: Int
    var messages: Int
    var clients: Int
    var probes: Int
    var textBytes: Int
    var room: String
    var rosterMode: RosterMode
    var connectConcurrency: Int
    var timeout: Double
}

/// The pieces each driver gets on its worker thread.
struct WorkerContext: Sendable {
    let index: Int
    let settings: ScenarioSettings
    let coordinator: Coordinator
    let collector: ResultCollector
    let fanOut: FanOutProgress
}
