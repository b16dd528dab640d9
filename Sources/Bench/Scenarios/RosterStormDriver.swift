/// Roster storm: clients connect one after another, with at most `connectConcurrency`
/// registrations open at once, while every client watches who is online through the roster
/// capability or MONITOR. Every client must end up told about every other client exactly once:
/// those already online in its initial list, later arrivals as 730 deltas.
///
/// Arrivals do not each wait for the previous client's 001 when the concurrency is above one:
/// InspIRCd completes registrations only on a one-second timer, which would turn 1,000 strictly
/// sequential arrivals into 1,000 seconds.
final class RosterStormDriver: LoopDriver {
    private let context: WorkerContext
    private let mode: RosterMode
    private let count: Int
    private var known: [Bool]
    private var knownCount: [Int]
    private var monitorLines: [[UInt8]] = []
    private var ready = 0
    private var complete = 0
    private var delivered = 0
    private var finishedRun = false
    private var errors = DeliveryErrors()

    /// Creates every client of the storm (one worker: the arrivals are ordered).
    init(context: WorkerContext, loop: EventLoop) {
        self.context = context
        mode = context.settings.rosterMode
        count = context.settings.clients
        for id in 0..<count { loop.addClient(nick: "r\(id)") }
        known = Array(repeating: false, count: count * count)
        knownCount = Array(repeating: 0, count: count)
        if count == 1 { complete = 1 }
        if mode == .monitor {
            // MONITOR + takes a comma list; keep each line far below 512 bytes.
            var line: [UInt8] = []
            for id in 0..<count {
                let nick = Array("r\(id)".utf8)
                if line.count + nick.count > 400 {
                    monitorLines.append(Array("MONITOR + ".utf8) + line + [0x0D, 0x0A])
                    line = []
                }
                if !line.isEmpty { line.append(UInt8(ascii: ",")) }
                line += nick
            }
            if !line.isEmpty { monitorLines.append(Array("MONITOR + ".utf8) + line + [0x0D, 0x0A]) }
        }
    }

    func entered(_ phase: Phase, loop: EventLoop, now: UInt64) {
        switch phase {
        case .setup:
            context.coordinator.reportReached()
        case .run:
            loop.connectAll(concurrency: context.settings.connectConcurrency)
        case .finish:
            var result = WorkerResult()
            result.clients = count
            result.delivered = delivered
            if mode != .none { for member in 0..<count { errors.lost += count - 1 - knownCount[member] } }
            result.errors = errors
            result.registration = loop.registrationLatency
            result.bytesReceived = loop.connections.reduce(0) { $0 + $1.bytesReceived }
            loop.closeAll()
            context.collector.submit(result)
            context.coordinator.reportReached()
            loop.stop()
        }
    }

    func registered(_ connection: Connection, loop: EventLoop, now: UInt64) {
        for line in monitorLines { connection.append(line) }
        loop.sync(connection)
    }

    func synced(_ connection: Connection, loop: EventLoop, now: UInt64) {
        ready += 1
        checkDone()
    }

    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64) {
        guard mode != .none, let numeric = line.numeric, numeric == 730 || numeric == 731 else { return }
        guard let list = line.lastParam else { return }
        var start = list.lowerBound
        var index = start
        while index <= list.upperBound {
            if index == list.upperBound || line.bytes[index] == UInt8(ascii: ",") {
                if index > start { entry(line, start..<index, numeric: numeric, member: connection.index) }
                start = index + 1
            }
            index += 1
        }
    }

    private func entry(_ line: IRCLine, _ range: Range<Int>, numeric: Int, member: Int) {
        var nickEnd = range.upperBound
        for index in range where line.bytes[index] == UInt8(ascii: "!") {
            nickEnd = index
            break
        }
        guard let other = line.number(in: range.lowerBound..<nickEnd, after: 1), other < count else {
            errors.misrouted += 1
            return
        }
        if numeric == 731 {
            // MONITOR reports nicks not yet online as 731; with the roster nobody ever leaves here.
            if mode == .cap { errors.misrouted += 1 }
            return
        }
        guard other != member else { return }
        let slot = member * count + other
        if known[slot] {
            errors.duplicatedOrReordered += 1
            return
        }
        known[slot] = true
        knownCount[member] += 1
        delivered += 1
        if knownCount[member] == count - 1 {
            complete += 1
            checkDone()
        }
    }

    private func checkDone() {
        guard !finishedRun, ready == count, mode == .none || complete == count else { return }
        finishedRun = true
        context.coordinator.reportReached()
    }
}
