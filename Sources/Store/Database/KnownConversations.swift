import Synchronization

/// Direct conversations already in `direct_party`, so the writer records each one once rather
/// than once per message. Only committed conversations enter; it forgets everything past a
/// bound (a later message re-records its conversation, which `INSERT OR IGNORE` makes harmless).
final class KnownConversations: Sendable {
    private let keys = Mutex<Set<String>>([])
    private let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func contains(_ key: String) -> Bool {
        keys.withLock { $0.contains(key) }
    }

    /// Adds the conversations of a committed batch.
    func insert(_ committed: [String]) {
        guard !committed.isEmpty else { return }
        keys.withLock { keys in
            if keys.count + committed.count > capacity { keys.removeAll(keepingCapacity: true) }
            keys.formUnion(committed)
        }
    }

    /// Forgets everything: after a rolled-back batch or a purge that deleted conversations.
    func removeAll() {
        keys.withLock { $0.removeAll() }
    }
}
