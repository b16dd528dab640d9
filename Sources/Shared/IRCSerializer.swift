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
        if !tags.isEmpty {
            buffer.append(UInt8(ascii: "@"))
            for (offset, tag) in tags.enumerated() {
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
        for (offset, param) in params.enumerated() {
            buffer.append(UInt8(ascii: " "))
            let isLast = offset == params.count - 1
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
        return first == UInt8(ascii: ":") || param.utf8.contains(UInt8(ascii: " "))
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
        var utf8 = text.utf8
        let fast: Bool? = utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte == 0 || byte == 0x0A || byte == 0x0D || (!allowSpace && byte == 0x20) { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if fast == true { return }
        utf8 = text.utf8
        for byte in utf8 { buffer.append(Self.safeByte(byte, allowSpace: allowSpace)) }
    }
}
