/// The fixed rules every stored chunk follows. Queries rely on them, so changing one needs a
/// migration that rewrites the chunks.
///
/// A chunk holds messages of one conversation from one group commit, in storage order, with
/// times that never go backwards inside it and span at most `maxSpanMs`. That bound is what lets
/// a page query find every chunk overlapping a time range from one index on either end.
enum ChunkFormat {
    /// The first byte of every body.
    static let version: UInt8 = 1
    /// Newest minus oldest message time within one chunk, at most.
    static let maxSpanMs: Int64 = 1_000
    /// Messages per chunk, at most: a query decodes whole chunks, so they stay small.
    static let maxMessages = 256
    /// Encoded message bytes per chunk before a new one is started.
    static let maxRecordBytes = 64 * 1024

    /// Per-message flag bits.
    static let rangedMsgid: UInt8 = 1
    static let hasAccount: UInt8 = 2
    static let hasTags: UInt8 = 4

    /// Header flag bits.
    static let isRoom: UInt8 = 1

    /// `value + delta` without trapping at the ends of Int64.
    static func saturatingAdd(_ value: Int64, _ delta: Int64) -> Int64 {
        let (sum, overflow) = value.addingReportingOverflow(delta)
        return overflow ? (delta > 0 ? .max : .min) : sum
    }
}
