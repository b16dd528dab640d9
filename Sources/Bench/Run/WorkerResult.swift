import Synchronization

/// What one worker measured, handed to the main thread at the end of a run.
struct WorkerResult: Sendable {
    /// Messages sent during the run phase.
    var sent = 0
    /// Messages (or JOIN / roster lines) delivered and checked during the run phase.
    var delivered = 0
    /// Delivery errors found.
    var errors = DeliveryErrors()
    /// Send-to-receive latency samples.
    var latency = LatencySamples()
    /// Connect-to-001 latency of every client.
    var registration = LatencySamples()
    /// Bytes the server sent to this worker's clients during the run phase.
    var bytesReceived = 0
    /// Clients this worker ran.
    var clients = 0
}

/// Collects worker results across threads.
final class ResultCollector: Sendable {
    private let results = Mutex<[WorkerResult]>([])

    /// Hands in one worker's result.
    func submit(_ result: WorkerResult) { results.withLock { $0.append(result) } }

    /// Every result handed in so far.
    var all: [WorkerResult] { results.withLock { $0 } }
}
