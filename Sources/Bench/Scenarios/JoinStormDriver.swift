/// Join storm: registered clients join one room one after another, each waiting until the server
/// has handled its JOIN before the next one joins. Every member must see every later arrival's
/// JOIN exactly once and in arrival order.
final class JoinStormDriver: LoopDriver {
    private let context: WorkerContext
    private let room: [UInt8]
    private var expected: [Int] = []
    private var nextJoiner = 0
    private var caughtUp = 0
    private var delivered = 0
    private var running = false
    private var finishedRun = false
    private var bytesAtStart = 0
    private var errors = DeliveryErrors()

    /// Creates every client of the storm (the storm is sequential, so it runs on one worker).
    init(context: WorkerContext, loop: EventLoop) {
        self.context = context
        room = Array(context.settings.room.utf8)
        for id in 0..<context.settings.clients { loop.addClient(nick: "j\(id)") }
        expected = Array(0..<context.settings.clients)
    }

    func entered(_ phase: Phase, loop: EventLoop, now: UInt64) {
        switch phase {
        case .setup:
            loop.connectAll(concurrency: context.settings.connectConcurrency)
        case .run:
            running = true
            bytesAtStart = loop.connections.reduce(0) { $0 + $1.bytesReceived }
            joinNext(loop: loop)
        case .finish:
            var result = WorkerResult()
            result.clients = loop.connections.count
            result.delivered = delivered
            for (member, next) in expected.enumerated() { errors.lost += max(0, expected.count - max(next, member)) }
            result.errors = errors
            result.registration = loop.registrationLatency
            result.bytesReceived = loop.connections.reduce(0) { $0 + $1.bytesReceived } - bytesAtStart
            loop.closeAll()
            context.collector.submit(result)
            context.coordinator.reportReached()
            loop.stop()
        }
    }

    func registered(_ connection: Connection, loop: EventLoop, now: UInt64) {
        if loop.registeredCount == loop.connections.count { context.coordinator.reportReached() }
    }

    func synced(_ connection: Connection, loop: EventLoop, now: UInt64) {
        guard running, connection.index == nextJoiner else { return }
        nextJoiner += 1
        if nextJoiner < loop.connections.count { joinNext(loop: loop) } else { checkDone() }
    }

    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64) {
        guard line.commandIs("JOIN") else { return }
        let me = connection.index
        guard let target = line.param(0), line.equal(target, room),
              let joiner = line.number(in: line.sourceNick, after: 1), joiner < expected.count
        else {
            errors.misrouted += 1
            return
        }
        if joiner == expected[me] {
            expected[me] += 1
            delivered += 1
            if expected[me] == expected.count {
                caughtUp += 1
                checkDone()
            }
        } else if joiner < expected[me] {
            errors.duplicatedOrReordered += 1
        } else {
            errors.lost += joiner - expected[me]
            expected[me] = joiner + 1
        }
    }

    private func joinNext(loop: EventLoop) {
        let connection = loop.connections[nextJoiner]
        connection.append("JOIN ")
        connection.append(room)
        connection.append("\r\n")
        loop.sync(connection)
    }

    private func checkDone() {
        guard !finishedRun, nextJoiner == expected.count, caughtUp == expected.count else { return }
        finishedRun = true
        context.coordinator.reportReached()
    }
}
