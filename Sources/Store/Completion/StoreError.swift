/// A storage failure: the database refused or the store was closed.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, for logs and FAIL messages.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }

    static let closed = StoreError("store is closed")
}
