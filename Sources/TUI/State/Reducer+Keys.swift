/// Keys: overlays first (help, paste question), then global bindings, then the sidebar
/// when it has focus, then the line editor.
extension Reducer {
    static func handleKey(_ state: inout AppState, _ key: Key, now: Int64) -> [Effect] {
        if state.showHelp {
            let layout = Layout(state: state)
            let limit = HelpOverlay.maxScroll(width: layout.paneWidth, height: layout.paneHeight)
            let page = max(1, layout.paneHeight - 2)
            switch key {
            case .escape, .function(1), .enter, .character("q"), .control("g"):
                state.showHelp = false
                state.helpScroll = 0
            case .down, .character("j"): state.helpScroll = min(limit, state.helpScroll + 1)
            case .up, .character("k"): state.helpScroll = max(0, state.helpScroll - 1)
            case .pageDown, .character(" "): state.helpScroll = min(limit, state.helpScroll + page)
            case .pageUp: state.helpScroll = max(0, state.helpScroll - page)
            case .control("l"): return [.repaint]
            default: break
            }
            return []
        }
        if let lines = state.pasteConfirm {
            return answerPaste(&state, key, lines: lines, now: now)
        }
        if state.passwordPrompt != nil {
            return promptKey(&state, key, now: now)
        }
        if case .click(let row, let column) = key {
            clickSidebar(&state, row: row, column: column)
            return []
        }
        if let effects = globalKey(&state, key, now: now) {
            return effects
        }
        if state.sidebarFocus != nil {
            sidebarKey(&state, key)
            return []
        }
        return editorKey(&state, key, now: now)
    }

    /// Bindings that work whether the sidebar or the input has focus; nil when `key` is not one.
    private static func globalKey(_ state: inout AppState, _ key: Key, now: Int64) -> [Effect]? {
        switch key {
        case .function(1):
            state.showHelp = true
        case .alt(let digit) where digit.isASCII && digit.isNumber:
            let number = Int(String(digit)) ?? 1
            let index = number == 0 ? 9 : number - 1
            let entries = Sidebar.entries(state)
            if index < entries.count {
                state.sidebarFocus = nil
                open(&state, entry: entries[index])
            }
        case .control("n"), .altDown:
            cycle(&state, step: 1)
        case .control("p"), .altUp:
            cycle(&state, step: -1)
        case .alt("a"), .alt("A"):
            jumpToActivity(&state)
        case .control("g"):
            state.sidebarFocus = state.sidebarFocus == nil ? focusOnCurrent(state) : nil
        case .control("l"):
            return [.repaint]
        case .pageUp:
            // Past the top of what is held, the server has older pages.
            if !scroll(&state, by: max(1, Layout(state: state).paneHeight - 1)) { return loadOlder(&state) }
        case .pageDown:
            scroll(&state, by: -max(1, Layout(state: state).paneHeight - 1))
        default:
            return nil
        }
        return []
    }

    /// Scrolls by `rows` (up when positive); false when the top stopped it short.
    @discardableResult
    private static func scroll(_ state: inout AppState, by rows: Int) -> Bool {
        let layout = Layout(state: state)
        let conversation = state.currentConversation
        let wanted = max(0, conversation.scrollRows + rows)
        let limit = MessageRows.maxScroll(conversation, layout: layout, utcOffset: state.utcOffset, wanting: wanted)
        state.conversations[state.current]?.scrollRows = min(wanted, limit)
        return wanted <= limit
    }

    /// Ctrl-G starts on the entry of the conversation shown.
    private static func focusOnCurrent(_ state: AppState) -> SidebarFocus {
        let entries = Sidebar.entries(state)
        let selected = entries.firstIndex { $0.target == state.current && $0.section != .online } ?? 0
        return SidebarFocus(selected: selected, filter: "")
    }

    private static func sidebarKey(_ state: inout AppState, _ key: Key) {
        guard var focus = state.sidebarFocus else { return }
        let entries = Sidebar.entries(state)
        var visible = Sidebar.filtered(entries, by: focus.filter)
        let position = visible.firstIndex(of: focus.selected)
        func moveUp() {
            if let position, position > 0 { focus.selected = visible[position - 1] } else if let last = visible.last, position == nil { focus.selected = last }
        }
        func moveDown() {
            if let position, position + 1 < visible.count { focus.selected = visible[position + 1] } else if let first = visible.first, position == nil { focus.selected = first }
        }
        switch key {
        case .escape:
            state.sidebarFocus = nil
            return
        // j and k move only while no filter is typed; with one they are letters of the filter.
        case .up:
            moveUp()
        case .character("k") where focus.filter.isEmpty:
            moveUp()
        case .down:
            moveDown()
        case .character("j") where focus.filter.isEmpty:
            moveDown()
        case .home:
            if let first = visible.first { focus.selected = first }
        case .end:
            if let last = visible.last { focus.selected = last }
        case .enter:
            if visible.contains(focus.selected), focus.selected < entries.count {
                state.sidebarFocus = nil
                open(&state, entry: entries[focus.selected])
            }
            return
        case .backspace:
            if !focus.filter.isEmpty { focus.filter.removeLast() }
            visible = Sidebar.filtered(entries, by: focus.filter)
            if !visible.contains(focus.selected), let first = visible.first { focus.selected = first }
        case .control("u"):
            focus.filter = ""
        case .character(let character):
            focus.filter.append(character)
            visible = Sidebar.filtered(entries, by: focus.filter)
            // Prefer the first entry whose name starts with the filter, then any match.
            let needle = focus.filter.lowercased()
            if let best = visible.first(where: { entries[$0].label.lowercased().hasPrefix(needle) && entries[$0].section != .server })
                ?? visible.first {
                focus.selected = best
            }
        default:
            break
        }
        state.sidebarFocus = focus
    }

    private static func clickSidebar(_ state: inout AppState, row: Int, column: Int) {
        let layout = Layout(state: state)
        guard !layout.isTooSmall, column < layout.sidebarWidth, row >= layout.paneTop,
              row < layout.paneTop + layout.paneHeight else { return }
        let entries = Sidebar.entries(state)
        let indices = Sidebar.filtered(entries, by: state.sidebarFocus?.filter ?? "")
        let rows = Sidebar.rows(entries, indices: indices)
        let offset = SidebarView.offset(state: state, rows: rows, height: layout.paneHeight)
        let clicked = offset + row - layout.paneTop
        guard clicked < rows.count, case .entry(let index) = rows[clicked] else { return }
        state.sidebarFocus = nil
        open(&state, entry: entries[index])
    }

    private static func answerPaste(_ state: inout AppState, _ key: Key, lines: [String], now: Int64) -> [Effect] {
        switch key {
        case .character("y"), .character("Y"), .enter:
            state.pasteConfirm = nil
            var effects: [Effect] = []
            for line in lines where !line.isEmpty {
                effects += sendText(&state, line, now: now)
            }
            return effects
        case .character("n"), .character("N"), .escape, .control("c"):
            state.pasteConfirm = nil
            // Nothing is lost: the paste goes back to the input line, joined, to edit.
            state.editor.insert(lines.joined(separator: " "))
            return []
        case .control("l"):
            return [.repaint]
        default:
            return []
        }
    }

    private static func editorKey(_ state: inout AppState, _ key: Key, now: Int64) -> [Effect] {
        if key != .tab { state.completion = nil }
        if key != .up && key != .down && key != .tab { state.history.stopBrowsing() }
        switch key {
        case .character(let character): state.editor.insert(String(character))
        case .paste(let text): return paste(&state, text)
        case .control("a"), .home: state.editor.moveHome()
        case .control("e"): state.editor.moveEnd()
        case .end:
            state.editor.moveEnd()
            state.conversations[state.current]?.scrollRows = 0
        case .control("b"), .left: state.editor.moveLeft()
        case .control("f"), .right: state.editor.moveRight()
        case .alt("b"): state.editor.moveWordLeft()
        case .alt("f"): state.editor.moveWordRight()
        case .control("d"), .delete: state.editor.deleteForward()
        case .backspace, .control("h"): state.editor.deleteBackward()
        case .control("k"): state.editor.killToEnd()
        case .control("u"): state.editor.killToStart()
        case .control("w"): state.editor.killWordBackward()
        case .control("y"): state.editor.yank()
        case .up:
            if let older = state.history.older(current: state.editor.text) { state.editor.setText(older) }
        case .down:
            if let newer = state.history.newer() { state.editor.setText(newer) }
        case .tab: complete(&state)
        case .enter: return submit(&state, now: now)
        case .escape:
            state.conversations[state.current]?.scrollRows = 0
        default: break
        }
        return []
    }

    private static func paste(_ state: inout AppState, _ text: String) -> [Effect] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        if lines.count <= 1 {
            state.editor.insert(lines.first ?? "")
        } else {
            state.pasteConfirm = lines
        }
        return []
    }

    private static func complete(_ state: inout AppState) {
        if var completion = state.completion, state.editor.cursor == state.completionEnd {
            completion.advance()
            completion.apply(to: &state.editor, replacingUpTo: state.completionEnd)
            state.completion = completion
            state.completionEnd = state.editor.cursor
            return
        }
        guard let completion = Completion.start(editor: state.editor, nicks: completionNicks(state),
                                                commands: CommandTable.names) else { return }
        completion.apply(to: &state.editor, replacingUpTo: state.editor.cursor)
        state.completion = completion
        state.completionEnd = state.editor.cursor
    }

    /// Nicks for Tab in the conversation shown: most recently active first, then the rest A–Z.
    static func completionNicks(_ state: AppState) -> [String] {
        let conversation = state.currentConversation
        var names: [String: String] = [:]
        for (key, member) in conversation.members { names[key] = member.nick }
        if conversation.id.kind == .direct { names[conversation.id.key] = conversation.name }
        for line in conversation.lines.suffix(200) {
            if let sender = line.sender { names[state.fold(sender)] = names[state.fold(sender)] ?? sender }
        }
        names[state.fold(state.nick)] = nil
        return names.sorted { lhs, rhs in
            let left = conversation.lastSpoke[lhs.key] ?? 0
            let right = conversation.lastSpoke[rhs.key] ?? 0
            return left != right ? left > right : lhs.value.lowercased() < rhs.value.lowercased()
        }.map(\.value)
    }
}
