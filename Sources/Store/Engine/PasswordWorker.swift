/// A password thread's loop: scrypt for logins, registrations and password changes. Writes
/// go on to the storage thread, so a registration completes only once it is committed.
struct PasswordWorker: Sendable {
    let database: StoreDatabase
    let jobs: JobQueue<PasswordJob>
    let writes: JobQueue<WriteJob>
    let completions: CompletionQueue

    func run() {
        while true {
            let (batch, finished) = jobs.take(max: 1)
            if batch.isEmpty, finished { return }
            for job in batch { handle(job) }
        }
    }

    private func handle(_ job: PasswordJob) {
        let configuration = database.configuration
        switch job {
        case .login(let ticket, let account, let password):
            switch database.verifyCredentials(account: account, password: password) {
            case .success(let login):
                if login.needsRehash, let hash = try? PasswordHash.make(password: password, parameters: configuration.scrypt) {
                    _ = writes.push(.setPassword(nil, account: login.info.name, hash))
                }
                completions.publish(StoreCompletion(ticket: ticket, result: .loggedIn(login.info)))
            case .failure(let failure):
                completions.publish(StoreCompletion(ticket: ticket, result: .loginFailed(failure)))
            }
        case .register(let ticket, let name, let email, let password):
            do {
                // Checked before hashing to spare the scrypt; the UNIQUE index settles races.
                if try database.accountExists(name) {
                    return completions.publish(StoreCompletion(ticket: ticket, result: .registrationFailed(.accountExists)))
                }
                let hash = try PasswordHash.make(password: password, parameters: configuration.scrypt)
                let info = AccountInfo(name: name, email: email, createdMs: configuration.clock())
                if !writes.push(.createAccount(ticket, info, hash)) {
                    completions.publish(StoreCompletion(
                        ticket: ticket, result: .registrationFailed(.temporarilyUnavailable(StoreError.closed.message))))
                }
            } catch {
                completions.publish(StoreCompletion(
                    ticket: ticket, result: .registrationFailed(.temporarilyUnavailable(StoreDatabase.describe(error)))))
            }
        case .changePassword(let ticket, let account, let password):
            do {
                let hash = try PasswordHash.make(password: password, parameters: configuration.scrypt)
                if !writes.push(.setPassword(ticket, account: account, hash)) {
                    completions.publish(StoreCompletion(
                        ticket: ticket, result: .passwordChangeFailed(.temporarilyUnavailable(StoreError.closed.message))))
                }
            } catch {
                completions.publish(StoreCompletion(
                    ticket: ticket, result: .passwordChangeFailed(.temporarilyUnavailable(StoreDatabase.describe(error)))))
            }
        }
    }
}
