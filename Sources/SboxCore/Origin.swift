/// Where a step of the plan came from, so that errors and `sbox explain` can point at it.
public enum Origin: Equatable, Sendable, CustomStringConvertible {
    /// An option on the command line, with its arguments as typed.
    case commandLine(String)
    /// A line of a profile: the file (or `NAME (built-in)`), the line number, the directive as written.
    case profile(file: String, line: Int, text: String)

    /// `file:line` for a profile line, `command line` otherwise: where to look.
    public var location: String {
        switch self {
        case .commandLine: return "command line"
        case .profile(let file, let line, _): return "\(file):\(line)"
        }
    }

    /// What errors start with: the option as typed, or `file:line: directive`.
    public var description: String {
        switch self {
        case .commandLine(let text): return text
        case .profile(let file, let line, let text): return "\(file):\(line): \(text)"
        }
    }
}
