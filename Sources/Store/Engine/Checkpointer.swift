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
    let wal: WalProgress

    /// WAL frames (pages) written between checkpoint requests: 4 MiB with 8 KiB pages.
    /// Requests made while one runs are coalesced. Counting frames rather than writes keeps the
    /// WAL bounded whatever the commits hold: a busy commit of thousands of messages writes about
    /// a hundred pages, a lone message a handful. (Under `chat-bench --scenario dm` with 4 KiB pages, 64 to 4,096
    /// frames all cost the writer and this thread together about the same; a short copy is
    /// likelier to finish between two commits, which lets the WAL restart from its beginning.)
    static let framesBetweenCheckpoints = 512

    func run() {
        while true {
            let (batch, finished) = jobs.take(max: Int.max)
            if finished { return }
            guard !batch.isEmpty else { continue }
            do {
                try connection.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
                wal.recordCheckpoint()
            } catch {
                // Busy or failing: the next request tries again, and the WAL only grows meanwhile.
            }
        }
    }
}

/// A request for the checkpoint thread.
enum CheckpointJob: Sendable {
    case checkpoint
}
