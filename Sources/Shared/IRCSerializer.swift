#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension IRCMessage {
    /// The message as it goes on the wire, ending in CR LF.
    ///
    /// CR, LF and NUL inside any part are replaced by spaces so that nothing a message carries can
    /// start a second line; a middle parameter that would not survive a round trip (empty, holding a
    /// space, or starting with `:`) is written as the trailing parameter when it is the last one.
    public var wireBytes: [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 + params.reduce(0) { $0 + $1.utf8.count + 1 })
        write(into: &buffer)
        return buffer
    }

    /// The message as text, without the final CR LF.
    public var wireLine: String {
        var bytes = wireBytes
        bytes.removeLast(2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the wire form of the message (with CR LF) to `buffer`.
    public func write(into buffer: inout [UInt8]) {
        write(into: &buffer, tags: tags)
    }

    /// Appends the wire form of the message with `tags` in place of its own, so a server can send
    /// each recipient only the tags it may see without copying the message to change them.
    public func write(into buffer: inout [UInt8], tags: [IRCTag]) {
        if !tags.isEmpty {
            buffer.append(UInt8(ascii: "@"))
            for offset in tags.indices {
                let tag = tags[offset]
                if offset > 0 { buffer.append(UInt8(ascii: ";")) }
                appendSafe(tag.key, to: &buffer, allowSpace: false)
                if !tag.value.isEmpty {
                    buffer.append(UInt8(ascii: "="))
                    Self.appendEscaped(tag.value, to: &buffer)
                }
            }
            buffer.append(UInt8(ascii: " "))
        }
        if let source {
            buffer.append(UInt8(ascii: ":"))
            appendSafe(source, to: &buffer, allowSpace: false)
            buffer.append(UInt8(ascii: " "))
        }
        appendSafe(command, to: &buffer, allowSpace: false)
        let lastOffset = params.count - 1
        for offset in params.indices {
            let param = params[offset]
            buffer.append(UInt8(ascii: " "))
            let isLast = offset == lastOffset
            if isLast && Self.needsTrailing(param) {
                buffer.append(UInt8(ascii: ":"))
                appendSafe(param, to: &buffer, allowSpace: true)
            } else if param.isEmpty {
                buffer.append(UInt8(ascii: "*"))
            } else {
                // A middle parameter cannot hold a space or start with ':'; keep framing intact.
                if param.utf8.first == UInt8(ascii: ":") {
                    buffer.append(UInt8(ascii: "_"))
                    appendSafe(String(param.dropFirst()), to: &buffer, allowSpace: false)
                } else {
                    appendSafe(param, to: &buffer, allowSpace: false)
                }
            }
        }
        buffer.append(0x0D)
        buffer.append(0x0A)
    }

    /// True when `param` must be sent as a `:trailing` parameter.
    public static func needsTrailing(_ param: String) -> Bool {
        guard let first = param.utf8.first else { return true }
        if first == UInt8(ascii: ":") { return true }
        // Every relayed text is looked at here: memchr rather than a byte-by-byte search.
        let found: Bool? = param.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: " ")), bytes.count) != nil
        }
        return found ?? param.utf8.contains(UInt8(ascii: " "))
    }

    /// Appends a tag value in escaped form; values needing no escapes (time, msgid, account) are copied as they are.
    private static func appendEscaped(_ value: String, to buffer: inout [UInt8]) {
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte == 0x3B || byte == 0x20 || byte == 0x5C || byte == 0x0D || byte == 0x0A || byte == 0 {
                return false
            }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        buffer.append(contentsOf: IRCTagEscaping.escape(value).utf8)
    }

    private static func safeByte(_ byte: UInt8, allowSpace: Bool) -> UInt8 {
        switch byte {
        case 0, 0x0A, 0x0D: return allowSpace ? UInt8(ascii: " ") : UInt8(ascii: "_")
        case UInt8(ascii: " ") where !allowSpace: return UInt8(ascii: "_")
        default: return byte
        }
    }

    private func appendSafe(_ text: String, to buffer: inout [UInt8], allowSpace: Bool) {
        let fast: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard Self.isClean(bytes, allowSpace: allowSpace) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if fast == true { return }
        for byte in text.utf8 { buffer.append(Self.safeByte(byte, allowSpace: allowSpace)) }
    }

    /// True when `bytes` hold no NUL, CR or LF (nor a space unless `allowSpace`).
    ///
    /// Every relayed text passes through here, so it looks at eight bytes at a time: the word test
    /// below is true exactly when some byte is below `limit` (valid for limits up to 128), and only
    /// then are those eight bytes looked at one by one.
    @inline(__always)
    private static func isClean(_ bytes: UnsafeBufferPointer<UInt8>, allowSpace: Bool) -> Bool {
        // Every forbidden byte is below 0x0E (or 0x21 when a space is forbidden too).
        let limit: UInt64 = allowSpace ? 0x0E : 0x21
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let count = bytes.count
        var index = 0
        if let base = bytes.baseAddress {
            while index + 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if (word &- ones &* limit) & ~word & highs != 0 {
                    for byte in bytes[index..<(index + 8)] where isForbidden(byte, allowSpace: allowSpace) { return false }
                }
                index += 8
            }
        }
        while index < count {
            if isForbidden(bytes[index], allowSpace: allowSpace) { return false }
            index += 1
        }
        return true
    }

    @inline(__always)
    private static func isForbidden(_ byte: UInt8, allowSpace: Bool) -> Bool {
        byte <= 0x20 && (byte == 0 || byte == 0x0A || byte == 0x0D || (!allowSpace && byte == 0x20))
    }
}
