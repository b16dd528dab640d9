/// Idle connections: clients register and then stay silent, so the main thread can read the
/// server's resident memory per connection. Then `probes` more clients arrive strictly one after
/// another, each waiting for its 001, to measure registration latency on a loaded server
/// (independent of how many registrations the bulk connect kept open at once).
final class IdleDriver: LoopDriver {
    private let context: WorkerContext
    private let idleCount: Int
    private var probesDone = 0
    private var probeLatency = LatencySamples()

    /// Creates this worker's share of the idle clients; worker 0 also owns the probes.
    init(context: WorkerContext, loop: EventLoop) {
        self.context = context
        for id in stride(from: context.index, to: context.settings.clients, by: context.settings.workers) {
            loop.addClient(nick: "i\(id)")
        }
        idleCount = loop.connections.count
        if context.index == 0 {
            for probe in 0..<context.settings.probes { loop.addClient(nick: "p\(probe)") }
        }
    }

    func entered(_ phase: Phase, loop: EventLoop, now: UInt64) {
        switch phase {
        case .setup:
            if idleCount == 0 { context.coordinator.reportReached() }
            loop.connectAll(concurrency: context.settings.connectConcurrency, limit: idleCount)
        case .run:
            connectNextProbe(loop: loop, now: now)
        case .finish:
            var result = WorkerResult()
            result.clients = loop.connections.count
            result.registration = probeLatency
            loop.closeAll()
            context.collector.submit(result)
            context.coordinator.reportReached()
            loop.stop()
        }
    }

    func registered(_ connection: Connection, loop: EventLoop, now: UInt64) {
        if connection.index < idleCount {
            if loop.registeredCount == idleCount { context.coordinator.reportReached() }
            return
        }
        probeLatency.record(now - connection.connectStartedAt)
        probesDone += 1
        connectNextProbe(loop: loop, now: now)
    }

    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64) {}

    private func connectNextProbe(loop: EventLoop, now: UInt64) {
        let next = idleCount + probesDone
        if next < loop.connections.count {
            loop.connect(loop.connections[next], now: now)
        } else {
            context.coordinator.reportReached()
        }
    }
}
