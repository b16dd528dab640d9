/// Checks one sender-to-receiver stream of numbered messages.
///
/// Sequence numbers start at 0 and go up by one. Anything else is an error the run reports:
/// a number below the expected one is a duplicate or a reordering, a number above it means the
/// messages in between were skipped (lost, unless they turn up later, which is then a reordering).
struct StreamChecker: Sendable {
    /// The next sequence number expected.
    private(set) var expected: Int = 0
    /// Messages that arrived in order.
    private(set) var inOrder: Int = 0
    /// Messages with a number already passed (duplicates or late, reordered deliveries).
    private(set) var duplicatedOrReordered: Int = 0
    /// Numbers skipped over when a later message arrived early.
    private(set) var skipped: Int = 0

    /// Accounts for the arrival of `sequence`.
    @inline(__always)
    mutating func receive(_ sequence: Int) {
        if sequence == expected {
            expected += 1
            inOrder += 1
        } else if sequence < expected {
            duplicatedOrReordered += 1
        } else {
            skipped += sequence - expected
            expected = sequence + 1
            inOrder += 1
        }
    }

    /// True once every one of `sent` messages arrived exactly once and in order.
    func isComplete(sent: Int) -> Bool {
        inOrder == sent && skipped == 0 && duplicatedOrReordered == 0
    }
}

/// Totals of delivery errors across streams; any non-zero field fails the run.
struct DeliveryErrors: Sendable {
    /// Messages sent that never arrived.
    var lost = 0
    /// Messages that arrived twice or out of order.
    var duplicatedOrReordered = 0
    /// Messages that arrived at the wrong client, from the wrong source, or malformed.
    var misrouted = 0

    /// True when nothing went wrong.
    var isClean: Bool { lost == 0 && duplicatedOrReordered == 0 && misrouted == 0 }

    /// Adds another set of totals.
    mutating func add(_ other: DeliveryErrors) {
        lost += other.lost
        duplicatedOrReordered += other.duplicatedOrReordered
        misrouted += other.misrouted
    }

    /// Adds what `checker` saw for a stream whose sender sent `sent` messages. A skipped number
    /// is already missing from `inOrder`; if it turned up later it counts as reordered instead.
    mutating func add(_ checker: StreamChecker, sent: Int) {
        duplicatedOrReordered += checker.duplicatedOrReordered
        lost += max(0, sent - checker.inOrder)
    }
}
