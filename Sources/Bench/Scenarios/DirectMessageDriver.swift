/// DM throughput and DM latency: pairs of clients send each other numbered PRIVMSGs.
///
/// Both ends of a pair live on the same worker, so a sender knows exactly how many of its
/// messages its partner has received and can keep a fixed window in flight (throughput), or
/// send on a fixed schedule regardless of replies (latency).
final class DirectMessageDriver: LoopDriver {
    private let context: WorkerContext
    private let paced: Bool
    private var globalIDs: [Int] = []
    private var nicks: [[UInt8]] = []
    private var sent: [Int] = []
    private var received: [Int] = []
    private var checkers: [StreamChecker] = []
    /// Per client: a delivery from its partner, as ``ExpectedDelivery`` recognises it.
    private var expectedDeliveries: [ExpectedDelivery] = []
    private var nextSendAt: [UInt64] = []
    private var interval: UInt64 = 0
    private let padding: [UInt8]
    private var syncedCount = 0
    private var running = false
    private var finishedRun = false
    private var stopSendingAt: UInt64 = 0
    private var recordFrom: UInt64 = 0
    private var bytesAtStart = 0
    private var errors = DeliveryErrors()
    private var latency = LatencySamples()

    /// Creates the clients of the pairs that belong to this worker.
    init(context: WorkerContext, loop: EventLoop, paced: Bool) {
        self.context = context
        self.paced = paced
        let settings = context.settings
        padding = MessageText.padding(textBytes: settings.textBytes)
        for pair in stride(from: context.index, to: settings.pairs, by: settings.workers) {
            for id in [2 * pair, 2 * pair + 1] {
                let nick = "d\(id)"
                loop.addClient(nick: nick)
                globalIDs.append(id)
                nicks.append(Array(nick.utf8))
            }
        }
        sent = Array(repeating: 0, count: globalIDs.count)
        received = sent
        checkers = Array(repeating: StreamChecker(), count: globalIDs.count)
        expectedDeliveries = globalIDs.indices.map { me in
            ExpectedDelivery(sourceNick: nicks[me ^ 1], target: nicks[me], sender: globalIDs[me ^ 1])
        }
        nextSendAt = Array(repeating: 0, count: globalIDs.count)
        if paced {
            let perSender = settings.rate / Double(2 * settings.pairs)
            interval = UInt64(1e9 / max(perSender, 1e-3))
            latency.reserve(Int(settings.rate * (settings.duration + 1) / Double(settings.workers)))
        }
    }

    func entered(_ phase: Phase, loop: EventLoop, now: UInt64) {
        switch phase {
        case .setup:
            if globalIDs.isEmpty { context.coordinator.reportReached() }
            loop.connectAll(concurrency: context.settings.connectConcurrency)
        case .run:
            running = true
            stopSendingAt = now + MonotonicClock.nanos(seconds: context.settings.duration)
            recordFrom = now + MonotonicClock.nanos(seconds: context.settings.warmup)
            bytesAtStart = loop.connections.reduce(0) { $0 + $1.bytesReceived }
            let count = UInt64(max(1, globalIDs.count))
            for index in nextSendAt.indices { nextSendAt[index] = now + interval * UInt64(index) / count }
            if globalIDs.isEmpty { finishRun() }
        case .finish:
            var result = WorkerResult()
            result.clients = globalIDs.count
            result.sent = sent.reduce(0, +)
            result.delivered = received.reduce(0, +)
            for index in checkers.indices { errors.add(checkers[index], sent: sent[index ^ 1]) }
            result.errors = errors
            result.latency = latency
            result.registration = loop.registrationLatency
            result.bytesReceived = loop.connections.reduce(0) { $0 + $1.bytesReceived } - bytesAtStart
            loop.closeAll()
            context.collector.submit(result)
            context.coordinator.reportReached()
            loop.stop()
        }
    }

    func registered(_ connection: Connection, loop: EventLoop, now: UInt64) {
        loop.sync(connection)
    }

    func synced(_ connection: Connection, loop: EventLoop, now: UInt64) {
        syncedCount += 1
        if syncedCount == globalIDs.count { context.coordinator.reportReached() }
    }

    /// Counts a delivery that ``ExpectedDelivery`` recognises without splitting the line (the
    /// generator's own parsing took CPU from the server it shares the machine with). Latency runs
    /// need the send time of every message, so their lines all take ``received(_:on:loop:now:)``.
    func receivedExpected(_ line: UnsafeBufferPointer<UInt8>, on connection: Connection) -> Bool {
        guard !paced else { return false }
        let me = connection.index
        guard let sequence = expectedDeliveries[me].sequence(in: line) else { return false }
        received[me] += 1
        checkers[me].receive(sequence)
        return true
    }

    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64) {
        guard line.commandIs("PRIVMSG") else { return }
        let me = connection.index
        let partner = me ^ 1
        received[me] += 1
        guard let target = line.param(0), line.equal(target, nicks[me]),
              line.equal(line.sourceNick, nicks[partner]),
              let text = line.param(1), let message = MessageText.parse(line, text: text),
              message.sender == globalIDs[partner]
        else {
            errors.misrouted += 1
            return
        }
        checkers[me].receive(message.sequence)
        if paced && message.stamp >= recordFrom { latency.record(now &- message.stamp) }
    }

    func tick(loop: EventLoop, now: UInt64) {
        guard running && !finishedRun else { return }
        if now < stopSendingAt {
            for (index, connection) in loop.connections.enumerated() {
                let target = nicks[index ^ 1]
                let before = sent[index]
                if paced {
                    while nextSendAt[index] <= now {
                        MessageText.queuePrivmsg(on: connection, target: target, sender: globalIDs[index], sequence: sent[index], stamp: now, padding: padding)
                        sent[index] += 1
                        nextSendAt[index] += interval
                    }
                } else {
                    let window = context.settings.window
                    while sent[index] - received[index ^ 1] < window {
                        MessageText.queuePrivmsg(on: connection, target: target, sender: globalIDs[index], sequence: sent[index], stamp: now, padding: padding)
                        sent[index] += 1
                    }
                }
                if sent[index] != before { loop.queueFlush(connection) }
            }
            return
        }
        for index in sent.indices where received[index ^ 1] < sent[index] { return }
        finishRun()
    }

    func nextDeadline(now: UInt64) -> UInt64? {
        guard running && !finishedRun && now < stopSendingAt else { return nil }
        if !paced { return stopSendingAt }
        return min(nextSendAt.min() ?? stopSendingAt, stopSendingAt)
    }

    private func finishRun() {
        finishedRun = true
        context.coordinator.reportReached()
    }
}
