import CNcursesw
import Glibc

/// The terminal through ncursesw: the one file that talks to curses.
public final class CursesScreen: Screen {
    public private(set) var rows: Int
    public private(set) var columns: Int
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [Int32: Int16] = [:]
    private let colorCount: Int
    private let pairLimit: Int
    private var extendedKeys: [Int32: Key] = [:]
    private var cursorVisible = true

    /// Starts curses: no echo, keys unbuffered, keypad decoding, a short ESC delay, colours,
    /// mouse clicks and bracketed paste.
    public init() {
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
        TerminalOutput.write("\u{1B}[?2004h")
    }

    /// Leaves curses and puts the terminal back as it was.
    public func end() {
        TerminalOutput.write("\u{1B}[?2004l")
        endwin()
    }

    /// Re-reads the terminal size after a resize.
    public func refreshSize() {
        rows = Int(chat_lines())
        columns = Int(chat_cols())
    }

    /// Everything typed since the last call (non-blocking).
    public func readInput() -> [RawInput] {
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

    public func clear() {
        werase(window)
    }

    public func put(_ cells: ArraySlice<Cell>, row: Int, column: Int) {
        guard row >= 0, row < rows else { return }
        var x = column
        for cell in cells {
            guard x < columns else { break }
            if x + cell.width > columns {
                // A wide grapheme that would straddle the right edge: blanks instead.
                draw(" ", style: cell.style, row: row, column: x, count: columns - x)
                break
            }
            draw(cell.text, style: cell.style, row: row, column: x, count: 1)
            x += cell.width
        }
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

    public func setCursor(row: Int?, column: Int) {
        if let row {
            if !cursorVisible { curs_set(1); cursorVisible = true }
            wmove(window, Int32(row), Int32(min(column, max(0, columns - 1))))
        } else if cursorVisible {
            curs_set(0)
            cursorVisible = false
        }
    }

    public func present() {
        wnoutrefresh(window)
        doupdate()
    }

    /// Ctrl-L: forget what the terminal shows and paint everything again.
    public func repaint() {
        clearok(window, true)
    }
}
