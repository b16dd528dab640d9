/// A query for a reader thread.
enum ReadJob: Sendable {
    case history(StoreTicket, HistoryRequest)
    case targets(StoreTicket, TargetsRequest)
    case readMarker(StoreTicket, account: String, target: String)
    case listAccounts(StoreTicket)
}
