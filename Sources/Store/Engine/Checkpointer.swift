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

    /// Writes between checkpoint requests; requests made while one runs are coalesced. Chunks
    /// touch the same few index pages in every commit: the longer the WAL holds them, the fewer
    /// copies a checkpoint makes (32,768 halved the checkpoint thread's CPU per message against
    /// 2,048, with the WAL peaking at a few MiB).
    static let writesBetweenCheckpoints = 32_768

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
