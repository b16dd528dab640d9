/// A failure of the harness or of the server under test, with the exchange that led to it.
struct HarnessError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
