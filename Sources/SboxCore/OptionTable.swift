/// The one table of sbox's options: every fact about an option is in its row of `OptionName.spec`,
/// and the command-line parser, the profile parser, `--help` (sbox's and bwrap's), shell completion,
/// bwrap mode and scripts/embed-profiles read it from there. A profile line is an option without its
/// dashes.
///
/// This file compiles on its own, using nothing else of SboxCore: scripts/embed-profiles builds it
/// alone to read the table.
public enum OptionName: String, CaseIterable, Sendable {
    // Profiles.
    case profile, include
    // Host paths as they are, and shorthands for the usual ones.
    case ro, rw, roTry = "ro-try", rwTry = "rw-try", hide
    case privateHome = "private-home", roHome = "ro-home", roCwd = "ro-cwd", rwCwd = "rw-cwd"
    case rwCreate = "rw-create", exposeArgs = "expose-args"
    // The caller's session: its display, sound and their cookies, as its variables name them.
    case x11, wayland, pulseaudio, pipewire
    // Filesystem, applied in the order given (bwrap's semantics).
    case bind, bindTry = "bind-try", roBind = "ro-bind", roBindTry = "ro-bind-try"
    case devBind = "dev-bind", devBindTry = "dev-bind-try", remountRO = "remount-ro"
    case tmpfs, proc, dev, mqueue, dir, symlink, chmod, perms, size
    case file, bindData = "bind-data", roBindData = "ro-bind-data", bindFD = "bind-fd", roBindFD = "ro-bind-fd"
    // Identity and environment.
    case uid, gid, hostname, chdir, setenv, unsetenv, clearenv, argv0
    case dropCredentials = "drop-credentials", keepenv
    // Namespaces.
    case shareNet = "share-net", allowHost = "allow-host", sharePID = "share-pid", shareIPC = "share-ipc"
    case shareUTS = "share-uts", shareCgroup = "share-cgroup"
    case unshareAll = "unshare-all", unshareUser = "unshare-user", unshareUserTry = "unshare-user-try"
    case unshareIPC = "unshare-ipc", unsharePID = "unshare-pid", unshareNet = "unshare-net"
    case unshareUTS = "unshare-uts", unshareCgroup = "unshare-cgroup", unshareCgroupTry = "unshare-cgroup-try"
    // Process.
    case asPID1 = "as-pid-1", newSession = "new-session", dieWithParent = "die-with-parent", timeout
    case rlimitNofile = "rlimit-nofile", rlimitNproc = "rlimit-nproc", rlimitAs = "rlimit-as"
    case rlimitCpu = "rlimit-cpu", rlimitFsize = "rlimit-fsize", rlimitCore = "rlimit-core"
    // bwrap's protocols with its caller, through file descriptors.
    case args, infoFD = "info-fd", jsonStatusFD = "json-status-fd", syncFD = "sync-fd", blockFD = "block-fd"
    case lockFile = "lock-file", levelPrefix = "level-prefix"
    // bwrap's namespaces joined, user namespaces disabled, overlays, SELinux labels (refused).
    case usernsBlockFD = "userns-block-fd", userns, userns2, pidns, disableUserns = "disable-userns"
    case assertUsernsDisabled = "assert-userns-disabled", overlaySrc = "overlay-src", overlay
    case tmpOverlay = "tmp-overlay", roOverlay = "ro-overlay", execLabel = "exec-label", fileLabel = "file-label"
    // Capabilities and system calls.
    case capAdd = "cap-add", capDrop = "cap-drop"
    case syscalls, syscallsDeny = "syscalls-deny", seccompAction = "seccomp-action"
    case seccomp, addSeccompFD = "add-seccomp-fd", unsafeNoSeccomp = "unsafe-no-seccomp"
    // Landlock.
    case landlock, landlockRead = "landlock-read", landlockWrite = "landlock-write"
    case landlockConnect = "landlock-connect", landlockBind = "landlock-bind"
    // Informational: handled by the command line before anything else.
    case verbose, help, version
}

public enum OptionSection: String, CaseIterable, Sendable {
    case profiles = "Profiles"
    case paths = "Host paths (applied in the order given, with the file system options)"
    case filesystem = "Filesystem (applied in the order given)"
    case identity = "Identity and environment"
    case namespaces = "Namespaces (all new unless shared)"
    case process = "Process"
    case capabilities = "Capabilities and system calls"
    case landlock = "Landlock (the kernel refuses by path, whatever the mounts)"
    case general = "General"
}

/// One option's facts.
public struct OptionSpec: Sendable {
    public let name: OptionName
    /// Its arguments, in order: it takes exactly this many.
    public let argumentTypes: ArgumentTypes
    public let section: OptionSection
    public let summary: String
    /// A `-try` form: a missing source (or a path made of an unset variable) makes it do nothing.
    public let isOptional: Bool
    /// A profile may give it (as a line without the dashes): all but what only a command line can ask.
    public let isDirective: Bool
    public let bwrap: BwrapSupport

    public var flag: String { "--" + name.rawValue }

    /// The arguments' names, as help and messages show them.
    public var arguments: ArgumentNames { ArgumentNames(types: argumentTypes) }

    /// Its one argument is a comma-separated list; in a profile, the words after the directive are
    /// its items.
    public var takesList: Bool { argumentTypes.first == .list }

    /// bwrap mode accepts it.
    public var isBwrapOption: Bool {
        if case .unknown = bwrap { return false }
        return true
    }

    /// Its line in bwrap's --help.
    public var bwrapSummary: String {
        if case .summary(let text) = bwrap { return text }
        return summary
    }
}

/// An option's arguments, in order: at most three, packed in an integer, so that reading the table
/// at start builds no array of a type of sbox's own (a static binary instantiates the generic
/// metadata of such an array at every start).
public struct ArgumentTypes: RandomAccessCollection, Sendable {
    /// One byte per argument, the first lowest.
    private let packed: UInt32
    public let endIndex: Int

    init(_ first: ArgumentType?, _ second: ArgumentType?, _ third: ArgumentType?) {
        packed = UInt32(first?.rawValue ?? 0) | UInt32(second?.rawValue ?? 0) << 8 | UInt32(third?.rawValue ?? 0) << 16
        // The first missing one ends the list.
        endIndex = first == nil ? 0 : second == nil ? 1 : third == nil ? 2 : 3
    }

    public var startIndex: Int { 0 }

    public subscript(position: Int) -> ArgumentType {
        precondition(position >= 0 && position < endIndex, "no argument \(position)")
        // Every byte below endIndex was an ArgumentType's raw value.
        return ArgumentType(rawValue: UInt8(truncatingIfNeeded: packed >> (8 * position)))!
    }
}

/// The names of an option's arguments: a view of their types rather than an array, so that the
/// parser asking how many builds nothing.
public struct ArgumentNames: RandomAccessCollection, Sendable {
    let types: ArgumentTypes
    public var startIndex: Int { types.startIndex }
    public var endIndex: Int { types.endIndex }
    public subscript(position: Int) -> String { types[position].name }
}

/// What an option's argument is: its name in help, and what a shell completes it to.
public enum ArgumentType: UInt8, Sendable {
    case path, source, destination, directory, target, upperSource, workDirectory
    case profile, hostName, mode, descriptor, octal, bytes, count, duration, capability, list, action
    case port, uid, gid, variable, value, pattern, label, hostPort

    public var name: String {
        switch self {
        case .path: "PATH"
        case .source: "SRC"
        case .destination: "DEST"
        case .directory: "DIR"
        case .target: "TARGET"
        case .upperSource: "RWSRC"
        case .workDirectory: "WORKDIR"
        case .profile, .hostName: "NAME"
        case .mode: "MODE"
        case .descriptor: "FD"
        case .octal: "OCTAL"
        case .bytes: "BYTES"
        case .count: "N"
        case .duration: "DURATION"
        case .capability: "CAP"
        case .list: "LIST"
        case .action: "ACTION"
        case .port: "PORT"
        case .uid: "UID"
        case .gid: "GID"
        case .variable: "VAR"
        case .value: "VALUE"
        case .pattern: "PATTERN"
        case .label: "LABEL"
        case .hostPort: "HOST[:PORT]"
        }
    }

    public var completion: CompletionKind {
        switch self {
        case .path, .source, .destination, .directory, .target, .upperSource, .workDirectory: .file
        case .profile: .profile
        case .capability: .capability
        case .action: .action
        case .hostName, .mode, .descriptor, .octal, .bytes, .count, .duration, .list, .port, .uid, .gid, .variable,
             .value, .pattern, .label, .hostPort:
            .none
        }
    }
}

/// What a shell completes an argument to (the words are those of the bash script).
public enum CompletionKind: String, Sendable {
    case file, profile, capability, action, none
}

/// What bwrap mode makes of an option.
public enum BwrapSupport: Sendable {
    /// Not one of bubblewrap's options: bwrap mode does not know it.
    case unknown
    /// One of bubblewrap's; its line in bwrap's --help is its summary.
    case same
    /// One of bubblewrap's, with its own line in bwrap's --help where bwrap's defaults make sbox's
    /// words wrong (namespaces are not new unless asked, no filter of sbox's own).
    case summary(String)
}

public enum OptionTable {
    /// Every option, in the order of the help.
    public static var all: [OptionSpec] { OptionName.allCases.map(\.spec) }

    public static func spec(named name: String) -> OptionSpec? {
        // Not OptionName(rawValue:): for this many cases Swift builds a dictionary of every name at
        // the first lookup, which a start pays for (about 25 µs); comparing the names costs less.
        for option in OptionName.allCases where option.rawValue == name { return option.spec }
        return nil
    }
}

extension OptionName {
    // A switch rather than a dictionary: parsing then instantiates no generic type at run time,
    // which a static Swift binary pays for at every start.
    public var spec: OptionSpec {
        switch self {
        case .profile:
            spec(.profile, in: .profiles,
                 "Apply profile NAME (or a file, if it has a /) first; 'none' for no profile (default: default)",
                 bwrap: .unknown)
        case .include: spec(.profile, in: .profiles, "Apply profile NAME (or a file) here, in order", bwrap: .unknown)
        case .ro:
            spec(.path, in: .paths, "Expose the host's PATH read-only at the same path (a symlink as the same symlink)",
                 bwrap: .unknown)
        case .rw:
            spec(.path, in: .paths,
                 "Expose the host's PATH read-write at the same path (a symlink as the same symlink)", bwrap: .unknown)
        case .roTry:
            spec(.path, in: .paths, "Like ro, but nothing when PATH does not exist",
                 optional: true, bwrap: .unknown)
        case .rwTry:
            spec(.path, in: .paths, "Like rw, but nothing when PATH does not exist",
                 optional: true, bwrap: .unknown)
        case .hide:
            spec(.path, in: .paths, "Cover PATH with an empty read-only directory or file (nothing if it is absent)",
                 optional: true, bwrap: .unknown)
        case .privateHome: spec(in: .paths, "An empty writable home directory at $HOME", bwrap: .unknown)
        case .roHome: spec(in: .paths, "The real home directory, read-only", bwrap: .unknown)
        case .roCwd: spec(in: .paths, "The current directory, read-only", bwrap: .unknown)
        case .rwCwd: spec(in: .paths, "The current directory, read-write", bwrap: .unknown)
        case .rwCreate:
            spec(.path, in: .paths, """
                Like rw, but the directory is made on the host first (0700) when missing: state kept from the first \
                run (in the home only)
                """, bwrap: .unknown)
        case .exposeArgs:
            spec(.mode, in: .paths,
                 "Expose what the program's arguments name (absolute paths, file:// URLs), each alone, ro or rw",
                 bwrap: .unknown)
        case .x11:
            spec(in: .paths,
                 "The X11 display $DISPLAY names (its socket alone) and its cookie; sets DISPLAY and XAUTHORITY",
                 bwrap: .unknown)
        case .wayland:
            spec(in: .paths, "The Wayland socket $WAYLAND_DISPLAY names (default wayland-0); sets WAYLAND_DISPLAY",
                 bwrap: .unknown)
        case .pulseaudio:
            spec(in: .paths,
                 "PulseAudio's socket ($PULSE_SERVER, default $XDG_RUNTIME_DIR/pulse/native); sets PULSE_SERVER",
                 bwrap: .unknown)
        case .pipewire:
            spec(in: .paths, "PipeWire's socket ($PIPEWIRE_REMOTE, default pipewire-0); sets PIPEWIRE_REMOTE",
                 bwrap: .unknown)
        case .bind: spec(.source, .destination, in: .filesystem, "Bind-mount the host path SRC on DEST, writable")
        case .bindTry:
            spec(.source, .destination, in: .filesystem, "Like --bind, but skipped when SRC does not exist",
                 optional: true)
        case .roBind:
            spec(.source, .destination, in: .filesystem, "Bind-mount SRC on DEST, read-only including submounts")
        case .roBindTry:
            spec(.source, .destination, in: .filesystem, "Like --ro-bind, but skipped when SRC does not exist",
                 optional: true)
        case .devBind:
            spec(.source, .destination, in: .filesystem, "Bind-mount SRC on DEST, writable, with device access")
        case .devBindTry:
            spec(.source, .destination, in: .filesystem, "Like --dev-bind, but skipped when SRC does not exist",
                 optional: true)
        case .remountRO:
            spec(.destination, in: .filesystem, "Make the mount at DEST read-only (not those below it, as bwrap)")
        case .tmpfs:
            spec(.destination, in: .filesystem, "Mount an empty tmpfs on DEST (mode from --perms, default 0755)")
        case .proc: spec(.destination, in: .filesystem, "Mount the sandbox's own procfs on DEST")
        case .dev:
            spec(.destination, in: .filesystem,
                 "Mount a minimal /dev on DEST (null, zero, full, random, urandom, tty, pts, shm)")
        case .mqueue: spec(.destination, in: .filesystem, "Mount a POSIX message-queue filesystem on DEST")
        case .dir: spec(.destination, in: .filesystem, "Create the directory DEST (mode from --perms, default 0755)")
        case .symlink: spec(.target, .destination, in: .filesystem, "Create the symbolic link DEST pointing to TARGET")
        case .chmod: spec(.octal, .path, in: .filesystem, "Change the permissions of PATH inside the sandbox")
        case .perms:
            spec(.octal, in: .filesystem,
                 "Permissions of the next --dir, --tmpfs, --file, --bind-data or --ro-bind-data")
        case .size: spec(.bytes, in: .filesystem, "Size limit of the next --tmpfs (suffixes K, M, G allowed)")
        case .file:
            spec(.descriptor, .destination, in: .filesystem,
                 "Create the file DEST with the data read from FD (mode from --perms, default 0666)")
        case .bindData:
            spec(.descriptor, .destination, in: .filesystem,
                 "A file with the data read from FD, bound on DEST writable (default mode 0600)")
        case .roBindData:
            spec(.descriptor, .destination, in: .filesystem,
                 "A file with the data read from FD, bound on DEST read-only (default mode 0600)")
        case .bindFD:
            spec(.descriptor, .destination, in: .filesystem, "Bind-mount the directory open as FD on DEST, writable")
        case .roBindFD:
            spec(.descriptor, .destination, in: .filesystem, "Bind-mount the directory open as FD on DEST, read-only")
        case .uid: spec(.uid, in: .identity, "User id inside the sandbox (default: your own)")
        case .gid: spec(.gid, in: .identity, "Group id inside the sandbox (default: your own)")
        case .hostname: spec(.hostName, in: .identity, "Host name inside the sandbox")
        case .chdir: spec(.directory, in: .identity, "Working directory inside the sandbox")
        case .setenv: spec(.variable, .value, in: .identity, "Set an environment variable")
        case .unsetenv: spec(.variable, in: .identity, "Remove an environment variable")
        case .clearenv: spec(in: .identity, "Start from an empty environment")
        case .argv0: spec(.value, in: .identity, "Pass VALUE as the program's argv[0]")
        case .dropCredentials:
            spec(in: .identity,
                 "Remove credential-shaped variables (tokens, keys, passwords, cloud accounts, agents, LD_PRELOAD)",
                 bwrap: .unknown)
        case .keepenv:
            spec(.pattern, in: .identity,
                 "Keep the variables PATTERN names (a name, or a glob with * and ?) despite drop-credentials",
                 bwrap: .unknown)
        case .shareNet:
            spec(in: .namespaces, "Keep the host's network",
                 bwrap: .summary("Keep the host's network (with --unshare-all)"))
        case .allowHost:
            spec(.hostPort, in: .namespaces, """
                Only HOST on PORT (default 443 and 80), through sbox's proxy in the sandbox's own network; \
                repeatable
                """, bwrap: .unknown)
        case .sharePID: spec(in: .namespaces, "Keep the host's process ids", bwrap: .unknown)
        case .shareIPC: spec(in: .namespaces, "Keep the host's System V IPC and message queues", bwrap: .unknown)
        case .shareUTS: spec(in: .namespaces, "Keep the host's host name", bwrap: .unknown)
        case .shareCgroup: spec(in: .namespaces, "Keep the host's cgroup namespace", bwrap: .unknown)
        case .unshareAll:
            spec(in: .namespaces, "New namespaces of every kind (the default)",
                 bwrap: .summary("New namespaces of every kind: user, mount, IPC, PID, network, UTS, cgroup"))
        case .unshareUser:
            spec(in: .namespaces, "New user namespace (always)",
                 bwrap: .summary("New user namespace (always: sbox is never setuid)"))
        case .unshareUserTry:
            spec(in: .namespaces, "New user namespace (always)",
                 bwrap: .summary("New user namespace (always: sbox is never setuid)"))
        case .unshareIPC: spec(in: .namespaces, "New IPC namespace (the default)", bwrap: .summary("New IPC namespace"))
        case .unsharePID: spec(in: .namespaces, "New PID namespace (the default)", bwrap: .summary("New PID namespace"))
        case .unshareNet:
            spec(in: .namespaces, "New network namespace with only loopback (the default)",
                 bwrap: .summary("New network namespace with only loopback"))
        case .unshareUTS: spec(in: .namespaces, "New UTS namespace (the default)", bwrap: .summary("New UTS namespace"))
        case .unshareCgroup:
            spec(in: .namespaces, "New cgroup namespace (the default)",
                 bwrap: .summary("New cgroup namespace"))
        case .unshareCgroupTry:
            spec(in: .namespaces, "New cgroup namespace (the default)",
                 bwrap: .summary("New cgroup namespace if the kernel can make one"))
        case .asPID1:
            spec(in: .process, "Run the program as PID 1 instead of under sbox's init",
                 bwrap: .summary("Run the program as PID 1 of its PID namespace, without an init"))
        case .newSession:
            spec(in: .process, "Start a new terminal session (always)",
                 bwrap: .summary("Start a new terminal session (setsid)"))
        case .dieWithParent:
            spec(in: .process, "Kill sbox and the sandbox when sbox's caller dies (the sandbox dies with sbox always)",
                 bwrap: .summary("Kill the sandbox, and bwrap, when bwrap's parent dies"))
        case .timeout:
            spec(.duration, in: .process,
                 "End the whole sandbox after DURATION (seconds, or with s, m, h, d) and exit 124, as timeout(1)",
                 bwrap: .unknown)
        case .rlimitNofile:
            spec(.count, in: .process, "At most N open files (RLIMIT_NOFILE; or 'unlimited')",
                 bwrap: .unknown)
        case .rlimitNproc:
            spec(.count, in: .process, "At most N processes of the user (RLIMIT_NPROC, counted across the host)",
                 bwrap: .unknown)
        case .rlimitAs:
            spec(.bytes, in: .process, "At most BYTES of address space per process (RLIMIT_AS; K, M, G)",
                 bwrap: .unknown)
        case .rlimitCpu:
            spec(.duration, in: .process, "At most DURATION of CPU time per process, then SIGXCPU (RLIMIT_CPU)",
                 bwrap: .unknown)
        case .rlimitFsize:
            spec(.bytes, in: .process, "No file written beyond BYTES, else SIGXFSZ (RLIMIT_FSIZE; K, M, G)",
                 bwrap: .unknown)
        case .rlimitCore:
            spec(.bytes, in: .process, "Core dumps of at most BYTES (RLIMIT_CORE; 0 for none)",
                 bwrap: .unknown)
        case .args:
            spec(.descriptor, in: .process, "Read more options from FD: NUL-separated, inserted here",
                 directive: false)
        case .infoFD: spec(.descriptor, in: .process, "Write information about the sandbox (JSON) to FD once it runs")
        case .jsonStatusFD:
            spec(.descriptor, in: .process,
                 "Write JSON lines to FD: the sandbox's pid and namespaces, then its exit code")
        case .syncFD: spec(.descriptor, in: .process, "Keep FD open (in the sandbox's init) until the sandbox ends")
        case .blockFD: spec(.descriptor, in: .process, "Wait for data on FD before running the program")
        case .lockFile:
            spec(.destination, in: .process, "Hold a lock on DEST (inside the sandbox) while the program runs")
        case .levelPrefix: spec(in: .process, "Begin error messages with their syslog priority (<3>), for journald")
        case .usernsBlockFD:
            spec(.descriptor, in: .namespaces,
                 "Wait for data on FD instead of writing the id maps: the caller writes them (needs --info-fd)")
        case .userns:
            spec(.descriptor, in: .namespaces,
                 "Join the user namespace open as FD instead of creating one (its maps decide the ids)")
        case .userns2:
            spec(.descriptor, in: .namespaces, "Enter the user namespace open as FD once the sandbox is built")
        case .pidns:
            spec(.descriptor, in: .namespaces, """
                Create the sandbox's processes in the PID namespace open as FD (a new one inside it with \
                --unshare-pid)
                """)
        case .disableUserns:
            spec(in: .namespaces,
                 "The program cannot create user namespaces (as bwrap; sbox's filter refuses them anyway)",
                 bwrap: .summary("The program cannot create user namespaces"))
        case .assertUsernsDisabled:
            spec(in: .namespaces, "Fail unless user namespaces cannot be created in the sandbox")
        case .overlaySrc: spec(.source, in: .filesystem, "A lower layer of the next overlay (bottom to top; repeated)")
        case .overlay:
            spec(.upperSource, .workDirectory, .destination, in: .filesystem,
                 "overlayfs on DEST over the layers; writes go to the host's RWSRC")
        case .tmpOverlay:
            spec(.destination, in: .filesystem, "overlayfs on DEST over the layers; writes go to an invisible tmpfs")
        case .roOverlay: spec(.destination, in: .filesystem, "overlayfs on DEST over the layers, read-only")
        case .execLabel: spec(.label, in: .process, "bwrap's SELinux label; refused: sbox does not support SELinux")
        case .fileLabel: spec(.label, in: .process, "bwrap's SELinux label; refused: sbox does not support SELinux")
        case .capAdd:
            spec(.capability, in: .capabilities, "Keep capability CAP (or ALL) inside the sandbox's user namespace",
                 bwrap: .summary("Keep capability CAP (or ALL) in the sandbox's user namespace"))
        case .capDrop: spec(.capability, in: .capabilities, "Drop capability CAP (or ALL) kept by an earlier --cap-add")
        case .syscalls:
            spec(.list, in: .capabilities, """
                Allow these system calls or @groups (comma-separated; blanks in a profile); then only allowed ones \
                work
                """, bwrap: .unknown)
        case .syscallsDeny:
            spec(.list, in: .capabilities, "Refuse these system calls or @groups, even if allowed",
                 bwrap: .unknown)
        case .seccompAction:
            spec(.action, in: .capabilities,
                 "What a refused system call gets: errno (EPERM, default), enosys, kill, log", bwrap: .unknown)
        case .seccomp:
            spec(.descriptor, in: .capabilities, "Also load the compiled BPF filter read from FD (as bwrap)",
                 bwrap: .summary("Load the compiled BPF filter read from FD (not repeatable)"))
        case .addSeccompFD:
            spec(.descriptor, in: .capabilities,
                 "Also load the compiled BPF filter read from FD; may be repeated (as bwrap)",
                 bwrap: .summary("Load the compiled BPF filter read from FD (repeatable)"))
        case .unsafeNoSeccomp:
            spec(in: .capabilities,
                 "UNSAFE: no seccomp filter at all, not even the always-on rules (to compare, to debug)",
                 bwrap: .unknown)
        case .landlock:
            spec(.mode, in: .landlock,
                 "required, best-effort (default; bwrap mode: off) or off: rights that mirror the mounts",
                 bwrap: .summary("sbox's Landlock: required, best-effort or off (default off)"))
        case .landlockRead:
            spec(.path, in: .landlock,
                 "Reads and execution only beneath PATH and the other --landlock-read/-write paths")
        case .landlockWrite: spec(.path, in: .landlock, "Writes only beneath PATH and the other --landlock-write paths")
        case .landlockConnect:
            spec(.port, in: .landlock, "TCP connections only to PORT and the other --landlock-connect ports (ABI 4)")
        case .landlockBind:
            spec(.port, in: .landlock, "TCP binds only to PORT and the other --landlock-bind ports (ABI 4)")
        case .verbose:
            spec(in: .general, "Say what the sandbox is (profile, namespaces, filter) and how long it took to start",
                 bwrap: .unknown)
        case .help: spec(in: .general, "Show this help and exit", directive: false)
        case .version: spec(in: .general, "Show the version and exit", directive: false)
        }
    }

    /// bwrap mode accepts it (the command-line parser's question).
    public var isBwrapOption: Bool { spec.isBwrapOption }

    /// A `-try` form (the profile loader's and the compiler's question).
    public var isOptional: Bool { spec.isOptional }

    /// `--perms` may come before it: it makes something with a mode.
    public var takesPermissions: Bool {
        switch self {
        case .dir, .tmpfs, .file, .bindData, .roBindData: true
        default: false
        }
    }

    /// `--size` may come before it.
    public var takesSize: Bool { self == .tmpfs }

    /// bwrap warns when it is given again: only the last one counts.
    public var bwrapKeepsOnlyTheLast: Bool {
        switch self {
        case .chdir, .syncFD, .blockFD, .usernsBlockFD, .seccomp, .execLabel, .fileLabel: true
        default: false
        }
    }

    /// A row: the option's arguments (none to three), its section of the help and summary, and where
    /// they are not the default: whether it is a -try form, a profile directive, and what bwrap mode
    /// makes of it.
    private func spec(_ first: ArgumentType? = nil, _ second: ArgumentType? = nil, _ third: ArgumentType? = nil,
                      in section: OptionSection, _ summary: String, optional: Bool = false, directive: Bool = true,
                      bwrap: BwrapSupport = .same) -> OptionSpec {
        OptionSpec(name: self, argumentTypes: ArgumentTypes(first, second, third), section: section, summary: summary,
                   isOptional: optional, isDirective: directive, bwrap: bwrap)
    }
}
