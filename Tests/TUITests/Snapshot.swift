import Foundation
import Testing

/// Golden text snapshots in Tests/TUITests/Snapshots; `CHAT_RECORD_SNAPSHOTS=1` re-records.
enum Snapshot {
    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation,
                      file: String = #filePath) {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Snapshots")
        let url = directory.appendingPathComponent(name + ".txt")
        let text = actual + "\n"
        if ProcessInfo.processInfo.environment["CHAT_RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            do {
                try text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("cannot record \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("no snapshot \(name).txt; run with CHAT_RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        if expected != text {
            Issue.record("snapshot \(name) differs:\n--- expected\n\(expected)--- actual\n\(text)", sourceLocation: sourceLocation)
        }
    }
}
