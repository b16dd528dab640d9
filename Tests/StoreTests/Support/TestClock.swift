import Synchronization

/// A settable clock for the store's injected `clock`.
final class TestClock: Sendable {
    private let now: Mutex<Int64>

    init(_ start: Int64) {
        now = Mutex(start)
    }

    var milliseconds: Int64 {
        get { now.withLock { $0 } }
        set { now.withLock { $0 = newValue } }
    }

    var function: @Sendable () -> Int64 {
        { [self] in milliseconds }
    }
}
