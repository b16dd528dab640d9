import Shared

/// One sender pushing numbered DMs (`crash N`) as fast as the server takes them, keeping at most
/// `window` ahead of their echoes, and recording every echo it sees.
final class EchoStream {
    let sender: TestClient
    let target: String
    let total: Int
    let window: Int
    let chunk: Int
    /// DMs written to the socket so far.
    private(set) var sent = 0
    /// Echoes seen so far, in arrival order.
    private(set) var seen: [SeenMessage] = []

    init(sender: TestClient, target: String, total: Int, window: Int = 2_000, chunk: Int = 100) {
        self.sender = sender
        self.target = target
        self.total = total
        self.window = window
        self.chunk = chunk
    }

    /// Pushes and reads until at least `echoes` echoes have been seen; throws past the deadline.
    func run(untilEchoes echoes: Int, within seconds: Double) throws {
        let deadline = Deadline(seconds: seconds)
        while seen.count < echoes {
            guard !deadline.hasPassed else {
                throw sender.failure("only \(seen.count) echoes of \(sent) DMs within \(seconds) s")
            }
            let maySend = sent < total && sent - seen.count < window
            if maySend { try pushChunk() }
            // Wait for an echo only when nothing more may be sent; otherwise take what has arrived.
            if let message = try sender.nextMessage(within: maySend ? 0 : 5) { try record(message) }
            while let message = try sender.nextMessage(within: 0) { try record(message) }
        }
    }

    /// Writes the next `chunk` DMs without reading anything.
    func pushChunk() throws {
        let count = min(chunk, total - sent)
        guard count > 0 else { return }
        var bytes: [UInt8] = []
        for index in sent..<sent + count { bytes += Array("PRIVMSG \(target) :crash \(index)\r\n".utf8) }
        try sender.sendRaw(bytes, record: false)
        sent += count
    }

    /// Reads until the connection closes (or stays quiet for `quiet` seconds), recording echoes.
    func drain(quiet: Double = 5) throws {
        while let message = try sender.nextMessage(within: quiet) { try record(message) }
    }

    private func record(_ message: IRCMessage) throws {
        guard message.command == "PRIVMSG", message.param(0) == target else { return }
        guard let echo = SeenMessage(message) else { throw sender.failure("echo without msgid/time: \(message.wireLine)") }
        seen.append(echo)
    }
}

extension TestClient {
    /// Every message of the DM conversation with `peer` after `startMs`, paged with AFTER in pages of 1000.
    func wholeHistory(with peer: String, after startMs: Int64, maxPages: Int) throws -> [SeenMessage] {
        var history: [SeenMessage] = []
        var bound = timestampBound(startMs)
        for _ in 0..<maxPages {
            let page = try self.history("AFTER \(peer) \(bound) 1000", within: 20)
            guard let last = page.last else { return history }
            history += page
            bound = last.msgidBound
        }
        throw failure("history with \(peer) did not end within \(maxPages) pages")
    }
}

/// The durability promise: every echo seen is stored exactly once with its text, nothing is stored
/// twice, and the store holds only what was sent, in sending order. Returns what is wrong, if anything.
func durabilityViolations(seen: [SeenMessage], history: [SeenMessage], sent: Int) -> [String] {
    var problems: [String] = []
    if Set(seen.map(\.msgid)).count != seen.count { problems.append("the sender saw an echo twice") }
    if Set(history.map(\.msgid)).count != history.count { problems.append("a msgid is in history twice") }
    if Set(history.map(\.text)).count != history.count { problems.append("a text is in history twice") }
    let stored = Dictionary(history.map { ($0.msgid, $0) }, uniquingKeysWith: { first, _ in first })
    let missing = seen.filter { stored[$0.msgid] == nil }
    if !missing.isEmpty {
        problems.append("\(missing.count) echoed messages lost (sent \(sent), echoed \(seen.count), stored \(history.count)), first: \(missing.prefix(5))")
    }
    let altered = seen.filter { echo in stored[echo.msgid].map { $0.text != echo.text } ?? false }
    if !altered.isEmpty { problems.append("stored text differs from the echo: \(altered.prefix(5))") }
    let indices = history.compactMap { Int($0.text.dropFirst("crash ".count)) }
    if indices.count != history.count || indices != indices.sorted() || (indices.last ?? 0) >= sent {
        problems.append("history holds something not sent, or out of order")
    }
    return problems
}
