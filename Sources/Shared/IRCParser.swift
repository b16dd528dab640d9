/// How strictly ``IRCMessage/parse(_:limits:)`` checks sizes.
public struct IRCParseLimits: Sendable {
    /// Maximum bytes of the non-tag part, without CR LF.
    public var bodyBytes: Int
    /// Maximum bytes of the tag section including `@` and the space after it.
    public var tagBytes: Int

    /// Creates limits.
    public init(bodyBytes: Int, tagBytes: Int) {
        self.bodyBytes = bodyBytes
        self.tagBytes = tagBytes
    }

    /// What a server accepts from a client: 510 bytes of body and 4096 of client tags.
    public static let fromClient = IRCParseLimits(bodyBytes: IRCLimits.lineBytes - 2, tagBytes: IRCLimits.clientTagBytes)
    /// What a client accepts from a server: generous, because servers in the wild exceed 512.
    public static let fromServer = IRCParseLimits(bodyBytes: 16 * 1024, tagBytes: IRCLimits.tagBytes)
}

private let space = UInt8(ascii: " ")
private let colon = UInt8(ascii: ":")
private let at = UInt8(ascii: "@")

extension IRCMessage {
    /// Parses one line (without its CR LF) given as UTF-8 text.
    public static func parse(_ line: String, limits: IRCParseLimits = .fromServer) throws(IRCParseError) -> IRCMessage {
        var copy = line
        let result = copy.withUTF8 { buffer in
            Result { () throws(IRCParseError) -> IRCMessage in try parse(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// Parses one line (without its CR LF) given as bytes.
    public static func parse(_ bytes: [UInt8], limits: IRCParseLimits = .fromServer) throws(IRCParseError) -> IRCMessage {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(IRCParseError) -> IRCMessage in try parse(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// Parses one line (without its CR LF) given as bytes.
    public static func parse(_ bytes: ArraySlice<UInt8>, limits: IRCParseLimits = .fromServer) throws(IRCParseError) -> IRCMessage {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(IRCParseError) -> IRCMessage in try parse(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// Parses one line (without its CR LF) from raw memory.
    ///
    /// Follows the "Modern IRC client protocol" grammar: optional `@tags`, optional `:source`,
    /// a command, then up to 15 parameters, the last of which may be a `:trailing` one.
    /// Runs of spaces between parts are tolerated, as the spec asks of servers.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>, limits: IRCParseLimits) throws(IRCParseError) -> IRCMessage {
        let count = line.count
        // One pass finds forbidden control bytes and whether the line is pure ASCII, which is valid
        // UTF-8 as it stands; only other lines pay for the full check (which builds a String).
        let (hasForbidden, asciiOnly) = scanControlAndASCII(line)
        if hasForbidden { throw .forbiddenControlCharacter }
        if !asciiOnly, String(validating: line, as: UTF8.self) == nil { throw .invalidUTF8 }

        var index = 0
        var tags: [IRCTag] = []
        if count > 0, line[0] == at {
            var end = 1
            while end < count, line[end] != space { end += 1 }
            if end + 1 > limits.tagBytes { throw .tagsTooLong }
            tags = parseTags(UnsafeBufferPointer(rebasing: line[1..<end]))
            index = end
        }
        while index < count, line[index] == space { index += 1 }
        if count - index > limits.bodyBytes { throw .lineTooLong }
        guard index < count else { throw tags.isEmpty ? .empty : .missingCommand }

        var source: String?
        if line[index] == colon {
            var end = index + 1
            while end < count, line[end] != space { end += 1 }
            source = makeString(line, index + 1, end)
            index = end
            while index < count, line[index] == space { index += 1 }
        }
        guard index < count else { throw .missingCommand }

        var commandEnd = index
        while commandEnd < count, line[commandEnd] != space { commandEnd += 1 }
        let command = try parseCommand(UnsafeBufferPointer(rebasing: line[index..<commandEnd]))
        index = commandEnd

        var params: [String] = []
        // Most commands carry a few parameters: one allocation instead of growing 1, 2, 4.
        if index < count { params.reserveCapacity(4) }
        while true {
            while index < count, line[index] == space { index += 1 }
            if index >= count { break }
            if params.count == IRCLimits.maxParams { throw .tooManyParams }
            if line[index] == colon {
                params.append(makeString(line, index + 1, count))
                break
            }
            var end = index
            while end < count, line[end] != space { end += 1 }
            params.append(makeString(line, index, end))
            index = end
        }
        return IRCMessage(tags: tags, source: source, command: command, params: params)
    }

    /// Whether `line` holds NUL, CR or LF, and whether it is pure ASCII, eight bytes at a time: every
    /// line a server receives passes here. The word test is true exactly when some byte is below
    /// 0x20 (tabs and other harmless controls too), and only then are those eight looked at one by one.
    @inline(__always)
    private static func scanControlAndASCII(_ line: UnsafeBufferPointer<UInt8>) -> (hasForbidden: Bool, asciiOnly: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let count = line.count
        var highBits: UInt64 = 0
        var index = 0
        if let base = line.baseAddress {
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                highBits |= word
                if (word &- ones &* 0x20) & ~word & highs != 0 {
                    for byte in line[index..<(index + 8)] where byte == 0 || byte == 0x0D || byte == 0x0A {
                        return (true, false)
                    }
                }
                index += 8
            }
        }
        var asciiOnly = highBits & highs == 0
        while index < count {
            let byte = line[index]
            if byte == 0 || byte == 0x0D || byte == 0x0A { return (true, false) }
            if byte >= 0x80 { asciiOnly = false }
            index += 1
        }
        return (false, asciiOnly)
    }

    private static func makeString(_ line: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }

    private static func parseCommand(_ bytes: UnsafeBufferPointer<UInt8>) throws(IRCParseError) -> String {
        guard !bytes.isEmpty else { throw .missingCommand }
        if bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard bytes.count == 3 else { throw .invalidCommand }
            return String(decoding: bytes, as: UTF8.self)
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): continue
            default: throw .invalidCommand
            }
        }
        // Letters only from here on, so clearing bit 5 upper-cases; written straight into the String.
        return String(unsafeUninitializedCapacity: bytes.count) { upper in
            for (offset, byte) in bytes.enumerated() { upper[offset] = byte & 0xDF }
            return bytes.count
        }
    }

    private static func parseTags(_ bytes: UnsafeBufferPointer<UInt8>) -> [IRCTag] {
        var tags: [IRCTag] = []
        var start = 0
        let count = bytes.count
        while start <= count {
            var end = start
            while end < count, bytes[end] != UInt8(ascii: ";") { end += 1 }
            if end > start {
                let item = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let equals = item.firstIndex(of: UInt8(ascii: "="))
                let key = String(decoding: UnsafeBufferPointer(rebasing: item[..<(equals ?? item.count)]), as: UTF8.self)
                var value = ""
                if let equals {
                    let raw = String(decoding: UnsafeBufferPointer(rebasing: item[(equals + 1)...]), as: UTF8.self)
                    value = IRCTagEscaping.unescape(raw)
                }
                if !key.isEmpty {
                    // The spec says a repeated key is the last one's value.
                    if let existing = tags.firstIndex(where: { $0.key == key }) {
                        tags[existing].value = value
                    } else {
                        tags.append(IRCTag(key, value))
                    }
                }
            }
            start = end + 1
        }
        return tags
    }
}
