/// The appends of the current loop turn, not yet handed to the storage thread.
///
/// The loop stages each accepted message here (under a lock only the staging side takes, so it
/// is never contended by the storage thread) and hands the whole run over once per turn: one
/// lock on the writer's queue and one move, where a push per message cost a contended lock
/// and a copy of every message.
struct AppendStaging: Sendable {
    var run = StagedRun()
    /// Set by `ChatStore.close()`: later appends fail at once rather than wait for a hand-off
    /// that will never come.
    var closed = false
    /// The route row last used per hint slot (plus one; 0 is none), so a turn's repeated routes
    /// share a row without hashing a name.
    private var recentRoutes = [Int32](repeating: 0, count: Self.routeSlots)

    private static let routeSlots = 64

    /// Everything staged, leaving an empty run with room for a turn like the last one.
    mutating func takeRun() -> StagedRun {
        var taken = run.emptied()
        swap(&taken, &run)
        for slot in recentRoutes.indices { recentRoutes[slot] = 0 }
        return taken
    }

    mutating func stage(_ message: consuming NewMessage, ticket: StoreTicket, routeHint: UInt64) {
        run.records.append(StagedRecord(
            ticket: ticket, routeHint: routeHint, timeMs: message.timeMs, index: Int32(run.messages.count), isMessage: true,
            msgidStart: 0, msgidCount: 0, textStart: 0, textCount: 0))
        run.messages.append(message)
    }

    /// Stages a direct message given as its fields; its msgid and text are copied into the arena.
    mutating func stageDirect(
        ticket: StoreTicket, routeHint: UInt64, msgid: UnsafeBufferPointer<UInt8>, timeMs: Int64, senderSource: String, senderNick: String,
        senderAccount: String?, destination: HistoryConversation, targetName: String, command: String,
        text: UnsafeBufferPointer<UInt8>
    ) {
        let slot = Int(truncatingIfNeeded: (routeHint &* 0x9E37_79B9_7F4A_7C15) >> 58)
        var route = Int(recentRoutes[slot]) - 1
        if route < 0 || !run.routes[route].matches(
            senderSource: senderSource, senderNick: senderNick, senderAccount: senderAccount, destination: destination,
            targetName: targetName, command: command) {
            route = run.routes.count
            run.routes.append(StagedRoute(
                senderSource: senderSource, senderNick: senderNick, senderAccount: senderAccount, destination: destination,
                targetName: targetName, command: command))
            recentRoutes[slot] = Int32(route + 1)
        }
        let msgidStart = run.bytes.count
        run.bytes.append(contentsOf: msgid)
        let textStart = run.bytes.count
        run.bytes.append(contentsOf: text)
        run.records.append(StagedRecord(
            ticket: ticket, routeHint: routeHint, timeMs: timeMs, index: Int32(route), isMessage: false,
            msgidStart: Int32(msgidStart), msgidCount: Int32(textStart - msgidStart),
            textStart: Int32(textStart), textCount: Int32(text.count)))
    }
}
