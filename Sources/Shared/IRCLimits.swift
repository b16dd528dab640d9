/// Size limits from the IRC specifications.
public enum IRCLimits {
    /// Maximum bytes of the non-tag part of a line, including the final CR LF (RFC 1459 / 2812).
    public static let lineBytes = 512
    /// Maximum bytes of the tag section a client may send, including `@` and the trailing space (IRCv3 message-tags).
    public static let clientTagBytes = 4096
    /// Maximum bytes of the tag section in total, including `@` and the trailing space (IRCv3 message-tags).
    public static let tagBytes = 8191
    /// Maximum number of parameters a message may carry (RFC 2812).
    public static let maxParams = 15
}
