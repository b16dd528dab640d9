import Shared

/// Draws the whole state onto a ``Screen``. Pure in the sense that matters: the same state
/// on a screen of the same size always produces the same picture.
enum Renderer {
    /// Draws `state` and presents it; `now` feeds the reconnect countdown.
    static func render(_ state: AppState, on screen: Screen, now: Int64) {
        screen.clear()
        let layout = Layout(rows: screen.rows, columns: screen.columns)
        if layout.isTooSmall {
            drawTooSmall(layout, on: screen)
            screen.present()
            return
        }
        drawTitle(state, layout: layout, on: screen)
        SidebarView.draw(state, layout: layout, on: screen)
        if state.showHelp {
            HelpOverlay.draw(state, layout: layout, on: screen)
        } else {
            drawMessages(state, layout: layout, on: screen)
        }
        drawStatus(state, layout: layout, on: screen, now: now)
        InputView.draw(state, layout: layout, on: screen)
        screen.present()
    }

    static func drawTooSmall(_ layout: Layout, on screen: Screen) {
        let words = ["Terminal too small", "\(layout.columns)×\(layout.rows)",
                     "need \(Layout.minimumColumns)×\(Layout.minimumRows)"]
        let top = max(0, (layout.rows - words.count) / 2)
        for (offset, text) in words.enumerated() where top + offset < layout.rows {
            let cells = FormattedText.plainCells(text, style: Style(bold: offset == 0))
            let width = cells.reduce(0) { $0 + $1.width }
            screen.put(cells, row: top + offset, column: max(0, (layout.columns - width) / 2))
        }
        screen.setCursor(row: nil, column: 0)
    }

    static func drawTitle(_ state: AppState, layout: Layout, on screen: Screen) {
        let bar = Style(reverse: true)
        screen.fill(row: layout.titleRow, column: 0, count: layout.columns, style: bar)
        let conversation = state.currentConversation
        var title: String
        switch conversation.id.kind {
        case .server:
            title = " \(state.networkName) — \(state.identity.address)"
        case .room:
            title = " \(conversation.name)" + (conversation.joined ? "" : " (not joined)")
            title += " [\(conversation.members.count)]"
        case .direct:
            let online = state.presence[conversation.id.key] != nil
                || Sidebar.onlineNicks(state).contains { state.fold($0) == conversation.id.key }
            title = " \(conversation.name)" + (online ? "" : " (offline)")
        }
        var cells = FormattedText.plainCells(title, style: Style(bold: true, reverse: true))
        if !conversation.topic.isEmpty {
            cells += FormattedText.plainCells(" — ", style: bar)
            cells += FormattedText.cells(conversation.topic, base: bar)
        }
        screen.put(cells, row: layout.titleRow, column: 0)
    }

    static func drawMessages(_ state: AppState, layout: Layout, on screen: Screen) {
        let rows = MessageRows.visible(state.currentConversation, layout: layout, utcOffset: state.utcOffset, nick: state.nick)
        let top = layout.paneTop + layout.paneHeight - rows.count
        for (offset, row) in rows.enumerated() {
            screen.put(row.cells, row: top + offset, column: layout.paneLeft)
        }
    }

    static func drawStatus(_ state: AppState, layout: Layout, on screen: Screen, now: Int64) {
        let bar = Style(foreground: 15, background: 4)
        screen.fill(row: layout.statusRow, column: 0, count: layout.columns, style: bar)
        var parts: [(String, Style)] = []
        switch state.phase {
        case .connecting(let attempt):
            parts.append(("connecting" + (attempt > 1 ? " (attempt \(attempt))" : ""), Style(foreground: 11, background: 4, bold: true)))
        case .registering:
            parts.append(("registering", Style(foreground: 11, background: 4, bold: true)))
        case .connected:
            parts.append(("connected", Style(foreground: 10, background: 4, bold: true)))
        case .waiting(let retryAt, _):
            let seconds = max(0, (retryAt - now + 999) / 1000)
            parts.append(("reconnecting in \(seconds) s", Style(foreground: 9, background: 4, bold: true)))
        case .quitting:
            parts.append(("quitting", Style(foreground: 11, background: 4, bold: true)))
        }
        parts.append((state.nick + (state.awayMessage == nil ? "" : " (away)"), Style(foreground: 15, background: 4, bold: true)))
        parts.append((state.identity.address, bar))
        if let lag = state.lag { parts.append(("lag \(lag) ms", bar)) }
        if state.currentConversation.scrollRows > 0 { parts.append(("-- more below (End) --", Style(foreground: 11, background: 4))) }
        var cells: [Cell] = [Cell(" ", width: 1, style: bar)]
        for (index, part) in parts.enumerated() {
            if index > 0 { cells += FormattedText.plainCells(" │ ", style: bar) }
            cells += FormattedText.plainCells(part.0, style: part.1)
        }
        screen.put(cells, row: layout.statusRow, column: 0)
    }
}
