/// The mIRC colour numbers mapped onto the 256-colour terminal palette.
enum IRCColor {
    private static let basic: [UInt8] = [15, 0, 4, 2, 9, 1, 5, 3, 11, 10, 6, 14, 12, 13, 8, 7]
    /// Colours 16–98 as the modern IRC formatting document maps them onto xterm's palette.
    private static let extended: [UInt8] = [
        52, 94, 100, 58, 22, 29, 23, 24, 17, 54, 53, 89,
        88, 130, 142, 64, 28, 35, 30, 25, 18, 91, 90, 125,
        124, 166, 184, 106, 34, 49, 37, 33, 19, 129, 127, 161,
        196, 208, 226, 154, 46, 86, 51, 75, 21, 171, 201, 198,
        203, 215, 227, 191, 83, 122, 87, 111, 63, 177, 207, 205,
        217, 223, 229, 193, 157, 158, 159, 153, 147, 183, 219, 212,
        16, 233, 235, 237, 239, 241, 244, 247, 250, 254, 231,
    ]

    /// The palette index for mIRC colour `number`, nil for 99 ("default") or out of range.
    static func palette(_ number: Int) -> UInt8? {
        if number >= 0 && number < 16 { return basic[number] }
        if number >= 16 && number < 99 { return extended[number - 16] }
        return nil
    }

    /// Readable colours for nicks, chosen to stay legible on dark and light backgrounds.
    static let nickPalette: [UInt8] = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 166, 33, 129, 35]

    /// A stable colour for `nick`: the same nick gets the same colour in every run.
    static func forNick(_ nick: String) -> UInt8 {
        // djb2 on the case-folded bytes, so Alice and alice match and the result never
        // depends on Swift's per-process hash seed.
        var hash: UInt32 = 5381
        for byte in nick.lowercased().utf8 { hash = (hash &* 33) &+ UInt32(byte) }
        return nickPalette[Int(hash % UInt32(nickPalette.count))]
    }
}
