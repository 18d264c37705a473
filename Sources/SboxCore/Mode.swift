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

extension OptionName {
    /// The options bubblewrap has: in bwrap mode, the only ones accepted.
    public var isBwrapOption: Bool {
        switch self {
        case .profile, .include, .ro, .rw, .roTry, .rwTry, .hide, .privateHome, .roHome, .roCwd, .rwCwd,
             .sharePID, .shareIPC, .shareUTS, .shareCgroup, .syscalls, .syscallsDeny, .seccompAction, .unsafeNoSeccomp,
             .verbose, .timeout, .dropCredentials, .keepenv, .x11, .wayland, .pulseaudio, .pipewire, .rwCreate, .exposeArgs, .rlimitNofile, .rlimitNproc, .rlimitAs, .rlimitCpu, .rlimitFsize, .rlimitCore:
            return false
        default:
            return true
        }
    }
}

extension OptionName {
    /// The option's one line in bwrap's --help: its summary, but where bwrap's defaults make sbox's
    /// words wrong (namespaces are not new unless asked, no filter of sbox's own).
    public var bwrapSummary: String {
        switch self {
        case .unshareAll: "New namespaces of every kind: user, mount, IPC, PID, network, UTS, cgroup"
        case .unshareUser, .unshareUserTry: "New user namespace (always: sbox is never setuid)"
        case .unshareIPC: "New IPC namespace"
        case .unsharePID: "New PID namespace"
        case .unshareNet: "New network namespace with only loopback"
        case .unshareUTS: "New UTS namespace"
        case .unshareCgroup: "New cgroup namespace"
        case .unshareCgroupTry: "New cgroup namespace if the kernel can make one"
        case .shareNet: "Keep the host's network (with --unshare-all)"
        case .asPID1: "Run the program as PID 1 of its PID namespace, without an init"
        case .newSession: "Start a new terminal session (setsid)"
        case .dieWithParent: "Kill the sandbox, and bwrap, when bwrap's parent dies"
        case .disableUserns: "The program cannot create user namespaces"
        case .seccomp: "Load the compiled BPF filter read from FD (not repeatable)"
        case .addSeccompFD: "Load the compiled BPF filter read from FD (repeatable)"
        case .capAdd: "Keep capability CAP (or ALL) in the sandbox's user namespace"
        case .landlock: "sbox's Landlock: required, best-effort or off (default off)"
        default: spec.summary
        }
    }
}
