import ChatStore
import Shared

/// The commonest line a server receives, `PRIVMSG nick :text` (or NOTICE), handled from its bytes.
///
/// The general path builds an ``IRCMessage`` for the line and another for the relayed message, and
/// their allocations and reference counting were most of a direct message's cost on the loop
/// thread. This path writes the relayed line straight from the received bytes into the
/// recipient's queue. It must stay exactly equivalent to the general path (`deliverText` → `route`
/// → the direct branch, `storeForHistory`, `relay(_:to:)`): byte for byte what every client gets,
/// the same side effects and the same stored fields. Whatever it is not sure of, it leaves alone:
/// it answers false before changing anything, and the general path handles the line (and reports
/// whatever is wrong with it).
extension Server {
    /// Handles `line` if it is a plain direct message from a registered client; false, with nothing
    /// done, when the line must take the general path.
    func deliverDirectMessageFast(_ client: Client, _ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard client.isRegistered, client.labelCapture == nil,
              let shape = DirectMessageShape(line) else { return false }
        // Refused by the general path before routing (417 with the sender's prefix added): it says why.
        let relayedBytes = Self.relayedSize(prefixBytes: client.prefix.utf8.count, commandBytes: shape.command.bytes.utf8CodeUnitCount,
                                            targetBytes: shape.target.count, textBytes: shape.text.count)
        guard relayedBytes <= IRCLimits.lineBytes else { return false }
        // Non-ASCII text must be valid UTF-8; the general path rejects it with FAIL otherwise.
        var validatedText: String?
        if !shape.textIsASCII {
            guard let text = String(validating: shape.text, as: UTF8.self) else { return false }
            validatedText = text
        }
        guard let found = recipient(named: shape.target, from: client) else { return false }
        // Unretained: the recipient stays in `clients` until finalClose, which never runs while a
        // line is handled (a retain and a release per DM showed in the profile).
        return found._withUnsafeGuaranteedRef { recipient in
            deliverDirectMessage(shape, validatedText: validatedText, from: client, to: recipient)
        }
    }

    /// The rest of ``deliverDirectMessageFast(_:_:)`` once the recipient is found.
    private func deliverDirectMessage(_ shape: DirectMessageShape, validatedText: String?, from client: Client, to recipient: Client) -> Bool {
        guard recipient.isRegistered, recipient !== client, recipient.labelCapture == nil else { return false }
        // The general writer rewrites a source or middle parameter it cannot send as is; such
        // (never expected) values take the general path rather than a second copy of those rules.
        guard client.prefixIsPlain, recipient.displayNickIsPlainParameter, client.accountIsPlainTag else { return false }

        let timeMs = receivedWallMilliseconds()
        guard let time = serverTimeBytes(timeMs) else { return false }

        // From here on the line is ours: the side effects of handleFramedLine and deliverText.
        let now = self.now
        client.lastReceivedAt = now
        client.pingSentAt = nil
        client.lastSpokeAt = now
        let command = shape.command
        // The names are read once, into the line, and used from there: a copy kept beside it
        // cost a retain and a release per name.
        let line = DirectMessageLine(
            time: time, msgid: makeMsgidBytes(), account: client.account,
            source: client.prefix, command: command, target: recipient.displayNick, text: shape.text)
        if command == .privmsg, let away = recipient.awayMessage {
            reply(client, IRCNumeric.away, line.target, away)
        }
        let echo = client.has(.echoMessage)
        var echoHeld = false
        if storesHistory, let storeReference {
            // Staged from the bytes: no String of the text, and the route's strings are given once
            // per turn, when the store has no row yet for the two clients at their names' versions.
            let routeKey = DirectRouteKey(
                sender: UInt64(truncatingIfNeeded: client.id), senderVersion: client.identityVersion,
                recipient: UInt64(truncatingIfNeeded: recipient.id), recipientVersion: recipient.identityVersion,
                commandBit: command == .notice)
            // Unretained, as the server holds its store from start to shutdown.
            let ticket = line.msgid.withBytes { msgid in storeReference._withUnsafeGuaranteedRef { store in
                store.stageDirect(
                    msgid: msgid, timeMs: timeMs, text: shape.text, routeHint: routeHint(client, .direct(recipient)), routeKey: routeKey
                ) {
                    DirectRoute(
                        senderSource: line.source, senderNick: client.displayNick, senderAccount: line.account,
                        destination: .direct(historyParty(recipient)), targetName: line.target, command: command.name)
                }
            } }
            // The echo promises the message is safe on disk, so it waits for the commit (see storeForHistory).
            let pendingEcho = echo ? PendingRelay(message: line.message(text: validatedText ?? String(decoding: shape.text, as: UTF8.self)), sender: client, recipients: [client], echoLabel: deferLabel(client)) : nil
            awaitCommit(ticket, echo: pendingEcho)
            echoHeld = true
        }
        appendDirectMessage(line, to: recipient)
        if echo && !echoHeld { appendDirectMessage(line, to: client) }
        return true
    }

    /// `nicks[folded target]`, by way of the sender's last target while the nick table has not changed.
    @inline(__always)
    private func recipient(named target: UnsafeBufferPointer<UInt8>, from client: Client) -> Unmanaged<Client>? {
        let version = nicksVersion
        if let recent = client.recentDirectTarget.recipient(for: target, version: version) { return recent }
        guard let found = nicks[Self.folded(target, caseMapping)] else { return nil }
        client.recentDirectTarget.remember(target, found, version: version)
        return Unmanaged.passUnretained(found)
    }

    /// Writes the relayed line with the tags `client` may see straight into its send queue, under
    /// the SendQ rules of ``appendMessage(_:tags:to:)``.
    private func appendDirectMessage(_ line: DirectMessageLine, to client: Client) {
        let caps = client.caps
        appendWritten(to: client) { line.write(into: &$0, caps: caps) }
    }

    /// True when the general writer would copy `text` unchanged as a source or middle parameter:
    /// not empty, and no space, NUL, CR or LF. Eight bytes at a time: every relayed line asks it twice.
    static func isPlainWord(_ text: String) -> Bool {
        let plain: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            var index = 0
            while index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                // True exactly when some byte is below 0x21; only then are the eight looked at.
                if (word &- ones &* 0x21) & ~word & highs != 0 {
                    for offset in index..<(index + 8) where isSeparator(base[offset]) { return false }
                }
                index += 8
            }
            while index < bytes.count {
                if isSeparator(base[index]) { return false }
                index += 1
            }
            return true
        }
        return plain ?? (!text.isEmpty && !text.utf8.contains(where: isSeparator))
    }

    @inline(__always)
    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0 || byte == 0x0A || byte == 0x0D
    }

    /// The folded form of an ASCII name, exactly as ``IRCCaseMapping/fold(_:)`` gives it, built
    /// from the bytes (no String of the unfolded name, no second pass).
    static func folded(_ name: UnsafeBufferPointer<UInt8>, _ mapping: IRCCaseMapping) -> String {
        String(unsafeUninitializedCapacity: name.count) { folded in
            for index in 0..<name.count {
                let byte = name[index]
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    folded[index] = byte + 32
                case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"):
                    folded[index] = mapping == .ascii ? byte : byte + 32
                case UInt8(ascii: "~"):
                    folded[index] = mapping == .rfc1459 ? UInt8(ascii: "^") : byte
                default:
                    folded[index] = byte
                }
            }
            return name.count
        }
    }

    /// True when a tag value goes on the wire as it is (no `;`, space, `\`, CR, LF or NUL to escape).
    static func needsNoTagEscaping(_ value: String) -> Bool {
        !value.utf8.contains { $0 == 0x3B || $0 == 0x20 || $0 == 0x5C || $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }
}
