import GRDB
import GRDBSQLite
import Synchronization

/// How many frames the WAL holds, as SQLite reports after every commit of the writing
/// connection (its WAL hook), so checkpoints can be asked for by WAL volume.
///
/// Counting writes instead misjudges both ends: a busy commit of thousands of messages adds a
/// hundred pages, a lone message a handful.
final class WalProgress: Sendable {
    private let frames = Atomic<Int>(0)
    private let checkpoints = Atomic<Int>(0)

    /// Frames in the WAL after the last commit (0 until one happened, and after a restart of
    /// the log the count starts again from its beginning).
    var framesInLog: Int { frames.load(ordering: .relaxed) }

    /// Checkpoints the checkpoint thread has run.
    var checkpointsRun: Int { checkpoints.load(ordering: .relaxed) }

    func recordCheckpoint() {
        checkpoints.add(1, ordering: .relaxed)
    }

    /// Installs the hook on the writing connection. SQLite's own automatic checkpoint is a WAL
    /// hook too: this replaces it, which is what the store wants (see Checkpointer).
    func install(on db: Database) {
        guard let connection = db.sqliteConnection else { return }
        let hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { context, _, _, pages in
            if let context {
                Unmanaged<WalProgress>.fromOpaque(context).takeUnretainedValue().frames.store(Int(pages), ordering: .relaxed)
            }
            return SQLITE_OK
        }
        // The store keeps this object for as long as the connection lives.
        sqlite3_wal_hook(connection, hook, Unmanaged.passUnretained(self).toOpaque())
    }
}
