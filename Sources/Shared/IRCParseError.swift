/// Why a line could not become an ``IRCMessage``.
public enum IRCParseError: Error, Sendable, Equatable {
    /// The line had nothing but whitespace.
    case empty
    /// The line was not valid UTF-8.
    case invalidUTF8
    /// The line contained a NUL byte (or a bare CR inside it).
    case forbiddenControlCharacter
    /// The tag section was longer than allowed.
    case tagsTooLong
    /// The non-tag part was longer than allowed.
    case lineTooLong
    /// There was no command after the tags and source.
    case missingCommand
    /// The command was neither a word of letters nor a three-digit numeric.
    case invalidCommand
    /// More than ``IRCLimits/maxParams`` parameters.
    case tooManyParams
}
