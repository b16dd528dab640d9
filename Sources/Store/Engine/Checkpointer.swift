import GRDB

/// Copies the WAL back into the database file on its own thread and connection.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, so the
/// storage thread (and every message waiting for its commit) stalls for the whole copy and
/// fsync. A PASSIVE checkpoint from another connection runs beside the writer instead: it takes
/// no write lock, and the WAL restarts from the beginning at the next commit once it is done.
struct Checkpointer: Sendable {
    let connection: DatabaseQueue
    let jobs: JobQueue<CheckpointJob>

    /// Asks for a checkpoint; requests made while one runs are coalesced.
    static let writesBetweenCheckpoints = 2048

    func run() {
        while true {
            let (batch, finished) = jobs.take(max: Int.max)
            if finished { return }
            guard !batch.isEmpty else { continue }
            try? connection.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }
}

/// A request for the checkpoint thread.
enum CheckpointJob: Sendable {
    case checkpoint
}
