/// Tab completion of nicks and /commands, cycling through candidates on repeated Tab.
struct Completion: Equatable, Sendable {
    /// The word being completed starts at this grapheme offset.
    let wordStart: Int
    /// Candidates in the order Tab offers them.
    let candidates: [String]
    /// The candidate currently inserted.
    private(set) var index: Int
    /// What follows an inserted candidate (`": "` for a nick at the line start, `" "` otherwise).
    let suffix: String

    /// Starts completing the word before the cursor of `editor`, or nil when nothing matches.
    ///
    /// `nicks` should be ordered most recently active first; `commands` are names without `/`.
    static func start(editor: LineEditor, nicks: [String], commands: [String]) -> Completion? {
        let characters = editor.characters
        var start = editor.cursor
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        let word = String(characters[start..<editor.cursor])
        guard !word.isEmpty else { return nil }
        if start == 0, word.hasPrefix("/"), !word.hasPrefix("//") {
            let prefix = word.dropFirst().lowercased()
            let matches = commands.filter { $0.hasPrefix(prefix) }.sorted().map { "/" + $0 }
            guard !matches.isEmpty else { return nil }
            return Completion(wordStart: 0, candidates: matches, index: 0, suffix: " ")
        }
        let prefix = word.lowercased()
        var seen = Set<String>()
        let matches = nicks.filter { $0.lowercased().hasPrefix(prefix) && seen.insert($0.lowercased()).inserted }
        guard !matches.isEmpty else { return nil }
        return Completion(wordStart: start, candidates: matches, index: 0, suffix: start == 0 ? ": " : " ")
    }

    /// The text to insert for the current candidate.
    var insertion: String { candidates[index] + suffix }

    /// Moves to the next candidate, wrapping around.
    mutating func advance() {
        index = (index + 1) % candidates.count
    }

    /// Puts the current candidate into `editor`, replacing the word (or the previous candidate).
    func apply(to editor: inout LineEditor, replacingUpTo end: Int) {
        editor.replace(wordStart..<end, with: insertion)
    }
}
