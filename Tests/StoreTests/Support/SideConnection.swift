import GRDB

/// A test's own connection to a store's file, next to the store's connections.
///
/// SQLite answers "database is locked" at once by default, and a store's connection can hold
/// the file's lock for a moment (a checkpoint, or closing and finding whether it is the last),
/// so a side connection waits for it like the store's own connections do.
enum SideConnection {
    static func open(_ path: String, allowsUnsafeTransactions: Bool = false) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.allowsUnsafeTransactions = allowsUnsafeTransactions
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
