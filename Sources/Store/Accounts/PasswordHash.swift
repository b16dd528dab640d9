import Crypto
import _CryptoExtras

/// A salted scrypt hash and the parameters that made it.
struct PasswordHash: Sendable, Equatable {
    let hash: [UInt8]
    let salt: [UInt8]
    let parameters: ScryptParameters

    static let saltBytes = 16
    static let hashBytes = 32

    /// Hashes `password` with a fresh random salt. Takes as long as the parameters say: call it
    /// on a worker thread only.
    static func make(password: String, parameters: ScryptParameters) throws -> PasswordHash {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return PasswordHash(hash: try derive(password, salt, parameters), salt: salt, parameters: parameters)
    }

    /// True when `password` hashes to this hash; compares in constant time.
    func matches(_ password: String) throws -> Bool {
        let candidate = try Self.derive(password, salt, parameters)
        guard candidate.count == hash.count else { return false }
        var difference: UInt8 = 0
        for index in hash.indices { difference |= hash[index] ^ candidate[index] }
        return difference == 0
    }

    private static func derive(_ password: String, _ salt: [UInt8], _ parameters: ScryptParameters) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: hashBytes,
            rounds: 1 << parameters.log2N, blockSize: parameters.blockSize, parallelism: parameters.parallelism)
        return key.withUnsafeBytes { Array($0) }
    }
}
