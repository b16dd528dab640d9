/// scrypt cost parameters. They are stored with every hash, so changing the configured ones
/// affects new and re-hashed passwords only; old hashes keep verifying with their own.
public struct ScryptParameters: Hashable, Sendable {
    /// log2 of N, the CPU/memory cost (memory is 128·N·r bytes).
    public var log2N: Int
    /// The block size r.
    public var blockSize: Int
    /// The parallelism p.
    public var parallelism: Int

    /// Creates parameters; nil when they are outside what scrypt accepts or memory allows.
    public init?(log2N: Int, blockSize: Int, parallelism: Int) {
        guard (1...24).contains(log2N), (1...64).contains(blockSize), (1...16).contains(parallelism) else { return nil }
        self.log2N = log2N
        self.blockSize = blockSize
        self.parallelism = parallelism
    }

    /// N = 2^15, r = 8, p = 1: 32 MiB and about 0.25 s per hash in a debug build here.
    public static let interactive = ScryptParameters(unchecked: 15, 8, 1)
    /// N = 2^10, r = 8, p = 1: fast, for tests only.
    public static let testing = ScryptParameters(unchecked: 10, 8, 1)

    private init(unchecked log2N: Int, _ blockSize: Int, _ parallelism: Int) {
        self.log2N = log2N
        self.blockSize = blockSize
        self.parallelism = parallelism
    }
}
