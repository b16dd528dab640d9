/// The input line: text as graphemes, a cursor, and a kill buffer, with Emacs-style edits.
///
/// Knows nothing of the terminal; keys are mapped to these operations by the reducer.
struct LineEditor: Equatable, Sendable {
    /// The text, one element per grapheme.
    private(set) var characters: [Character] = []
    /// The cursor position, 0…characters.count.
    private(set) var cursor = 0
    /// The text the last kill removed, for Ctrl-Y.
    private(set) var killBuffer = ""

    /// Creates an empty editor.
    init() {}

    /// Creates an editor holding `text` with the cursor at its end.
    init(text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// The whole line.
    var text: String { String(characters) }
    /// True when there is nothing typed.
    var isEmpty: Bool { characters.isEmpty }

    /// Replaces the line and puts the cursor at its end; the kill buffer survives.
    mutating func setText(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Inserts text at the cursor.
    mutating func insert(_ text: String) {
        let new = Array(text)
        characters.insert(contentsOf: new, at: cursor)
        cursor += new.count
        // A combining mark typed after a base letter merges into one grapheme.
        let merged = Array(String(characters))
        if merged.count != characters.count {
            let before = String(characters[..<cursor]).count
            characters = merged
            cursor = min(before, characters.count)
        }
    }

    mutating func moveLeft() { if cursor > 0 { cursor -= 1 } }
    mutating func moveRight() { if cursor < characters.count { cursor += 1 } }
    mutating func moveHome() { cursor = 0 }
    mutating func moveEnd() { cursor = characters.count }

    /// Alt-B: to the start of the current or previous word.
    mutating func moveWordLeft() { cursor = wordStart(before: cursor) }

    /// Alt-F: to the end of the current or next word.
    mutating func moveWordRight() {
        var index = cursor
        while index < characters.count, !isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count, isWordCharacter(characters[index]) { index += 1 }
        cursor = index
    }

    /// Backspace: deletes the grapheme before the cursor.
    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Ctrl-D / Delete: deletes the grapheme under the cursor.
    mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Ctrl-K: kills from the cursor to the end.
    mutating func killToEnd() {
        guard cursor < characters.count else { return }
        killBuffer = String(characters[cursor...])
        characters.removeSubrange(cursor...)
    }

    /// Ctrl-U: kills from the start to the cursor.
    mutating func killToStart() {
        guard cursor > 0 else { return }
        killBuffer = String(characters[..<cursor])
        characters.removeSubrange(..<cursor)
        cursor = 0
    }

    /// Ctrl-W: kills the word before the cursor (and the blanks after it).
    mutating func killWordBackward() {
        let start = wordStart(before: cursor, spaceOnly: true)
        guard start < cursor else { return }
        killBuffer = String(characters[start..<cursor])
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Ctrl-Y: inserts the last killed text.
    mutating func yank() {
        guard !killBuffer.isEmpty else { return }
        insert(killBuffer)
    }

    /// Replaces `range` (grapheme offsets) with `text` and puts the cursor after it.
    mutating func replace(_ range: Range<Int>, with text: String) {
        let clamped = max(0, range.lowerBound)..<min(characters.count, range.upperBound)
        let new = Array(text)
        characters.replaceSubrange(clamped, with: new)
        cursor = clamped.lowerBound + new.count
    }

    private func wordStart(before position: Int, spaceOnly: Bool = false) -> Int {
        func isWord(_ character: Character) -> Bool {
            spaceOnly ? !character.isWhitespace : isWordCharacter(character)
        }
        var index = position
        while index > 0, !isWord(characters[index - 1]) { index -= 1 }
        while index > 0, isWord(characters[index - 1]) { index -= 1 }
        return index
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "-"
            || (!character.isASCII && !character.isWhitespace && !character.isPunctuation)
    }
}
