/// What the terminal layer reads, before decoding: scalars as typed, keys ncurses already
/// recognised, a resize, a click.
enum RawInput: Equatable, Sendable {
    case scalar(Unicode.Scalar)
    case key(Key)
    case resize
    case click(row: Int, column: Int)
}

/// Turns raw input into ``Key``s: Alt as an ESC prefix, CSI sequences ncurses did not know
/// (bracketed paste, Alt-arrows on some terminals), control characters, and multi-scalar
/// graphemes (an emoji with a skin tone arrives as two scalars but is one key).
struct KeyDecoder: Sendable {
    private var pasting = false
    private var pasted: [Unicode.Scalar] = []
    private var held: [Unicode.Scalar] = []

    /// Creates a decoder.
    init() {}

    /// True while a bracketed paste is being collected.
    var isInPaste: Bool { pasting }

    /// Decodes one batch (everything read in one go). A lone ESC at the end of a batch is the
    /// Escape key: ncurses already waited ESCDELAY for anything that would follow it.
    mutating func decode(_ inputs: [RawInput]) -> (keys: [Key], resized: Bool) {
        var keys: [Key] = []
        var resized = false
        var scalars: [Unicode.Scalar] = held
        held = []
        func flushScalars() {
            decodeScalars(&scalars, into: &keys, endOfBatch: false)
        }
        for input in inputs {
            switch input {
            case .scalar(let scalar):
                scalars.append(scalar)
            case .key(let key):
                // ESC followed by a key ncurses decoded is that key with Alt held.
                let altHeld = !pasting && scalars.last == "\u{1B}"
                if altHeld { scalars.removeLast() }
                flushScalars()
                if pasting {
                    if key == .enter { pasted.append("\n") }
                } else if altHeld {
                    keys.append(key == .up ? .altUp : key == .down ? .altDown : key)
                } else {
                    keys.append(key)
                }
            case .resize:
                resized = true
            case .click(let row, let column):
                flushScalars()
                keys.append(.click(row: row, column: column))
            }
        }
        decodeScalars(&scalars, into: &keys, endOfBatch: true)
        return (keys, resized)
    }

    private mutating func decodeScalars(_ scalars: inout [Unicode.Scalar], into keys: inout [Key], endOfBatch: Bool) {
        var index = 0
        var text = String.UnicodeScalarView()
        func flushText() {
            for character in String(text) { keys.append(.character(character)) }
            text = String.UnicodeScalarView()
        }
        while index < scalars.count {
            if pasting {
                pasted.append(scalars[index])
                index += 1
                if pasted.count >= 6, Array(pasted.suffix(6)) == Self.pasteEnd {
                    pasted.removeLast(6)
                    var string = String.UnicodeScalarView()
                    string.append(contentsOf: pasted)
                    keys.append(.paste(String(string)))
                    pasted = []
                    pasting = false
                }
                continue
            }
            let scalar = scalars[index]
            let value = scalar.value
            if value == 0x1B {
                flushText()
                guard index + 1 < scalars.count else {
                    keys.append(.escape)
                    index += 1
                    continue
                }
                let next = scalars[index + 1]
                if next == "[" || next == "O" {
                    guard let (key, length) = Self.escapeSequence(scalars, from: index) else {
                        if endOfBatch {
                            // An unfinished sequence: keep it for the next batch.
                            held = Array(scalars[index...])
                            index = scalars.count
                        } else {
                            keys.append(.alt(Character(next)))
                            index += 2
                        }
                        continue
                    }
                    if key == .paste("") {
                        pasting = true
                        pasted = []
                    } else if let key {
                        keys.append(key)
                    }
                    index += length
                    continue
                }
                if next.value == 0x1B {
                    keys.append(.escape)
                    index += 1
                    continue
                }
                keys.append(next.value == 0x7F || next.value == 0x08 ? .alt("\u{7F}") : .alt(Character(next)))
                index += 2
                continue
            }
            if value < 0x20 || value == 0x7F {
                flushText()
                switch value {
                case 0x0D, 0x0A: keys.append(.enter)
                case 0x09: keys.append(.tab)
                case 0x7F, 0x08: keys.append(.backspace)
                case 0x01...0x1A: keys.append(.control(Character(Unicode.Scalar(value + 0x60) ?? "?")))
                default: break
                }
                index += 1
                continue
            }
            text.append(scalar)
            index += 1
        }
        flushText()
        scalars = []
    }

    private static let pasteEnd: [Unicode.Scalar] = ["\u{1B}", "[", "2", "0", "1", "~"]

    /// Decodes a CSI or SS3 sequence at `start` (the ESC). Returns the key (nil for one we
    /// ignore; `.paste("")` for the start of a bracketed paste) and its length in scalars,
    /// or nil when the sequence is not complete yet.
    static func escapeSequence(_ scalars: [Unicode.Scalar], from start: Int) -> (Key?, Int)? {
        let introducer = scalars[start + 1]
        if introducer == "O" {
            guard start + 2 < scalars.count else { return nil }
            let keys: [Unicode.Scalar: Key] = ["A": .up, "B": .down, "C": .right, "D": .left, "H": .home, "F": .end,
                                               "P": .function(1), "Q": .function(2), "R": .function(3), "S": .function(4)]
            return (keys[scalars[start + 2]], 3)
        }
        var parameters = ""
        var index = start + 2
        while index < scalars.count {
            let value = scalars[index].value
            if value >= 0x40 && value <= 0x7E {
                let final = Character(scalars[index])
                return (csiKey(parameters: parameters, final: final), index - start + 1)
            }
            guard value >= 0x20 && value <= 0x3F else { return (nil, index - start) }
            parameters.unicodeScalars.append(scalars[index])
            index += 1
        }
        return nil
    }

    private static func csiKey(parameters: String, final: Character) -> Key? {
        let fields = parameters.split(separator: ";").map(String.init)
        let modifier = fields.count > 1 ? Int(fields[1]) ?? 1 : 1
        let alt = modifier == 3
        switch final {
        case "A": return alt ? .altUp : .up
        case "B": return alt ? .altDown : .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "~":
            switch fields.first {
            case "200": return .paste("")
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            case "11": return .function(1)
            default: return nil
            }
        default: return nil
        }
    }
}
