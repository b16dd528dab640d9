import Shared

extension Server {
    /// Wall-clock milliseconds at which the line being handled arrived: the time a message is
    /// stamped and stored with.
    ///
    /// Every line of one socket read arrived at the same moment, so while the lines of a read are
    /// handled the clock is read once, at the first line that asks, and that reading serves the
    /// rest of the read: exact, not an approximation, and one `clock_gettime` per read instead of
    /// one per message. Lines handled outside a read (released by flood control, or answering the
    /// store) get the clock as they are handled.
    func receivedWallMilliseconds() -> Int64 {
        guard handlingRead else { return clock.wallMilliseconds() }
        if readWallMilliseconds < 0 { readWallMilliseconds = clock.wallMilliseconds() }
        return readWallMilliseconds
    }

    /// Runs `body` (the handling of one socket read's lines) with one receive time for all of them.
    @inline(__always)
    func handlingLinesOfOneRead(_ body: () -> Void) {
        handlingRead = true
        readWallMilliseconds = -1
        body()
        handlingRead = false
    }

    /// The `time` tag text for `ms`, remembered for the last millisecond asked: under load many
    /// messages share one, and each format costs two allocations. Loop thread only: no lock.
    func serverTimeText(_ ms: Int64) -> String {
        if ms != serverTimeTextMilliseconds {
            serverTimeTextCache = IRCTime.format(millisecondsSince1970: ms)
            serverTimeBytesCache = InlineBytes(serverTimeTextCache)
            serverTimeTextMilliseconds = ms
        }
        return serverTimeTextCache
    }

    /// ``serverTimeText(_:)`` as inline bytes, for the direct-message fast path (no reference to
    /// count per message); nil in the (never expected) case of a text too long to hold inline.
    func serverTimeBytes(_ ms: Int64) -> InlineBytes? {
        if ms != serverTimeTextMilliseconds { _ = serverTimeText(ms) }
        return serverTimeBytesCache
    }
}
