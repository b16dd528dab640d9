import Foundation
import GRDB

/// One page of a conversation from its chunks: the messages strictly between two cursors (either
/// may be open), the first `limit` of them from the old end or the new end.
///
/// Chunks are visited from the end the page starts at, in order of their newest time (one index:
/// a second one would cost every commit another dirty page per conversation). A chunk's times
/// span at most ``ChunkFormat/maxSpanMs``, which bounds where a walk must start and when an
/// oldest-first walk can stop. Once `limit` candidates are held, the walk stops at the first
/// chunk that cannot hold a better one, so LATEST never reads more of a conversation than its
/// newest page needs.
struct ChunkPager {
    let db: Database
    let targetKey: String
    let floorMs: Int64

    private struct Candidate {
        let chunk: Int
        let entry: DecodedChunk.Entry
    }

    /// The page, ascending.
    func page(after lower: HistoryCursor?, before upper: HistoryCursor?, limit: Int, fromNewest: Bool) throws -> [StoredMessage] {
        guard limit > 0 else { return [] }
        let lowTime = max(floorMs, lower?.timeMs ?? .min)
        let highTime = upper?.timeMs ?? .max
        guard lowTime <= highTime else { return [] }
        // One index serves both directions: a chunk's oldest message is at most maxSpanMs older
        // than its newest, so the walk can start maxSpanMs early and knows when to stop.
        let statement = try db.cachedStatement(sql: """
            SELECT max_ms, min_ms, body FROM chunk INDEXED BY chunk_by_target_max
            WHERE target_key = ? AND max_ms >= ? AND max_ms <= ? AND min_ms <= ?
            ORDER BY max_ms \(fromNewest ? "DESC" : "ASC")
            """)
        let rows = try Row.fetchCursor(statement, arguments: [
            targetKey, lowTime, ChunkFormat.saturatingAdd(highTime, ChunkFormat.maxSpanMs), highTime,
        ])
        // Newest first when paging from the new end, oldest first otherwise.
        func better(_ a: Candidate, _ b: Candidate) -> Bool {
            fromNewest ? b.entry.cursor < a.entry.cursor : a.entry.cursor < b.entry.cursor
        }
        var chunks: [DecodedChunk] = []
        var candidates: [Candidate] = []
        var full = false
        while let row = try rows.next() {
            let newest: Int64 = row[0]
            let oldest: Int64 = row[1]
            if full, let last = candidates.last {
                // Every later chunk lies beyond the limit-th candidate: none of them can enter.
                if fromNewest ? newest < last.entry.timeMs : ChunkFormat.saturatingAdd(newest, -ChunkFormat.maxSpanMs) > last.entry.timeMs {
                    break
                }
                // This one alone lies beyond it.
                if !fromNewest, oldest > last.entry.timeMs { continue }
            }
            let chunk = try ChunkLookup.decode(row[2])
            let index = chunks.count
            chunks.append(chunk)
            for entry in chunk.entries where entry.timeMs >= floorMs {
                if let lower, !(lower < entry.cursor) { continue }
                if let upper, !(entry.cursor < upper) { continue }
                candidates.append(Candidate(chunk: index, entry: entry))
            }
            if candidates.count >= limit {
                candidates.sort(by: better)
                candidates.removeLast(candidates.count - limit)
                full = true
            }
        }
        if !full { candidates.sort(by: better) }
        let messages = candidates.map { chunks[$0.chunk].message($0.entry) }
        return fromNewest ? messages.reversed() : messages
    }
}
