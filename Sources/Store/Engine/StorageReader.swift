/// A reader thread's loop: one query at a time on the pool's concurrent read connections.
struct StorageReader: Sendable {
    let database: StoreDatabase
    let jobs: JobQueue<ReadJob>
    let completions: CompletionQueue

    func run() {
        while true {
            let (batch, finished) = jobs.take(max: 1)
            if batch.isEmpty, finished { return }
            for job in batch { completions.publish(answer(job)) }
        }
    }

    private func answer(_ job: ReadJob) -> StoreCompletion {
        switch job {
        case .history(let ticket, let request):
            return StoreCompletion(ticket: ticket, result: attempt { .history(try database.history(request)) })
        case .targets(let ticket, let request):
            return StoreCompletion(ticket: ticket, result: attempt { .targets(try database.targets(request)) })
        case .readMarker(let ticket, let account, let target):
            return StoreCompletion(ticket: ticket, result: attempt {
                .readMarker(account: account, target: target, timeMs: try database.readMarker(account: account, target: target))
            })
        case .listAccounts(let ticket):
            return StoreCompletion(ticket: ticket, result: attempt { .accounts(try database.listAccounts()) })
        }
    }

    private func attempt(_ body: () throws -> StoreResult) -> StoreResult {
        do {
            return try body()
        } catch {
            return .failed(StoreError(StoreDatabase.describe(error)))
        }
    }
}
