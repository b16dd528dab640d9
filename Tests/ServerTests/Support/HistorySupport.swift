import Glibc
import Shared

/// One message as its sender's echo or a history batch showed it.
struct SeenMessage: Equatable, CustomStringConvertible {
    let msgid: String
    let timeMs: Int64
    let text: String

    /// Reads msgid, time and text off a relayed or replayed PRIVMSG/NOTICE; nil when a tag is missing.
    init?(_ message: IRCMessage) {
        guard let msgid = message.tag("msgid"), let time = message.tag("time"), let timeMs = IRCTime.parse(time),
              let text = message.param(1) else { return nil }
        self.msgid = msgid
        self.timeMs = timeMs
        self.text = text
    }

    var description: String { "\(text)@\(timeMs)" }

    /// `timestamp=…` for this message's time.
    var timestampBound: String { "timestamp=" + IRCTime.format(millisecondsSince1970: timeMs) }
    /// `msgid=…` for this message.
    var msgidBound: String { "msgid=" + msgid }
}

/// `timestamp=…` for a time in milliseconds.
func timestampBound(_ timeMs: Int64) -> String {
    "timestamp=" + IRCTime.format(millisecondsSince1970: timeMs)
}

/// Spins until the wall clock shows a later millisecond than it did on entry (at most a few ms),
/// so the next message gets a time of its own.
func waitForNextMillisecond() {
    let start = IRCTime.nowMilliseconds()
    while IRCTime.nowMilliseconds() == start {}
}

extension TestClient {
    /// Sends `PRIVMSG target :text` for each text and waits for every echo (echo-message), in order.
    func sendAndCollectEchoes(to target: String, _ texts: [String], within seconds: Double = 15) throws -> [SeenMessage] {
        for text in texts { try send("PRIVMSG \(target) :\(text)") }
        return try collectEchoes(to: target, count: texts.count, within: seconds)
    }

    /// Waits for `count` echoes of this client's own PRIVMSGs to `target`.
    func collectEchoes(to target: String, count: Int, within seconds: Double = 15) throws -> [SeenMessage] {
        var seen: [SeenMessage] = []
        let deadline = Deadline(seconds: seconds)
        let me = nick.lowercased()
        while seen.count < count {
            let echo = try expect("echo \(seen.count + 1) of \(count)", within: Double(deadline.remainingMilliseconds) / 1000) {
                $0.command == "PRIVMSG" && $0.param(0)?.lowercased() == target.lowercased()
                    && $0.source?.lowercased().hasPrefix(me + "!") == true
            }
            guard let message = SeenMessage(echo) else { throw failure("echo without msgid/time: \(echo.wireLine)") }
            seen.append(message)
        }
        return seen
    }

    /// Sends `CHATHISTORY <arguments>` and returns the messages of the `chathistory` batch that answers
    /// it; throws with the transcript when a FAIL or anything else comes instead.
    func history(_ arguments: String, within seconds: Double = 10) throws -> [SeenMessage] {
        try historyLines(arguments, within: seconds).map { line in
            guard let message = SeenMessage(line) else { throw failure("history line without msgid/time: \(line.wireLine)") }
            return message
        }
    }

    /// The raw lines of the batch answering `CHATHISTORY <arguments>`.
    func historyLines(_ arguments: String, within seconds: Double = 10) throws -> [IRCMessage] {
        try send("CHATHISTORY \(arguments)")
        let start = try expect("BATCH + or FAIL for CHATHISTORY \(arguments)", within: seconds) {
            ($0.command == "BATCH" && $0.param(0)?.hasPrefix("+") == true) || $0.command == "FAIL"
        }
        guard start.command == "BATCH" else { throw failure("CHATHISTORY \(arguments) failed: \(start.wireLine)") }
        let id = String(start.params[0].dropFirst())
        let body = try collect(until: "BATCH -\(id)", within: seconds) { $0.command == "BATCH" && $0.param(0) == "-" + id }
        for line in body.dropLast() where line.tag("batch") != id {
            throw failure("a line inside the batch without batch=\(id): \(line.wireLine)")
        }
        return Array(body.dropLast())
    }

    /// The type and parameters of the batch answering `CHATHISTORY <arguments>` together with its lines.
    func historyBatch(_ arguments: String, within seconds: Double = 10) throws -> (start: IRCMessage, lines: [IRCMessage]) {
        try send("CHATHISTORY \(arguments)")
        let start = try expect("BATCH + or FAIL", within: seconds) {
            ($0.command == "BATCH" && $0.param(0)?.hasPrefix("+") == true) || $0.command == "FAIL"
        }
        guard start.command == "BATCH" else { throw failure("CHATHISTORY \(arguments) failed: \(start.wireLine)") }
        let id = String(start.params[0].dropFirst())
        let body = try collect(until: "BATCH -\(id)", within: seconds) { $0.command == "BATCH" && $0.param(0) == "-" + id }
        return (start, Array(body.dropLast()))
    }

    /// Sends `CHATHISTORY <arguments>` and returns the FAIL it must get (throws if a batch comes).
    func historyFailure(_ arguments: String, within seconds: Double = 10) throws -> IRCMessage {
        try send("CHATHISTORY \(arguments)")
        let reply = try expect("FAIL CHATHISTORY", within: seconds) {
            ($0.command == "BATCH" && $0.param(0)?.hasPrefix("+") == true) || $0.command == "FAIL"
        }
        guard reply.command == "FAIL", reply.param(0) == "CHATHISTORY" else {
            throw failure("CHATHISTORY \(arguments) was answered with a batch instead of FAIL")
        }
        return reply
    }

    /// `CHATHISTORY TARGETS from to limit`: each target's name and latest time.
    func historyTargets(from: String, to: String, limit: Int = 50, within seconds: Double = 10) throws -> [(name: String, timeMs: Int64)] {
        let (start, lines) = try historyBatch("TARGETS \(from) \(to) \(limit)", within: seconds)
        guard start.param(1) == "draft/chathistory-targets" else { throw failure("TARGETS answered with \(start.wireLine)") }
        return try lines.map { line in
            guard line.command == "CHATHISTORY", line.param(0) == "TARGETS", let name = line.param(1),
                  let time = line.param(2).flatMap({ IRCTime.parse($0) }) else {
                throw failure("not a TARGETS line: \(line.wireLine)")
            }
            return (name, time)
        }
    }
}
