import Foundation

/// With `CHAT_TUI_BENCH_LOG=PATH`, one line per drawn batch: how long the draw took and, when
/// the batch held network events, the time from the socket read to the end of the draw.
/// Used by scripts/tui-bench.sh; costs nothing when the variable is unset.
final class BenchLog {
    private let handle: FileHandle

    init?(environment: [String: String]) {
        guard let path = environment["CHAT_TUI_BENCH_LOG"], !path.isEmpty else { return nil }
        // Append mode, so the script can truncate the file between phases.
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    func record(renderNanos: Int64, arrivalToDrawNanos: Int64?, lines: Int) {
        var text = "render_us=\(renderNanos / 1000) lines=\(lines)"
        if let latency = arrivalToDrawNanos { text += " arrival_to_draw_us=\(latency / 1000)" }
        handle.write(Data((text + "\n").utf8))
    }
}
