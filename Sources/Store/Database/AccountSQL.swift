import Foundation
import GRDB
import Shared

/// Account rows. Every function runs inside a caller's GRDB access.
enum AccountSQL {
    struct Credentials {
        let info: AccountInfo
        let password: PasswordHash
    }

    static func names(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM account ORDER BY name_key")
    }

    static func exists(_ db: Database, key: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name_key = ?", arguments: [key]) ?? false
    }

    static func list(_ db: Database) throws -> [AccountInfo] {
        try Row.fetchAll(db, sql: "SELECT name, email, created_ms FROM account ORDER BY name_key").map(info)
    }

    static func credentials(_ db: Database, key: String) throws -> Credentials? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT name, email, created_ms, password_hash, password_salt, scrypt_log2n, scrypt_r, scrypt_p
            FROM account WHERE name_key = ?
            """, arguments: [key]) else { return nil }
        guard let parameters = ScryptParameters(
            log2N: row["scrypt_log2n"], blockSize: row["scrypt_r"], parallelism: row["scrypt_p"]) else {
            throw StoreError("account \(key) has unusable scrypt parameters")
        }
        let hash: [UInt8] = Array(row["password_hash"] as Data)
        let salt: [UInt8] = Array(row["password_salt"] as Data)
        return Credentials(info: info(row), password: PasswordHash(hash: hash, salt: salt, parameters: parameters))
    }

    /// Inserts; throws `RegistrationFailure.accountExists` when the folded name is taken.
    static func insert(_ db: Database, key: String, info: AccountInfo, password: PasswordHash) throws {
        do {
            try db.execute(sql: """
                INSERT INTO account (name_key, name, email, password_hash, password_salt,
                                     scrypt_log2n, scrypt_r, scrypt_p, created_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [
                    key, info.name, info.email, Data(password.hash), Data(password.salt),
                    password.parameters.log2N, password.parameters.blockSize, password.parameters.parallelism,
                    info.createdMs,
                ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw RegistrationFailure.accountExists
        }
    }

    /// Replaces the hash; false when there is no such account.
    static func updatePassword(_ db: Database, key: String, password: PasswordHash) throws -> Bool {
        try db.execute(sql: """
            UPDATE account SET password_hash = ?, password_salt = ?, scrypt_log2n = ?, scrypt_r = ?, scrypt_p = ?
            WHERE name_key = ?
            """, arguments: [
                Data(password.hash), Data(password.salt), password.parameters.log2N,
                password.parameters.blockSize, password.parameters.parallelism, key,
            ])
        return db.changesCount > 0
    }

    /// Deletes the account and its read markers; false when there was none. Its messages stay:
    /// they are also the other parties' history.
    static func delete(_ db: Database, key: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM account WHERE name_key = ?", arguments: [key])
        let existed = db.changesCount > 0
        try db.execute(sql: "DELETE FROM read_marker WHERE account_key = ?", arguments: [key])
        return existed
    }

    private static func info(_ row: Row) -> AccountInfo {
        AccountInfo(name: row["name"], email: row["email"], createdMs: row["created_ms"])
    }
}
