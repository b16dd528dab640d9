import Glibc

/// The target a client last sent a direct message to, as it wrote it, and who that was.
///
/// A client in a conversation names the same nick line after line; folding the name, building a
/// String of it and hashing it into ``Server/nicks`` cost more than anything else in finding the
/// recipient. The answer is kept with the version of the nick table it came from: any change to
/// the table (a nick taken, changed or freed) bumps the version, so a remembered recipient is
/// used only while the table still maps that name to it, which also proves it is still alive.
struct RecentDirectTarget {
    /// The target's bytes, zero-padded (names longer than this are not remembered).
    private var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count = -1
    private var version: UInt64 = 0
    private var recipient: Unmanaged<Client>?

    private static let capacity = 32

    /// The remembered recipient when `target` is the name it was found by and the nick table is
    /// still at `version`.
    @inline(__always)
    func recipient(for target: UnsafeBufferPointer<UInt8>, version: UInt64) -> Unmanaged<Client>? {
        guard version == self.version, target.count == count, let recipient, let base = target.baseAddress else { return nil }
        let same = withUnsafeBytes(of: bytes) { remembered in remembered.baseAddress.map { memcmp($0, base, count) == 0 } ?? false }
        return same ? recipient : nil
    }

    /// Remembers that `target` named `recipient` in the nick table at `version`.
    mutating func remember(_ target: UnsafeBufferPointer<UInt8>, _ recipient: Client, version: UInt64) {
        guard target.count <= Self.capacity, let base = target.baseAddress else {
            forget()
            return
        }
        bytes = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { $0.baseAddress?.copyMemory(from: base, byteCount: target.count) }
        count = target.count
        self.version = version
        self.recipient = Unmanaged.passUnretained(recipient)
    }

    /// Drops the remembered target.
    mutating func forget() {
        count = -1
        recipient = nil
    }
}
