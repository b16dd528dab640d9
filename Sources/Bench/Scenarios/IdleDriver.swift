/// Idle connections: clients register and then stay silent, so the main thread can read the
/// server's resident memory per connection. Registration latency is measured on the way.
final class IdleDriver: LoopDriver {
    private let context: WorkerContext

    /// Creates this worker's share of the idle clients.
    init(context: WorkerContext, loop: EventLoop) {
        self.context = context
        for id in stride(from: context.index, to: context.settings.clients, by: context.settings.workers) {
            loop.addClient(nick: "i\(id)")
        }
    }

    func entered(_ phase: Phase, loop: EventLoop, now: UInt64) {
        switch phase {
        case .setup:
            if loop.connections.isEmpty { context.coordinator.reportReached() }
            loop.connectAll(concurrency: context.settings.connectConcurrency)
        case .run:
            context.coordinator.reportReached()
        case .finish:
            var result = WorkerResult()
            result.clients = loop.connections.count
            result.registration = loop.registrationLatency
            loop.closeAll()
            context.collector.submit(result)
            context.coordinator.reportReached()
            loop.stop()
        }
    }

    func registered(_ connection: Connection, loop: EventLoop, now: UInt64) {
        if loop.registeredCount == loop.connections.count { context.coordinator.reportReached() }
    }

    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64) {}
}
