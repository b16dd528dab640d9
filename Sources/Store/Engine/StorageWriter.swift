import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The storage thread's loop: take everything queued, commit it in one transaction, publish the
/// completions (one wake per batch), and purge expired history now and then.
struct StorageWriter: Sendable {
    let database: StoreDatabase
    let jobs: JobQueue<WriteJob>
    let completions: CompletionQueue
    /// Where to ask for WAL checkpoints; nil for `:memory:`.
    let checkpoints: JobQueue<CheckpointJob>?

    func run() {
        // The WAL's frame count when a checkpoint was last asked for.
        var framesAtRequest = 0
        let configuration = database.configuration
        let purges = configuration.historyDays != nil && configuration.historyEnabled
        let interval = Double(max(configuration.purgeIntervalSeconds, 1))
        var lastPurge = DispatchTime.now()
        let pacing = CommitPacing(configuration: configuration)
        var lastCommit: UInt64 = 0
        var lastWrites = 0
        while true {
            let sinceCommit = DispatchTime.now().uptimeNanoseconds &- lastCommit
            let commitInterval = pacing.interval(afterCommitOf: lastWrites)
            if sinceCommit < commitInterval {
                // Let the writes of the next moment gather rather than commit each alone.
                usleep(UInt32((commitInterval - sinceCommit) / 1000))
            }
            let (batch, finished) = jobs.take(max: max(configuration.maxBatchSize, 1), timeout: purges ? interval : nil)
            if !batch.isEmpty {
                lastCommit = DispatchTime.now().uptimeNanoseconds
                lastWrites = batch.reduce(0) { $0 + $1.writeCount }
                completions.publish(database.commit(batch))
                let frames = database.wal.framesInLog
                // A smaller count means the log restarted from its beginning after a checkpoint.
                if frames < framesAtRequest { framesAtRequest = 0 }
                if let checkpoints, frames - framesAtRequest >= Checkpointer.framesBetweenCheckpoints {
                    framesAtRequest = frames
                    _ = checkpoints.push(.checkpoint)
                }
                if checkpoints != nil, frames >= configuration.walFramesBeforeWriterCheckpoint {
                    // Under a steady stream the checkpoint thread never has every frame copied at
                    // the moment a commit starts, and only then does the WAL restart from its
                    // beginning: it would grow for as long as the stream lasts. Past this size the
                    // writer copies what is left itself, between two commits.
                    database.checkpointBetweenCommits()
                }
            } else if finished {
                return
            }
            if purges, DispatchTime.now().uptimeNanoseconds - lastPurge.uptimeNanoseconds >= UInt64(interval * 1e9) {
                lastPurge = .now()
                completions.publish(database.commit([.purge(nil)]))
            }
        }
    }
}
