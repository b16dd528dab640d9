#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into IRC lines.
///
/// Lines end in LF, with an optional CR before it (the spec asks servers to accept a bare LF).
/// A line longer than `maxLineBytes` is reported once as ``Frame/tooLong`` and its bytes are
/// discarded up to the next LF, so an endless line cannot grow memory.
public struct LineFramer: Sendable {
    /// One unit produced by the framer.
    public enum Frame: Sendable, Equatable {
        /// A complete line without its CR LF.
        case line([UInt8])
        /// A line went over the limit and was dropped.
        case tooLong
    }

    /// The longest line accepted, without CR LF.
    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var discarding = false

    /// Creates a framer that accepts lines up to `maxLineBytes` long.
    public init(maxLineBytes: Int = IRCLimits.tagBytes + IRCLimits.lineBytes) {
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes received but not yet part of a complete line.
    public var pendingByteCount: Int { buffer.count - start }

    /// Adds bytes read from the socket.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes read from the socket.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// Where one unit lies in the framer's buffer, for reading it in place with ``withLineBytes(_:_:)``.
    public enum FrameRange: Sendable, Equatable {
        /// A complete line without its CR LF, as offsets into the framer's buffer.
        case line(Range<Int>)
        /// A line went over the limit and was dropped.
        case tooLong
    }

    /// How much buffer capacity is kept once every byte was consumed; more is given back to the
    /// allocator. A busy server connection raises it so its buffer is not re-grown every read and
    /// calls ``releaseCapacity()`` once the connection falls idle.
    public var retainedCapacity = 1024

    /// The next complete line, a too-long report, or nil when more bytes are needed.
    public mutating func next() -> Frame? {
        switch nextRange() {
        case .line(let range)?: return .line(Array(buffer[range]))
        case .tooLong?: return .tooLong
        case nil: return nil
        }
    }

    /// Like ``next()``, but a line is not copied: its offsets stay valid until the framer is next
    /// changed (``append(_:)``, ``nextRange()``, ``releaseCapacity()``).
    public mutating func nextRange() -> FrameRange? {
        while true {
            guard let newline = newlineIndex() else {
                // One byte of slack: a full-length line may be waiting for the LF after its CR.
                if buffer.count - start > maxLineBytes + 1 {
                    let wasDiscarding = discarding
                    discarding = true
                    compact(dropping: buffer.count)
                    if !wasDiscarding { return .tooLong }
                } else {
                    compact(dropping: start)
                }
                return nil
            }
            var end = newline
            if end > start, buffer[end - 1] == 0x0D { end -= 1 }
            let length = end - start
            let lineStart = start
            start = newline + 1
            if discarding {
                discarding = false
                continue
            }
            if length > maxLineBytes { return .tooLong }
            if length == 0 { continue }
            return .line(lineStart..<end)
        }
    }

    /// The line ``nextRange()`` would return next, without taking it; nil when that call would
    /// return anything else (nothing complete, a too-long report, a line being discarded).
    /// Lets a caller look at the following line before deciding to handle it now.
    public mutating func peekLineRange() -> Range<Int>? {
        guard !discarding, let newline = newlineIndex(), newline > start else { return nil }
        var end = newline
        if buffer[end - 1] == 0x0D { end -= 1 }
        guard end > start, end - start <= maxLineBytes else { return nil }
        return start..<end
    }

    /// Runs `body` over the bytes of a line that ``nextRange()`` returned, in place.
    ///
    /// `mutating` though it changes nothing: a framer held in a class property is then reached in
    /// place, where a non-mutating call copies it (a retain and a release of its buffer per line).
    @inline(__always)
    public mutating func withLineBytes<Result>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeBufferPointer { bytes in try body(UnsafeBufferPointer(rebasing: bytes[range])) }
    }

    /// Gives the buffer's memory back when nothing is pending (for connections that fell idle).
    public mutating func releaseCapacity() {
        guard start == buffer.count, buffer.capacity > 0 else { return }
        buffer = []
        start = 0
    }

    /// Where the next LF is, found by memchr (vectorised in libc) rather than a byte-by-byte search.
    @inline(__always)
    private func newlineIndex() -> Int? {
        let from = start
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            guard let base = bytes.baseAddress, from < bytes.count,
                  let found = memchr(base + from, 0x0A, bytes.count - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func compact(dropping count: Int) {
        if count >= buffer.count {
            // An idle connection should not keep the memory of its largest read.
            buffer.removeAll(keepingCapacity: buffer.capacity <= retainedCapacity)
            start = 0
        } else if count > 0 {
            buffer.removeFirst(count)
            start = 0
        }
    }
}
