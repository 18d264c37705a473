/// Everything the runtime needs to build one sandbox, decided before any namespace exists.
public struct Plan: Equatable, Sendable {
    public var namespaces: Namespaces = .all
    /// Ids inside the sandbox, and the caller's ids outside that they map to.
    public var uid: UInt32
    public var gid: UInt32
    public var hostUID: UInt32
    public var hostGID: UInt32
    public var mounts: [PlannedMount] = []
    public var hostname: ByteString?
    /// Where the program starts.
    public var workingDirectory: WorkingDirectory
    /// drop-credentials: the variables of the caller's environment that the program does not get, and why.
    public var droppedVariables: [DroppedVariable] = []
    /// The standard descriptors that are the caller's terminal: the program gets a new pseudo-terminal
    /// on them instead, its controlling terminal, which sbox relays (sbox mode). The caller's terminal
    /// is never in the sandbox: a program holding it could read what is typed after it, in the background.
    public var relayedDescriptors: [Int32] = []
    /// rw-create: directories made on the host, before the sandbox, where they are missing.
    public var createdDirectories: [PlannedDirectory] = []
    /// What sbox says before the sandbox starts, not being errors (a current directory not exposed).
    public var notices: [String] = []
    /// The program's environment, as `NAME=value`, in order.
    public var environment: [ByteString]
    public var command: [ByteString]
    public var argv0: ByteString?
    /// Capabilities kept inside the sandbox's user namespace; every other one is dropped.
    public var capabilities: CapabilitySet = []
    /// Where sbox may keep compiled filters (`$XDG_CACHE_HOME/sbox`), if the caller has a home.
    public var cacheDirectory: ByteString?
    /// sbox's own directories (profiles, cache), hidden in the sandbox: created before it if missing.
    public var ownDirectories: [ByteString] = []
    /// `syscalls` and `syscalls-deny` directives in order, and what a refused call gets.
    public var syscallRules: [SyscallRule] = []
    public var seccompAction: SeccompAction = .errno
    /// sbox learn: what the policy refuses, and every file access, is reported to sbox (seccomp user
    /// notifications) and then let through.
    public var learning = false
    /// --unsafe-no-seccomp: no filter at all, not even the always-on rules.
    public var withoutSeccomp = false
    /// File descriptors to read compiled BPF filters from (bwrap's --seccomp, --add-seccomp-fd),
    /// loaded before sbox's own: filters stack, and the strictest answer wins.
    public var filterDescriptors: [Int32] = []
    /// allow-host: the egress proxy and what it lets through (inactive without lines).
    public var egress = EgressPolicy()
    /// Landlock: its mode, and the restrictions beyond the mirror of the mounts.
    public var landlock = LandlockPolicy()
    /// Landlock's first layer as planned: one rule per path, in the order the runtime adds them (none
    /// when Landlock is off). The runtime makes its own of the mounts as resolved on the host.
    public var landlockMirror: [LandlockRule] {
        landlock.mode == .off
            ? []
            : LandlockPolicy.mirror(of: mounts.map { BuiltMount($0.step.expected, origin: $0.origin) },
                                    readOnlyRoot: readOnlyRoot)
    }
    /// The settings other than mounts, with their origins, for `sbox explain`.
    public var settings: [PlannedSetting] = []
    /// sbox's defaults; bwrap mode turns them off unless its options ask.
    public var newSession = true
    public var dieWithParent = true
    /// sbox itself is killed when its caller ends (--die-with-parent): its sandbox, and what holds
    /// --lock-file's locks, with it. bwrap's outer process does the same.
    public var diesWithCaller = false
    public var readOnlyRoot = true
    /// The nested user and mount namespace that locks the mounts (sbox); bwrap has none.
    public var lockMounts = true
    /// How the program's own failures read: sbox's 127/126, or bwrap's `execvp` error and 1.
    public var mode: Mode = .sbox
    /// bwrap's descriptors. --sync-fd is held open by the init while the sandbox runs (by the program
    /// only when it is PID 1), --block-fd waited on, the others written to.
    public var syncDescriptor: Int32?
    /// bwrap passes the caller's other descriptors on to the program; sbox closes them.
    public var passesDescriptors = false
    public var blockDescriptor: Int32?
    /// --userns-block-fd: the caller writes the sandbox's uid and gid maps, then data to this descriptor.
    public var usernsBlockDescriptor: Int32?
    /// bwrap's --userns and --pidns: namespaces the caller opened, joined by sbox before the sandbox's
    /// first process is created (so no new user namespace and no id maps; a new PID namespace, if
    /// any, nests in the joined one); --userns2: a user namespace the sandbox enters once it is built.
    public var joinedUserNamespace: Int32?
    public var joinedPIDNamespace: Int32?
    public var userNamespaceAfterSetup: Int32?
    public var infoDescriptor: Int32?
    public var jsonStatusDescriptor: Int32?
    /// The program's pid and namespaces are reported (--info-fd, --json-status-fd). With the mount
    /// lock, the program's process reports them once its last namespaces exist, and the pid is its own;
    /// but with --userns-block-fd, the caller needs the first process's pid to write its maps.
    public var reportsStatus: Bool { infoDescriptor != nil || jsonStatusDescriptor != nil }
    public var programReportsStatus: Bool { reportsStatus && lockMounts && usernsBlockDescriptor == nil }
    public var lockFiles: [ByteString] = []
    /// --verbose: a summary before the sandbox starts, and its setup time when the program starts.
    public var verbose = false
    /// --timeout: the whole sandbox ends after this long, and sbox exits 124.
    public var timeoutMilliseconds: UInt64?
    /// --rlimit-*: one per kind, the last given.
    public var resourceLimits: [ResourceLimit] = []
    /// bwrap's --disable-userns: the program cannot create user namespaces (a limit of 1 in the
    /// sandbox's, used up by a nested one it cannot leave); --assert-userns-disabled checks it.
    public var disableUserNamespaces = false
    public var assertUserNamespacesDisabled = false
    /// Run the program as PID 1 of the new PID namespace instead of under sbox's init.
    public var programIsPID1 = false

    public init(uid: UInt32, gid: UInt32, hostUID: UInt32, hostGID: UInt32, callerDirectory: ByteString,
                environment: [ByteString], command: [ByteString]) {
        self.uid = uid
        self.gid = gid
        self.hostUID = hostUID
        self.hostGID = hostGID
        workingDirectory = .caller(callerDirectory)
        self.environment = environment
        self.command = command
    }

    /// An init is needed to forward signals and reap orphans whenever the program would otherwise be
    /// PID 1, and (as bwrap) to hold --sync-fd and the --lock-file locks, out of the program's reach.
    public var needsInit: Bool {
        (namespaces.contains(.pid) || !lockFiles.isEmpty || syncDescriptor != nil || reapsDescendants) && !programIsPID1
    }

    /// Without a PID namespace of its own, the program's processes would outlive the sandbox (the
    /// kernel ends a namespace's processes with its init, not a process's children with it): sbox's
    /// init and supervisor adopt them and end them. bwrap leaves them, and so does its mode.
    public var reapsDescendants: Bool { mode == .sbox && !namespaces.contains(.pid) }
}

/// Where the program starts.
public enum WorkingDirectory: Equatable, Sendable {
    /// --chdir: it must exist in the sandbox.
    case given(ByteString)
    /// The caller's, if it exists in the sandbox; else $HOME (of the program's environment) if it
    /// exists there, else /.
    case caller(ByteString)
    /// $HOME, else /: the caller's directory was not exposed, and a place of the same name in the
    /// sandbox (a private /tmp) is not where the program was started.
    case home
}

/// The namespaces that are new for the sandbox (the others are the host's).
public struct Namespaces: OptionSet, Equatable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let user = Namespaces(rawValue: 1 << 0)
    public static let mount = Namespaces(rawValue: 1 << 1)
    public static let pid = Namespaces(rawValue: 1 << 2)
    public static let ipc = Namespaces(rawValue: 1 << 3)
    public static let uts = Namespaces(rawValue: 1 << 4)
    public static let net = Namespaces(rawValue: 1 << 5)
    public static let cgroup = Namespaces(rawValue: 1 << 6)
    public static let all: Namespaces = [.user, .mount, .pid, .ipc, .uts, .net, .cgroup]

    public static let names: [(Namespaces, String)] = [
        (.user, "user"), (.mount, "mount"), (.pid, "pid"), (.ipc, "ipc"), (.uts, "uts"), (.net, "net"),
        (.cgroup, "cgroup"),
    ]
}

/// What a system call the policy refuses gets.
public enum SeccompAction: String, CaseIterable, Equatable, Sendable {
    /// EPERM, as if the kernel refused it.
    case errno
    /// ENOSYS, as if the kernel did not have it (programs fall back more readily).
    case enosys
    /// The process is killed with SIGSYS (exit status 159).
    case kill
    /// Allowed, but logged by the kernel: for finding what a program needs.
    case log
}

/// One entry of a `syscalls` or `syscalls-deny` directive: a system call, or a @group.
public struct SyscallRule: Equatable, Sendable {
    public var entry: String
    public var allow: Bool
    public var origin: Origin

    public init(entry: String, allow: Bool, origin: Origin) {
        self.entry = entry
        self.allow = allow
        self.origin = origin
    }

    /// The system calls it stands for, sorted. Expanded when needed only: a sandbox whose filter is
    /// cached never sorts a name.
    public var names: [String] {
        entry.hasPrefix("@") ? SyscallGroups.expand(entry) ?? [] : [entry]
    }
}

extension Plan {
    /// The system calls the program may make, or nil when no `syscalls` directive applies (then only
    /// the always-on rules and `syscalls-deny` refuse anything). A refusal wins over any allowance.
    /// Sorted, without repeats.
    public var allowedSyscalls: [String]? {
        guard hasAllowlist else { return nil }
        var allowed: [String] = []
        for rule in syscallRules where rule.allow { allowed += rule.names }
        let denied = deniedSyscalls
        guard !denied.isEmpty else { return SyscallGroups.uniqueSorted(allowed) }
        // Both sorted: walk them together.
        var result: [String] = []
        var index = 0
        for name in SyscallGroups.uniqueSorted(allowed) {
            while index < denied.count && denied[index] < name { index += 1 }
            if index < denied.count && denied[index] == name { continue }
            result.append(name)
        }
        return result
    }

    /// Whether a `syscalls` directive applies (allowedSyscalls is not nil), without expanding a group.
    public var hasAllowlist: Bool { syscallRules.contains(where: \.allow) }

    /// What the filter depends on, as written: `+@group` and `-name` entries in order, then the action.
    public var syscallPolicyKey: String {
        var key = ""
        for rule in syscallRules { key += (rule.allow ? "+" : "-") + rule.entry + "," }
        return key + seccompAction.rawValue
    }

    /// Sorted, without repeats.
    public var deniedSyscalls: [String] {
        var denied: [String] = []
        for rule in syscallRules where !rule.allow { denied += rule.names }
        return SyscallGroups.uniqueSorted(denied)
    }
}

public struct PlannedDirectory: Equatable, Sendable {
    public var path: ByteString
    public var origin: Origin
}

public struct PlannedSetting: Equatable, Sendable {
    public var text: String
    public var origin: Origin
}

public struct PlannedMount: Equatable, Sendable {
    public var step: MountStep
    public var origin: Origin
    public init(_ step: MountStep, origin: Origin) {
        self.step = step
        self.origin = origin
    }
}

/// One step of building the sandbox's file system, applied in order inside a new root.
/// Sources are host paths; destinations are paths inside the sandbox. Both are absolute.
public enum MountStep: Equatable, Sendable {
    case bind(source: ByteString, destination: ByteString, mode: BindMode, optional: Bool)
    case remountReadOnly(ByteString)
    case tmpfs(ByteString, permissions: UInt32, sizeBytes: UInt64?)
    case proc(ByteString)
    case dev(ByteString)
    case mqueue(ByteString)
    case directory(ByteString, permissions: UInt32)
    case symlink(target: ByteString, path: ByteString)
    case chmod(ByteString, permissions: UInt32)
    /// The host's `path` at the same path: a symlink as the same symlink, anything else bound.
    case expose(ByteString, mode: BindMode, optional: Bool)
    /// An empty read-only directory or file over `path`, if something is there.
    case hide(ByteString)
    /// What an argument of the program names on the host, at the same path: the file at `source`
    /// (the path with its directories' symlinks resolved, and no symlink on it at the bind), or a
    /// directory there when `directories`; nothing for anything else (expose-args).
    case argument(ByteString, source: ByteString, mode: BindMode, directories: Bool)
    /// The host's unix socket `source` on `destination`, read-only, if it is a socket (nothing otherwise:
    /// a session variable's value never becomes a directory's exposure).
    case socket(source: ByteString, destination: ByteString)
    /// A file of the sandbox's own on `destination`, read-only, with the entries of X display
    /// `display` from the host's Xauthority file `source`, renumbered `as` (nothing when none).
    case xauthority(source: ByteString, display: ByteString, as: ByteString, destination: ByteString)
    /// A file with the data read from `descriptor`: created at `path` (`bind` nil, bwrap's --file),
    /// or made apart and bound on `path` (bwrap's --bind-data and --ro-bind-data).
    case data(descriptor: Int32, path: ByteString, permissions: UInt32, bind: BindMode?)
    /// An overlay of host directories (`layers`, bottom to top) on `path`. Writes go to the host's
    /// `upper` directory (with its `work` directory), to an invisible tmpfs, or nowhere (read-only).
    case overlay(layers: [ByteString], path: ByteString, writes: OverlayWrites)

    public enum OverlayWrites: Equatable, Sendable {
        case host(upper: ByteString, work: ByteString)
        case temporary
        case refused
    }

    /// What `dev` makes: the host's device nodes bound in, the terminals' and shared memory's directories.
    public static let deviceNodes: [ByteString] = ["null", "zero", "full", "random", "urandom", "tty"]
    public static let terminalDirectory: ByteString = "pts"
    public static let sharedMemory: ByteString = "shm"

    public enum BindMode: Equatable, Sendable {
        case readOnly, readWrite, devices
    }
}
