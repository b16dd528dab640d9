/// Identifies one asynchronous request; its completion carries the same ticket.
public struct StoreTicket: Hashable, Sendable, CustomStringConvertible {
    /// Unique per store, increasing in request order.
    public let rawValue: UInt64

    /// Wraps a raw ticket number.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `#N`.
    public var description: String { "#\(rawValue)" }
}
