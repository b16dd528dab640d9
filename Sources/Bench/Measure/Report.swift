/// One machine-readable result line: `key=value` pairs separated by spaces, in the order added.
///
/// The bench script reads these with plain shell tools, so values never contain spaces.
struct Report {
    private var fields: [(String, String)] = []

    /// Creates a report whose first field is `kind` (`result` or `error`).
    init(_ kind: String) { fields.append(("kind", kind)) }

    /// Adds an integer field.
    mutating func add(_ key: String, _ value: Int) { fields.append((key, String(value))) }

    /// Adds a number with a fixed number of decimals.
    mutating func add(_ key: String, _ value: Double, decimals: Int = 3) {
        fields.append((key, Self.format(value, decimals: decimals)))
    }

    /// Adds a text field; spaces become underscores so the line stays splittable.
    mutating func add(_ key: String, _ value: String) {
        fields.append((key, String(value.map { $0 == " " || $0 == "\n" ? "_" : $0 })))
    }

    /// The line as printed.
    var line: String { fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ") }

    /// Formats without Foundation: rounds half away from zero to `decimals` places.
    static func format(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "nan" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        var fraction = String(Int(scaled - Double(whole) * scale))
        while fraction.count < decimals { fraction = "0" + fraction }
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}
