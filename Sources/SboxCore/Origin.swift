/// Where a step of the plan came from, so that errors and `sbox explain` can point at it.
public enum Origin: Equatable, Sendable, CustomStringConvertible {
    /// An option on the command line, with its arguments as typed.
    case commandLine(String)

    public var description: String {
        switch self {
        case .commandLine(let text): return text
        }
    }
}
