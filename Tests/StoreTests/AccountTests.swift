@testable import ChatStore
import Testing

@Suite("Accounts")
struct AccountTests {
    @Test("register, then log in with the right password and fail with a wrong one")
    func registerAndLogin() throws {
        let fixture = try StoreFixture()
        let registered = fixture.complete { $0.register(account: "Alice", email: "alice@example.org", password: "hunter2hunter2") }
        guard case .registered(let info)? = registered else {
            Issue.record("not registered: \(String(describing: registered))")
            return
        }
        #expect(info.name == "Alice")
        #expect(info.email == "alice@example.org")

        guard case .loggedIn(let login)? = fixture.complete({ $0.login(account: "alice", password: "hunter2hunter2") }) else {
            Issue.record("login failed")
            return
        }
        #expect(login.name == "Alice", "the canonical spelling comes back")
        #expect(fixture.complete { $0.login(account: "alice", password: "hunter3hunter3") } == .loginFailed(.wrongPassword))
        #expect(fixture.complete { $0.login(account: "nobody", password: "hunter2hunter2") } == .loginFailed(.noSuchAccount))
        #expect(try fixture.store.database.registeredAccountKeys() == ["alice"])
    }

    @Test("registration failures map to the draft/account-registration codes")
    func registrationFailures() throws {
        let fixture = try StoreFixture()
        _ = fixture.complete { $0.register(account: "bob", email: nil, password: "long enough") }
        let cases: [(String, String?, String, RegistrationFailure)] = [
            ("BOB", nil, "another password", .accountExists),
            ("carol", nil, "short", .weakPassword),
            ("carol", nil, "1234567", .weakPassword),
            ("1carol", nil, "long enough", .badAccountName),
            ("ca rol", nil, "long enough", .badAccountName),
            ("", nil, "long enough", .badAccountName),
            (String(repeating: "c", count: 33), nil, "long enough", .badAccountName),
            ("carol", "not-an-address", "long enough", .invalidEmail),
            ("carol", "carol@localhost", "long enough", .invalidEmail),
            ("carol", nil, String(repeating: "x", count: 301), .unacceptablePassword),
            ("carol", nil, "line\nbreak!!", .unacceptablePassword),
        ]
        for (name, email, password, expected) in cases {
            let result = fixture.complete { $0.register(account: name, email: email, password: password) }
            #expect(result == .registrationFailed(expected), "\(name) / \(String(describing: email)) / \(password.prefix(12))")
        }
        #expect(RegistrationFailure.accountExists.failCode == "ACCOUNT_EXISTS")
        #expect(RegistrationFailure.weakPassword.failCode == "WEAK_PASSWORD")
        #expect(RegistrationFailure.badAccountName.failCode == "BAD_ACCOUNT_NAME")
        #expect(try fixture.store.database.listAccounts().map(\.name) == ["bob"])
    }

    @Test("concurrent registrations of one name: exactly one wins")
    func racingRegistrations() throws {
        let fixture = try StoreFixture()
        let tickets = (0..<6).map { index in
            fixture.store.register(account: index % 2 == 0 ? "dave" : "DAVE", email: nil, password: "password \(index)")
        }
        let results = fixture.waiter.wait(for: tickets, on: fixture.store)
        let winners = tickets.filter { if case .registered? = results[$0] { true } else { false } }
        let losers = tickets.filter { results[$0] == .registrationFailed(.accountExists) }
        #expect(winners.count == 1)
        #expect(losers.count == 5)
    }

    @Test("password change, delete and list")
    func lifecycle() throws {
        let fixture = try StoreFixture()
        _ = fixture.complete { $0.register(account: "erin", email: nil, password: "first password") }
        _ = fixture.complete { $0.register(account: "frank", email: nil, password: "frank password") }
        #expect(fixture.complete { $0.changePassword(account: "ERIN", newPassword: "second password") } == .passwordChanged(account: "ERIN"))
        #expect(fixture.complete { $0.login(account: "erin", password: "first password") } == .loginFailed(.wrongPassword))
        guard case .loggedIn? = fixture.complete({ $0.login(account: "erin", password: "second password") }) else {
            Issue.record("new password refused")
            return
        }
        #expect(fixture.complete { $0.changePassword(account: "erin", newPassword: "short") } == .passwordChangeFailed(.weakPassword))
        #expect(fixture.complete { $0.changePassword(account: "ghost", newPassword: "long enough") } == .passwordChangeFailed(.noSuchAccount))

        guard case .accounts(let accounts)? = fixture.complete({ $0.listAccounts() }) else {
            Issue.record("no list")
            return
        }
        #expect(accounts.map(\.name) == ["erin", "frank"])

        _ = fixture.complete { $0.markRead(account: "erin", target: "#room", timeMs: 5) }
        #expect(fixture.complete { $0.deleteAccount("Erin") } == .accountDeleted(account: "Erin", existed: true))
        #expect(fixture.complete { $0.deleteAccount("erin") } == .accountDeleted(account: "erin", existed: false))
        #expect(fixture.complete { $0.login(account: "erin", password: "second password") } == .loginFailed(.noSuchAccount))
        #expect(fixture.complete { $0.readMarker(account: "erin", target: "#room") } == .readMarker(account: "erin", target: "#room", timeMs: nil))
        #expect(try fixture.store.database.registeredAccountKeys() == ["frank"])
    }

    @Test("the synchronous operator functions work on the file a running store uses")
    func operatorFunctions() throws {
        let fixture = try StoreFixture()
        var configuration = StoreConfiguration(path: fixture.path)
        configuration.scrypt = .testing
        let cli = try StoreDatabase(configuration: configuration)
        guard case .success(let info) = cli.registerAccount(name: "gina", email: nil, password: "gina password") else {
            Issue.record("CLI registration failed")
            return
        }
        #expect(info.name == "gina")
        #expect(cli.registerAccount(name: "gina", email: nil, password: "gina password") == .failure(.accountExists))
        guard case .loggedIn? = fixture.complete({ $0.login(account: "gina", password: "gina password") }) else {
            Issue.record("the running store does not see the CLI's account")
            return
        }
        guard case .success = cli.changePassword(account: "gina", newPassword: "new gina password") else {
            Issue.record("CLI passwd failed")
            return
        }
        #expect(fixture.complete { $0.login(account: "gina", password: "gina password") } == .loginFailed(.wrongPassword))
        #expect(try cli.deleteAccount("gina"))
        #expect(try cli.listAccounts().isEmpty)
    }

    @Test("a login re-hashes a password made with older scrypt parameters")
    func rehashOnLogin() throws {
        let directory = try TemporaryDirectory()
        var old = StoreConfiguration(path: directory.path("chat.sqlite"))
        old.scrypt = .testing
        let database = try StoreDatabase(configuration: old)
        guard case .success = database.registerAccount(name: "hank", email: nil, password: "hank password") else {
            Issue.record("registration failed")
            return
        }
        var newer = old
        newer.scrypt = try #require(ScryptParameters(log2N: 11, blockSize: 8, parallelism: 1))
        let waiter = CompletionWaiter()
        let store = try ChatStore(configuration: newer, wake: waiter.wake)
        guard case .loggedIn? = waiter.result(of: store.login(account: "hank", password: "hank password"), on: store) else {
            Issue.record("login with old parameters failed")
            return
        }
        store.close()
        // Opened with yet other parameters, the old hash would only verify if it had been replaced.
        let check = try StoreDatabase(configuration: newer)
        #expect(try check.storedScryptParameters(account: "hank") == newer.scrypt)
        guard case .success = check.verifyLogin(account: "hank", password: "hank password") else {
            Issue.record("re-hashed password does not verify")
            return
        }
    }
}
