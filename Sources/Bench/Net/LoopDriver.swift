/// What a scenario does with the connections of one event loop.
///
/// The loop handles sockets, registration, PING/PONG and sync points; the driver decides what
/// to send and checks what arrives. Every call happens on the loop's own thread.
protocol LoopDriver: AnyObject {
    /// A client received 001.
    func registered(_ connection: Connection, loop: EventLoop, now: UInt64)
    /// Every sync PING this client sent has been answered, so the server handled all it sent before.
    func synced(_ connection: Connection, loop: EventLoop, now: UInt64)
    /// A line seen before the loop splits it: the driver may account for a line it expects from
    /// its bytes alone and return true; false leaves it to the loop and then ``received(_:on:loop:now:)``.
    func receivedExpected(_ line: UnsafeBufferPointer<UInt8>, on connection: Connection) -> Bool
    /// Any other line from the server.
    func received(_ line: IRCLine, on connection: Connection, loop: EventLoop, now: UInt64)
    /// The coordinator moved to a new phase.
    func entered(_ phase: Phase, loop: EventLoop, now: UInt64)
    /// Once per loop turn, after all reads: the place to queue new messages.
    func tick(loop: EventLoop, now: UInt64)
    /// The next time `tick` must run even if no socket is ready (pacing), or nil.
    func nextDeadline(now: UInt64) -> UInt64?
}

extension LoopDriver {
    func registered(_ connection: Connection, loop: EventLoop, now: UInt64) {}
    func synced(_ connection: Connection, loop: EventLoop, now: UInt64) {}
    func tick(loop: EventLoop, now: UInt64) {}
    func receivedExpected(_ line: UnsafeBufferPointer<UInt8>, on connection: Connection) -> Bool { false }
    func nextDeadline(now: UInt64) -> UInt64? { nil }
}
