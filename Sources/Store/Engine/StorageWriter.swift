import Dispatch

/// The storage thread's loop: take everything queued, commit it in one transaction, publish the
/// completions (one wake per batch), and purge expired history now and then.
struct StorageWriter: Sendable {
    let database: StoreDatabase
    let jobs: JobQueue<WriteJob>
    let completions: CompletionQueue
    /// Where to ask for WAL checkpoints; nil for `:memory:`.
    let checkpoints: JobQueue<CheckpointJob>?

    func run() {
        var writesSinceCheckpoint = 0
        let configuration = database.configuration
        let purges = configuration.historyDays != nil && configuration.historyEnabled
        let interval = Double(max(configuration.purgeIntervalSeconds, 1))
        var lastPurge = DispatchTime.now()
        while true {
            let (batch, finished) = jobs.take(max: max(configuration.maxBatchSize, 1), timeout: purges ? interval : nil)
            if !batch.isEmpty {
                completions.publish(database.commit(batch))
                writesSinceCheckpoint += batch.count
                if let checkpoints, writesSinceCheckpoint >= Checkpointer.writesBetweenCheckpoints {
                    writesSinceCheckpoint = 0
                    _ = checkpoints.push(.checkpoint)
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
