import Testing
@testable import ChatTUI

@Suite("Line editor, history and completion")
struct EditorTests {
    @Test("Cursor movement by grapheme and by word")
    func movement() {
        var editor = LineEditor(text: "héllo 👋🏽 wörld")
        #expect(editor.cursor == 13)
        editor.moveWordLeft()
        #expect(editor.cursor == 8)
        editor.moveWordLeft()
        #expect(editor.cursor == 6)
        editor.moveLeft()
        editor.moveHome()
        #expect(editor.cursor == 0)
        editor.moveWordRight()
        #expect(editor.cursor == 5)
        editor.moveRight()
        editor.moveEnd()
        #expect(editor.cursor == editor.characters.count)
    }

    @Test("Delete forward and backward remove whole graphemes")
    func deletion() {
        var editor = LineEditor(text: "a👨‍👩‍👧b")
        editor.moveLeft()
        editor.deleteBackward()
        #expect(editor.text == "ab")
        editor.moveHome()
        editor.deleteForward()
        #expect(editor.text == "b")
        editor.moveEnd()
        editor.deleteForward()
        #expect(editor.text == "b")
    }

    @Test("Kill and yank: Ctrl-K, Ctrl-U, Ctrl-W, Ctrl-Y")
    func killYank() {
        var editor = LineEditor(text: "one two three")
        editor.killWordBackward()
        #expect(editor.text == "one two ")
        #expect(editor.killBuffer == "three")
        editor.moveHome()
        editor.moveWordRight()
        editor.killToEnd()
        #expect(editor.text == "one")
        #expect(editor.killBuffer == " two ")
        editor.yank()
        #expect(editor.text == "one two ")
        editor.moveLeft()
        editor.killToStart()
        #expect(editor.text == " ")
        #expect(editor.killBuffer == "one two")
    }

    @Test("A combining mark typed after a letter joins it")
    func combining() {
        var editor = LineEditor(text: "e")
        editor.insert("\u{301}")
        #expect(editor.characters.count == 1)
        #expect(editor.cursor == 1)
    }

    @Test("History browses older and newer and restores the draft")
    func history() {
        var history = InputHistory()
        history.record("first")
        history.record("second")
        history.record("second")
        #expect(history.entries == ["first", "second"])
        #expect(history.older(current: "draft") == "second")
        #expect(history.older(current: "second") == "first")
        #expect(history.older(current: "first") == nil)
        #expect(history.newer() == "second")
        #expect(history.newer() == "draft")
        #expect(history.newer() == nil)
    }

    @Test("Completion of nicks cycles in the order given and adds ': ' at line start")
    func nickCompletion() {
        var editor = LineEditor(text: "b")
        guard var completion = Completion.start(editor: editor, nicks: ["bob", "Bea", "alice"], commands: []) else {
            Issue.record("no completion")
            return
        }
        completion.apply(to: &editor, replacingUpTo: editor.cursor)
        #expect(editor.text == "bob: ")
        let end = editor.cursor
        completion.advance()
        completion.apply(to: &editor, replacingUpTo: end)
        #expect(editor.text == "Bea: ")
        var middle = LineEditor(text: "hi al")
        Completion.start(editor: middle, nicks: ["alice"], commands: [])?.apply(to: &middle, replacingUpTo: middle.cursor)
        #expect(middle.text == "hi alice ")
    }

    @Test("Completion of /commands")
    func commandCompletion() {
        var editor = LineEditor(text: "/qu")
        let completion = Completion.start(editor: editor, nicks: ["quux"], commands: CommandTable.names)
        #expect(completion?.candidates == ["/query", "/quit", "/quote"])
        completion?.apply(to: &editor, replacingUpTo: editor.cursor)
        #expect(editor.text == "/query ")
        #expect(Completion.start(editor: LineEditor(text: "/zz"), nicks: [], commands: CommandTable.names) == nil)
    }
}
