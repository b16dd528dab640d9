/// Room fan-out: one sender in a room of `members`, sending numbered messages that every other
/// member must receive exactly once and in order.
///
/// Client 0 (on worker 0) is the sender; the other members are spread over the workers. The
/// sender keeps at most `window` messages ahead of the slowest receiver anywhere.
final class FanOutDriver: LoopDriver {
    private let context: WorkerContext
    private let room: [UInt8]
    private let senderNick: [UInt8]
    private let padding: [UInt8]
    private let expectedDelivery: ExpectedDelivery
    private var sender: Connection?
    private var receivers: [Int] = []
    private var checkers: [StreamChecker] = []
    private var deliveredTo: [Int] = []
    private var sent = 0
    private var syncedCount = 0
    private var running = false
    private var finishedRun = false
    private var lastPublished = -1
    private var bytesAtStart = 0
    private var errors = DeliveryErrors()

    /// Creates this worker's share of the room's members.
    init(context: WorkerContext, loop: EventLoop) {
        self.context = context
        let settings = context.settings
        room = Array(settings.room.utf8)
        senderNick = Array("f0".utf8)
        padding = MessageText.padding(textBytes: settings.textBytes)
        expectedDelivery = ExpectedDelivery(sourceNick: senderNick, target: room, sender: 0)
        for id in stride(from: context.index, to: settings.members, by: settings.workers) {
            let connection = loop.addClient(nick: "f\(id)")
            if id == 0 { sender = connection } else { receivers.append(connection.index) }
        }
        checkers = Array(repeating: StreamChecker(), count: loop.connections.count)
        deliveredTo = Array(repeating: 0, count: loop.connections.count)
        if receivers.isEmpty { lastPublished = Int.max }
    }

    func entered(_ phase: Phase, loop: EventLoop, now: UInt64) {
        switch phase {
        case .setup:
            if loop.connections.isEmpty { context.coordinator.reportReached() }
            context.fanOut.publish(worker: context.index, slowest: receivers.isEmpty ? Int.max : 0, coordinator: context.coordinator)
            loop.connectAll(concurrency: context.settings.connectConcurrency)
        case .run:
            running = true
            bytesAtStart = loop.connections.reduce(0) { $0 + $1.bytesReceived }
            if receivers.isEmpty && sender == nil { finish() }
        case .finish:
            var result = WorkerResult()
            result.clients = loop.connections.count
            result.sent = sent
            result.delivered = deliveredTo.reduce(0, +)
            for index in receivers { errors.add(checkers[index], sent: context.settings.messages) }
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
        connection.append("JOIN ")
        connection.append(room)
        connection.append("\r\n")
        loop.sync(connection)
    }

    func synced(_ connection: Connection, loop: EventLoop, now: UInt64) {
        syncedCount += 1
        if syncedCount == loop.connections.count { context.coordinator.reportReached() }
    }

    /// Counts a delivery that ``ExpectedDelivery`` recognises without splitting the line into an
    /// ``IRCLine``: at millions of deliveries a second the generator's own parsing took CPU from
    /// the server it shares the machine with. Anything else goes to ``received(_:on:loop:now:)``,
    /// which checks it field by field and counts what is wrong.
    func receivedExpected(_ line: UnsafeBufferPointer<UInt8>, on connection: Connection) -> Bool {
        guard connection !== sender, let sequence = expectedDelivery.sequence(in: line) else { return false }
        let me = connection.index
        deliveredTo[me] += 1
        checkers[me].receive(sequence)
        return true
    }

    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64) {
        guard line.commandIs("PRIVMSG") else { return }
        let me = connection.index
        deliveredTo[me] += 1
        guard connection !== sender,
              let target = line.param(0), line.equal(target, room),
              line.equal(line.sourceNick, senderNick),
              let text = line.param(1), let message = MessageText.parse(line, text: text),
              message.sender == 0
        else {
            errors.misrouted += 1
            return
        }
        checkers[me].receive(message.sequence)
    }

    func tick(loop: EventLoop, now: UInt64) {
        guard running && !finishedRun else { return }
        if !receivers.isEmpty {
            var slowest = Int.max
            for index in receivers where deliveredTo[index] < slowest { slowest = deliveredTo[index] }
            if slowest != lastPublished {
                lastPublished = slowest
                context.fanOut.publish(worker: context.index, slowest: slowest, coordinator: context.coordinator)
            }
        }
        let total = context.settings.messages
        if let sender, sent < total {
            var limit = windowLimit(total: total)
            if sent >= limit {
                context.fanOut.senderIsWaiting()
                // Re-check after announcing, so progress published in between is not missed.
                limit = windowLimit(total: total)
                if sent >= limit { return }
            }
            while sent < limit {
                MessageText.queuePrivmsg(on: sender, target: room, sender: 0, sequence: sent, stamp: now, padding: padding)
                sent += 1
            }
            loop.queueFlush(sender)
            return
        }
        if sender != nil && sent < total { return }
        for index in receivers where deliveredTo[index] < total { return }
        finish()
    }

    private func windowLimit(total: Int) -> Int {
        let slowest = context.fanOut.slowestOverall
        return slowest >= total ? total : min(total, slowest + context.settings.window)
    }

    private func finish() {
        finishedRun = true
        context.coordinator.reportReached()
    }
}
