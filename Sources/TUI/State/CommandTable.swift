/// One /command: its name, how to call it, what it does, and the handler that runs it.
struct CommandSpec: Sendable {
    let name: String
    let usage: String
    let summary: String
    /// Runs the command with the text after its name; returns effects.
    let run: @Sendable (inout AppState, String, Int64) -> [Effect]
    /// Its arguments may hold a password: the line is never kept in the input history.
    var keepsOutOfHistory = false
}

/// The command table, keyed by name: one place lists every command for dispatch, Tab
/// completion and the help overlay.
enum CommandTable {
    /// Every command in the order /help lists them.
    static let all: [CommandSpec] = [
        CommandSpec(name: "msg", usage: "/msg NICK|#ROOM TEXT", summary: "send a message without switching",
                    run: Reducer.commandMsg),
        CommandSpec(name: "query", usage: "/query NICK [TEXT]", summary: "open the conversation with NICK",
                    run: Reducer.commandQuery),
        CommandSpec(name: "join", usage: "/join #ROOM [KEY]", summary: "join a room and switch to it",
                    run: Reducer.commandJoin),
        CommandSpec(name: "part", usage: "/part [REASON]", summary: "leave the room shown",
                    run: Reducer.commandPart),
        CommandSpec(name: "nick", usage: "/nick NEW", summary: "change your nick",
                    run: Reducer.commandNick),
        CommandSpec(name: "me", usage: "/me ACTION", summary: "describe an action",
                    run: Reducer.commandMe),
        CommandSpec(name: "topic", usage: "/topic [TEXT]", summary: "show or set the room's topic",
                    run: Reducer.commandTopic),
        CommandSpec(name: "names", usage: "/names", summary: "list the room's members",
                    run: Reducer.commandNames),
        CommandSpec(name: "whois", usage: "/whois NICK", summary: "ask the server about NICK",
                    run: Reducer.commandWhois),
        CommandSpec(name: "close", usage: "/close", summary: "close the conversation (leaves a room)",
                    run: Reducer.commandClose),
        CommandSpec(name: "away", usage: "/away [TEXT]", summary: "set away with TEXT, or come back",
                    run: Reducer.commandAway),
        CommandSpec(name: "register", usage: "/register [PASSWORD [EMAIL]]",
                    summary: "create an account for your nick (no PASSWORD: asks, masked)",
                    run: Reducer.commandRegister, keepsOutOfHistory: true),
        CommandSpec(name: "login", usage: "/login [PASSWORD]", summary: "log in to your nick's account (no PASSWORD: asks, masked)",
                    run: Reducer.commandLogin, keepsOutOfHistory: true),
        CommandSpec(name: "quote", usage: "/quote RAW", summary: "send a raw IRC line",
                    run: Reducer.commandQuote),
        CommandSpec(name: "help", usage: "/help [COMMAND]", summary: "show keys and commands",
                    run: Reducer.commandHelp),
        CommandSpec(name: "quit", usage: "/quit [REASON]", summary: "disconnect and leave",
                    run: Reducer.commandQuit),
    ]

    private static let byName: [String: CommandSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Command names without the slash, for completion.
    static var names: [String] { all.map(\.name) }

    /// The command called `name` (any case), if there is one.
    static func command(named name: String) -> CommandSpec? {
        byName[name.lowercased()]
    }

    /// The keys the help overlay lists, as (keys, what they do).
    static let keys: [(String, String)] = [
        ("F1", "this help (Esc closes)"),
        ("Alt-1…Alt-9, Alt-0", "open sidebar entry 1…10"),
        ("Ctrl-N / Alt-Down", "next conversation"),
        ("Ctrl-P / Alt-Up", "previous conversation"),
        ("Alt-A", "next unread (highlights first)"),
        ("Ctrl-G", "sidebar: ↑↓ j k move, type filters, Enter opens, Esc back"),
        ("Click", "open a sidebar entry"),
        ("PgUp / PgDn", "scroll a page"),
        ("End", "back to the newest message"),
        ("Ctrl-L", "redraw the screen"),
        ("Ctrl-A / Ctrl-E, Home / End", "start / end of line"),
        ("Ctrl-B / Ctrl-F, ← →", "character left / right"),
        ("Alt-B / Alt-F", "word left / right"),
        ("Ctrl-D, Delete / Backspace", "delete forward / back"),
        ("Ctrl-K / Ctrl-U", "cut to end / to start"),
        ("Ctrl-W / Ctrl-Y", "cut word before / paste the cut"),
        ("↑ / ↓", "input history"),
        ("Tab", "complete nick or /command (again: next)"),
        ("//text", "send text starting with /"),
    ]
}
