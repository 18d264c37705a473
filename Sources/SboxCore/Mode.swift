/// How sbox was invoked: as itself, with secure defaults and profiles, or as bwrap, with bwrap's
/// defaults and nothing else (`bwrap` as the program's name, or `sbox bwrap ...`).
public enum Mode: Sendable {
    case sbox
    case bwrap

    /// What messages start with.
    public var name: String { self == .sbox ? "sbox" : "bwrap" }
    /// The exit status of a failure of the sandbox itself: 125 as env(1) does; bwrap's is 1.
    public var failureStatus: Int32 { self == .sbox ? ExitStatus.sandboxFailure : 1 }
}
