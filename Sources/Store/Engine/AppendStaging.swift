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
    /// share a row without hashing a name, with the caller's key for it when it gave one.
    private var recentRoutes = [RecentRoute](repeating: RecentRoute(), count: Self.routeSlots)

    private struct RecentRoute {
        var row: Int32 = 0
        var key: DirectRouteKey?
    }

    private static let routeSlots = 64

    /// Everything staged, leaving an empty run with room for a turn like the last one.
    mutating func takeRun() -> StagedRun {
        var taken = run.emptied()
        swap(&taken, &run)
        for slot in recentRoutes.indices { recentRoutes[slot] = RecentRoute() }
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
        let slot = Self.slot(routeHint)
        var route = Int(recentRoutes[slot].row) - 1
        if route < 0 || !run.routes[route].matches(
            senderSource: senderSource, senderNick: senderNick, senderAccount: senderAccount, destination: destination,
            targetName: targetName, command: command) {
            route = run.routes.count
            run.routes.append(StagedRoute(
                senderSource: senderSource, senderNick: senderNick, senderAccount: senderAccount, destination: destination,
                targetName: targetName, command: command))
            recentRoutes[slot] = RecentRoute(row: Int32(route + 1), key: nil)
        }
        appendDirect(ticket: ticket, routeHint: routeHint, route: route, msgid: msgid, timeMs: timeMs, text: text)
    }

    /// Stages a direct message whose route the caller names by `routeKey`: while the slot holds a
    /// row for that key, `route` is not even called.
    mutating func stageDirect(
        ticket: StoreTicket, routeHint: UInt64, routeKey: DirectRouteKey, msgid: UnsafeBufferPointer<UInt8>, timeMs: Int64,
        text: UnsafeBufferPointer<UInt8>, route makeRoute: () -> DirectRoute
    ) {
        let slot = Self.slot(routeHint)
        let recent = recentRoutes[slot]
        var route = Int(recent.row) - 1
        if route < 0 || recent.key != routeKey {
            let fields = makeRoute()
            if route < 0 || !run.routes[route].matches(
                senderSource: fields.senderSource, senderNick: fields.senderNick, senderAccount: fields.senderAccount,
                destination: fields.destination, targetName: fields.targetName, command: fields.command) {
                route = run.routes.count
                run.routes.append(StagedRoute(
                    senderSource: fields.senderSource, senderNick: fields.senderNick, senderAccount: fields.senderAccount,
                    destination: fields.destination, targetName: fields.targetName, command: fields.command))
            }
            recentRoutes[slot] = RecentRoute(row: Int32(route + 1), key: routeKey)
        }
        appendDirect(ticket: ticket, routeHint: routeHint, route: route, msgid: msgid, timeMs: timeMs, text: text)
    }

    private static func slot(_ routeHint: UInt64) -> Int {
        Int(truncatingIfNeeded: (routeHint &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    private mutating func appendDirect(
        ticket: StoreTicket, routeHint: UInt64, route: Int, msgid: UnsafeBufferPointer<UInt8>, timeMs: Int64,
        text: UnsafeBufferPointer<UInt8>
    ) {
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
