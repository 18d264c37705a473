/// sbox's subcommands, the first word of its command line: the one list behind `main`'s dispatch,
/// the usage lines of `sbox --help`, shell completion, and the test that man/sbox.1 documents each.
/// Their order is that of the help and of completion.
public enum Subcommand: String, CaseIterable, Sendable {
    case run, check, explain, learn, profiles, syscalls, completion, desktop, bwrap

    /// The words after `sbox` in its usage line.
    public var synopsis: String {
        switch self {
        case .run: "[run] [OPTIONS] [--] COMMAND [ARG...]"
        case .check: "check FILE-or-NAME..."
        case .explain: "explain [--json] [OPTIONS] [-- COMMAND...]"
        case .learn: "learn [--output FILE] [--allow-sockets] [--profile BASE] [OPTIONS] -- COMMAND [ARG...]"
        case .profiles: "profiles"
        case .syscalls: "syscalls [@GROUP]"
        case .completion: "completion bash|zsh|fish"
        case .desktop: "desktop install APP [--profile P] | remove APP | list"
        case .bwrap: "bwrap BWRAP-ARGS..."
        }
    }

    /// What it does, beside its usage line in `sbox --help`; nil for run, whose line is the usage
    /// itself.
    public var summary: String? {
        switch self {
        case .run: nil
        case .bwrap: "behave as bubblewrap 0.11, as when named bwrap"
        case .check: "validate profiles without running anything"
        case .explain: "print the plan, every step with its origin"
        case .learn: "write a profile from what a run of COMMAND needed"
        case .profiles: "list the profiles --profile can use"
        case .syscalls: "list the system call groups, or a group's members"
        case .completion: "a shell completion script, from this option table"
        case .desktop: "desktop launchers whose programs start in sbox"
        }
    }

    /// The subcommand a word names. A switch rather than init(rawValue:), which searches an array of
    /// the names (measured: 5,000 more instructions at every start); SubcommandTests checks that both
    /// agree.
    public static func named(_ word: String) -> Subcommand? {
        switch word {
        case "run": .run
        case "check": .check
        case "explain": .explain
        case "learn": .learn
        case "profiles": .profiles
        case "syscalls": .syscalls
        case "completion": .completion
        case "desktop": .desktop
        case "bwrap": .bwrap
        default: nil
        }
    }
}
