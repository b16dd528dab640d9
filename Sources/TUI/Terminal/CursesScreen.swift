import CNcursesw
import Glibc

/// The terminal through ncursesw: the one file that talks to curses.
final class CursesScreen: Screen {
    private(set) var rows: Int
    private(set) var columns: Int
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [Int32: Int16] = [:]
    private let colorCount: Int
    private let pairLimit: Int
    private var extendedKeys: [Int32: Key] = [:]
    private var cursorVisible = true
    private var cursorPosition: (row: Int, column: Int)?
    /// Graphemes curses cannot hold in one cell (an emoji with a skin tone or a ZWJ family:
    /// their later scalars are not zero-width, so `setcchar` refuses them). Curses gets the
    /// base scalar as a placeholder and the whole grapheme is written over it after each update.
    private var overlays: [(row: Int, column: Int, text: String, style: Style)] = []
    private var overlayRows: Set<Int> = []

    /// Starts curses: no echo, keys unbuffered, keypad decoding, a short ESC delay, colours,
    /// mouse clicks and bracketed paste.
    init() {
        _ = setlocale(LC_ALL, "")
        DisplayWidth.prepareLocale()
        set_escdelay(25)
        guard let screen = initscr() else {
            fatalError("initscr failed")
        }
        window = screen
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        if has_colors() {
            start_color()
            use_default_colors()
        }
        colorCount = Int(chat_colors())
        pairLimit = Int(chat_color_pairs())
        mousemask(chat_button1_mask(), nil)
        mouseinterval(0)
        rows = Int(chat_lines())
        columns = Int(chat_cols())
        for (capability, key) in [("kUP3", Key.altUp), ("kDN3", Key.altDown)] {
            let code = capability.withCString { chat_key_code_for($0) }
            if code > 0 { extendedKeys[code] = key }
        }
        // Enter the alternate screen first, so the probe never touches the shell's screen,
        // then repaint from scratch: the probe moved the cursor behind curses' back.
        wrefresh(window)
        TerminalProbe.measureEmoji(window: window)
        clearok(window, true)
        TerminalOutput.write("\u{1B}[?2004h")
    }

    /// Leaves curses and puts the terminal back as it was.
    func end() {
        TerminalOutput.write("\u{1B}[?2004l")
        endwin()
    }

    /// Re-reads the terminal size after a resize.
    func refreshSize() {
        rows = Int(chat_lines())
        columns = Int(chat_cols())
    }

    /// Everything typed since the last call (non-blocking).
    func readInput() -> [RawInput] {
        var inputs: [RawInput] = []
        var character: wint_t = 0
        while true {
            let status = wget_wch(window, &character)
            if status == ERR { break }
            if status == KEY_CODE_YES {
                if let input = translate(keyCode: Int32(character)) { inputs.append(input) }
            } else if let scalar = Unicode.Scalar(UInt32(character)) {
                inputs.append(.scalar(scalar))
            }
        }
        return inputs
    }

    private func translate(keyCode: Int32) -> RawInput? {
        switch keyCode {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_DC: return .key(.delete)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE:
            refreshSize()
            return .resize
        case KEY_MOUSE:
            var y: Int32 = 0
            var x: Int32 = 0
            var buttons: mmask_t = 0
            guard chat_getmouse(&y, &x, &buttons) == OK, buttons & chat_button1_events() != 0 else { return nil }
            return .click(row: Int(y), column: Int(x))
        default:
            for number in 1...12 where keyCode == chat_key_f(Int32(number)) { return .key(.function(number)) }
            return extendedKeys[keyCode].map { .key($0) }
        }
    }

    func clear() {
        werase(window)
        overlays.removeAll(keepingCapacity: true)
    }

    func put(_ cells: ArraySlice<Cell>, row: Int, column: Int) {
        guard row >= 0, row < rows else { return }
        var x = column
        for cell in cells {
            guard x < columns else { break }
            if x + cell.width > columns {
                // A wide grapheme that would straddle the right edge: blanks instead.
                draw(" ", style: cell.style, row: row, column: x, count: columns - x)
                break
            }
            if needsOverlay(cell.text) {
                overlays.append((row, x, cell.text, cell.style))
                let base = cell.text.unicodeScalars.first.map { String($0) } ?? " "
                draw(DisplayWidth.wcwidthOf(base.unicodeScalars.first?.value ?? 32) == cell.width ? base : " ",
                     style: cell.style, row: row, column: x, count: 1)
            } else {
                draw(cell.text, style: cell.style, row: row, column: x, count: 1)
            }
            x += cell.width
        }
    }

    /// True when a later scalar of the grapheme takes columns of its own in `wcwidth`'s view.
    private func needsOverlay(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.count > 1 else { return false }
        if scalars.count > Int(CCHARW_MAX) { return true }
        return scalars.dropFirst().contains { DisplayWidth.wcwidthOf($0.value) != 0 }
            || DisplayWidth.wcwidthOf(scalars.first?.value ?? 0) != DisplayWidth.of(Character(text))
    }

    private func draw(_ text: String, style: Style, row: Int, column: Int, count: Int) {
        var scalars = text.unicodeScalars.prefix(Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
        scalars.append(0)
        var cell = cchar_t()
        let pair = pairNumber(style)
        for offset in 0..<count {
            scalars.withUnsafeBufferPointer { buffer in
                _ = setcchar(&cell, buffer.baseAddress, attributes(style), pair, nil)
            }
            // Every grapheme is placed explicitly, so a terminal that measures an emoji
            // sequence differently cannot shift the rest of the row.
            wmove(window, Int32(row), Int32(column + offset))
            wadd_wch(window, &cell)
        }
    }

    private func attributes(_ style: Style) -> attr_t {
        var attributes = chat_a_normal()
        if style.bold { attributes |= chat_a_bold() }
        if style.dim { attributes |= chat_a_dim() }
        if style.italic { attributes |= chat_a_italic() }
        if style.underline { attributes |= chat_a_underline() }
        if style.reverse { attributes |= chat_a_reverse() }
        return attributes
    }

    /// A colour pair for the style's colours, allocated on first use.
    private func pairNumber(_ style: Style) -> Int16 {
        guard colorCount > 0, style.foreground != nil || style.background != nil else { return 0 }
        let foreground = style.foreground.map { fit($0) } ?? -1
        let background = style.background.map { fit($0) } ?? -1
        let key = (foreground + 1) * 512 + (background + 1)
        if let pair = pairs[key] { return pair }
        let next = pairs.count + 1
        guard next < min(pairLimit, Int(Int16.max)) else { return 0 }
        init_pair(Int16(next), Int16(foreground), Int16(background))
        pairs[key] = Int16(next)
        return Int16(next)
    }

    /// A palette index the terminal can show (256 colours folded onto 8 or 16 when needed).
    private func fit(_ color: UInt8) -> Int32 {
        if Int(color) < colorCount { return Int32(color) }
        if color < 16 { return Int32(color % 8) }
        let basic: [Int32] = [0, 1, 2, 3, 4, 5, 6, 7]
        return basic[Int(color) % 8]
    }

    func setCursor(row: Int?, column: Int) {
        cursorPosition = row.map { ($0, min(column, max(0, columns - 1))) }
        if let row {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(window, Int32(row), Int32(min(column, max(0, columns - 1))))
        } else if cursorVisible {
            curs_set(0)
            cursorVisible = false
        }
    }

    func present() {
        // Rows that carried overlays last time are repainted whole, so a grapheme that has
        // gone (scrolled away, say) does not linger where curses thinks a placeholder is.
        let rowsNow = Set(overlays.map(\.row))
        for row in overlayRows.union(rowsNow) { wredrawln(window, Int32(row), 1) }
        overlayRows = rowsNow
        wnoutrefresh(window)
        doupdate()
        guard !overlays.isEmpty else { return }
        var output = ""
        for overlay in overlays {
            output += "\u{1B}[\(overlay.row + 1);\(overlay.column + 1)H" + sgr(overlay.style) + overlay.text + "\u{1B}[0m"
        }
        if let cursor = cursorPosition { output += "\u{1B}[\(cursor.row + 1);\(cursor.column + 1)H" }
        TerminalOutput.write(output)
    }

    /// The SGR sequence for a style (used only for overlays; curses draws everything else).
    private func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.italic { codes.append("3") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        if let foreground = style.foreground { codes.append("38;5;\(fit(foreground))") }
        if let background = style.background { codes.append("48;5;\(fit(background))") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    /// Ctrl-L: forget what the terminal shows and paint everything again.
    func repaint() {
        clearok(window, true)
    }
}
