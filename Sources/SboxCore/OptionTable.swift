/// The one table that drives the command-line parser, `--help` and (later) the profile
/// parser, the man pages and shell completion. A profile line is an option without its dashes.
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
    case shareNet = "share-net", sharePID = "share-pid", shareIPC = "share-ipc"
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

public struct OptionSpec: Sendable {
    public let name: OptionName
    /// Names of the arguments, as shown in help: the option takes exactly this many.
    public let arguments: [String]
    public let section: OptionSection
    public let summary: String

    public var flag: String { "--" + name.rawValue }
}

public enum OptionTable {
    /// Every option, in the order of the help.
    public static var all: [OptionSpec] { OptionName.allCases.map(\.spec) }

    public static func spec(named name: String) -> OptionSpec? { OptionName(rawValue: name)?.spec }
}

extension OptionName {
    // A switch rather than a dictionary: parsing then instantiates no generic type at run time,
    // which a static Swift binary pays for at every start.
    public var spec: OptionSpec {
        switch self {
        case .profile: spec(["NAME"], .profiles, "Apply profile NAME (or a file, if it has a /) first; 'none' for no profile (default: default)")
        case .include: spec(["NAME"], .profiles, "Apply profile NAME (or a file) here, in order")
        case .ro: spec(["PATH"], .paths, "Expose the host's PATH read-only at the same path (a symlink as the same symlink)")
        case .rw: spec(["PATH"], .paths, "Expose the host's PATH read-write at the same path (a symlink as the same symlink)")
        case .roTry: spec(["PATH"], .paths, "Like ro, but nothing when PATH does not exist")
        case .rwTry: spec(["PATH"], .paths, "Like rw, but nothing when PATH does not exist")
        case .hide: spec(["PATH"], .paths, "Cover PATH with an empty read-only directory or file (nothing if it is absent)")
        case .privateHome: spec([], .paths, "An empty writable home directory at $HOME")
        case .roHome: spec([], .paths, "The real home directory, read-only")
        case .roCwd: spec([], .paths, "The current directory, read-only")
        case .rwCwd: spec([], .paths, "The current directory, read-write")
        case .rwCreate: spec(["PATH"], .paths, "Like rw, but the directory is made on the host first (0700) when missing: state kept from the first run (in the home only)")
        case .exposeArgs: spec(["MODE"], .paths, "Expose what the program's arguments name (absolute paths, file:// URLs), each alone, ro or rw")
        case .x11: spec([], .paths, "The X11 display $DISPLAY names (its socket alone) and its cookie; sets DISPLAY and XAUTHORITY")
        case .wayland: spec([], .paths, "The Wayland socket $WAYLAND_DISPLAY names (default wayland-0); sets WAYLAND_DISPLAY")
        case .pulseaudio: spec([], .paths, "PulseAudio's socket ($PULSE_SERVER, default $XDG_RUNTIME_DIR/pulse/native); sets PULSE_SERVER")
        case .pipewire: spec([], .paths, "PipeWire's socket ($PIPEWIRE_REMOTE, default pipewire-0); sets PIPEWIRE_REMOTE")
        case .file: spec(["FD", "DEST"], .filesystem, "Create the file DEST with the data read from FD (mode from --perms, default 0666)")
        case .bindData: spec(["FD", "DEST"], .filesystem, "A file with the data read from FD, bound on DEST writable (default mode 0600)")
        case .roBindData: spec(["FD", "DEST"], .filesystem, "A file with the data read from FD, bound on DEST read-only (default mode 0600)")
        case .bindFD: spec(["FD", "DEST"], .filesystem, "Bind-mount the directory open as FD on DEST, writable")
        case .roBindFD: spec(["FD", "DEST"], .filesystem, "Bind-mount the directory open as FD on DEST, read-only")
        case .args: spec(["FD"], .process, "Read more options from FD: NUL-separated, inserted here")
        case .infoFD: spec(["FD"], .process, "Write information about the sandbox (JSON) to FD once it runs")
        case .jsonStatusFD: spec(["FD"], .process, "Write JSON lines to FD: the sandbox's pid and namespaces, then its exit code")
        case .syncFD: spec(["FD"], .process, "Keep FD open (in the sandbox's init) until the sandbox ends")
        case .blockFD: spec(["FD"], .process, "Wait for data on FD before running the program")
        case .lockFile: spec(["DEST"], .process, "Hold a lock on DEST (inside the sandbox) while the program runs")
        case .levelPrefix: spec([], .process, "Begin error messages with their syslog priority (<3>), for journald")
        case .usernsBlockFD: spec(["FD"], .namespaces, "Wait for data on FD instead of writing the id maps: the caller writes them (needs --info-fd)")
        case .userns: spec(["FD"], .namespaces, "Join the user namespace open as FD instead of creating one (its maps decide the ids)")
        case .userns2: spec(["FD"], .namespaces, "Enter the user namespace open as FD once the sandbox is built")
        case .pidns: spec(["FD"], .namespaces, "Create the sandbox's processes in the PID namespace open as FD (a new one inside it with --unshare-pid)")
        case .disableUserns: spec([], .namespaces, "The program cannot create user namespaces (as bwrap; sbox's filter refuses them anyway)")
        case .assertUsernsDisabled: spec([], .namespaces, "Fail unless user namespaces cannot be created in the sandbox")
        case .overlaySrc: spec(["SRC"], .filesystem, "A lower layer of the next overlay (bottom to top; repeated)")
        case .overlay: spec(["RWSRC", "WORKDIR", "DEST"], .filesystem, "overlayfs on DEST over the layers; writes go to the host's RWSRC")
        case .tmpOverlay: spec(["DEST"], .filesystem, "overlayfs on DEST over the layers; writes go to an invisible tmpfs")
        case .roOverlay: spec(["DEST"], .filesystem, "overlayfs on DEST over the layers, read-only")
        case .execLabel: spec(["LABEL"], .process, "bwrap's SELinux label; refused: sbox does not support SELinux")
        case .fileLabel: spec(["LABEL"], .process, "bwrap's SELinux label; refused: sbox does not support SELinux")
        case .bind: spec(["SRC", "DEST"], .filesystem, "Bind-mount the host path SRC on DEST, writable")
        case .bindTry: spec(["SRC", "DEST"], .filesystem, "Like --bind, but skipped when SRC does not exist")
        case .roBind: spec(["SRC", "DEST"], .filesystem, "Bind-mount SRC on DEST, read-only including submounts")
        case .roBindTry: spec(["SRC", "DEST"], .filesystem, "Like --ro-bind, but skipped when SRC does not exist")
        case .devBind: spec(["SRC", "DEST"], .filesystem, "Bind-mount SRC on DEST, writable, with device access")
        case .devBindTry: spec(["SRC", "DEST"], .filesystem, "Like --dev-bind, but skipped when SRC does not exist")
        case .remountRO: spec(["DEST"], .filesystem, "Make the mount at DEST read-only (not those below it, as bwrap)")
        case .tmpfs: spec(["DEST"], .filesystem, "Mount an empty tmpfs on DEST (mode from --perms, default 0755)")
        case .proc: spec(["DEST"], .filesystem, "Mount the sandbox's own procfs on DEST")
        case .dev: spec(["DEST"], .filesystem, "Mount a minimal /dev on DEST (null, zero, full, random, urandom, tty, pts, shm)")
        case .mqueue: spec(["DEST"], .filesystem, "Mount a POSIX message-queue filesystem on DEST")
        case .dir: spec(["DEST"], .filesystem, "Create the directory DEST (mode from --perms, default 0755)")
        case .symlink: spec(["TARGET", "DEST"], .filesystem, "Create the symbolic link DEST pointing to TARGET")
        case .chmod: spec(["OCTAL", "PATH"], .filesystem, "Change the permissions of PATH inside the sandbox")
        case .perms: spec(["OCTAL"], .filesystem, "Permissions of the next --dir, --tmpfs, --file, --bind-data or --ro-bind-data")
        case .size: spec(["BYTES"], .filesystem, "Size limit of the next --tmpfs (suffixes K, M, G allowed)")
        case .uid: spec(["UID"], .identity, "User id inside the sandbox (default: your own)")
        case .gid: spec(["GID"], .identity, "Group id inside the sandbox (default: your own)")
        case .hostname: spec(["NAME"], .identity, "Host name inside the sandbox")
        case .chdir: spec(["DIR"], .identity, "Working directory inside the sandbox")
        case .setenv: spec(["VAR", "VALUE"], .identity, "Set an environment variable")
        case .unsetenv: spec(["VAR"], .identity, "Remove an environment variable")
        case .clearenv: spec([], .identity, "Start from an empty environment")
        case .argv0: spec(["VALUE"], .identity, "Pass VALUE as the program's argv[0]")
        case .dropCredentials: spec([], .identity, "Remove credential-shaped variables (tokens, keys, passwords, cloud accounts, agents, LD_PRELOAD)")
        case .keepenv: spec(["PATTERN"], .identity, "Keep the variables PATTERN names (a name, or a glob with * and ?) despite drop-credentials")
        case .shareNet: spec([], .namespaces, "Keep the host's network")
        case .sharePID: spec([], .namespaces, "Keep the host's process ids")
        case .shareIPC: spec([], .namespaces, "Keep the host's System V IPC and message queues")
        case .shareUTS: spec([], .namespaces, "Keep the host's host name")
        case .shareCgroup: spec([], .namespaces, "Keep the host's cgroup namespace")
        case .unshareAll: spec([], .namespaces, "New namespaces of every kind (the default)")
        case .unshareUser: spec([], .namespaces, "New user namespace (always)")
        case .unshareUserTry: spec([], .namespaces, "New user namespace (always)")
        case .unshareIPC: spec([], .namespaces, "New IPC namespace (the default)")
        case .unsharePID: spec([], .namespaces, "New PID namespace (the default)")
        case .unshareNet: spec([], .namespaces, "New network namespace with only loopback (the default)")
        case .unshareUTS: spec([], .namespaces, "New UTS namespace (the default)")
        case .unshareCgroup: spec([], .namespaces, "New cgroup namespace (the default)")
        case .unshareCgroupTry: spec([], .namespaces, "New cgroup namespace (the default)")
        case .asPID1: spec([], .process, "Run the program as PID 1 instead of under sbox's init")
        case .newSession: spec([], .process, "Start a new terminal session (always)")
        case .dieWithParent: spec([], .process, "Kill sbox and the sandbox when sbox's caller dies (the sandbox dies with sbox always)")
        case .timeout: spec(["DURATION"], .process, "End the whole sandbox after DURATION (seconds, or with s, m, h, d) and exit 124, as timeout(1)")
        case .rlimitNofile: spec(["N"], .process, "At most N open files (RLIMIT_NOFILE; or 'unlimited')")
        case .rlimitNproc: spec(["N"], .process, "At most N processes of the user (RLIMIT_NPROC, counted across the host)")
        case .rlimitAs: spec(["BYTES"], .process, "At most BYTES of address space per process (RLIMIT_AS; K, M, G)")
        case .rlimitCpu: spec(["DURATION"], .process, "At most DURATION of CPU time per process, then SIGXCPU (RLIMIT_CPU)")
        case .rlimitFsize: spec(["BYTES"], .process, "No file written beyond BYTES, else SIGXFSZ (RLIMIT_FSIZE; K, M, G)")
        case .rlimitCore: spec(["BYTES"], .process, "Core dumps of at most BYTES (RLIMIT_CORE; 0 for none)")
        case .capAdd: spec(["CAP"], .capabilities, "Keep capability CAP (or ALL) inside the sandbox's user namespace")
        case .capDrop: spec(["CAP"], .capabilities, "Drop capability CAP (or ALL) kept by an earlier --cap-add")
        case .syscalls: spec(["LIST"], .capabilities, "Allow these system calls or @groups (comma-separated; blanks in a profile); then only allowed ones work")
        case .syscallsDeny: spec(["LIST"], .capabilities, "Refuse these system calls or @groups, even if allowed")
        case .seccomp: spec(["FD"], .capabilities, "Also load the compiled BPF filter read from FD (as bwrap)")
        case .addSeccompFD: spec(["FD"], .capabilities, "Also load the compiled BPF filter read from FD; may be repeated (as bwrap)")
        case .unsafeNoSeccomp: spec([], .capabilities, "UNSAFE: no seccomp filter at all, not even the always-on rules (to compare, to debug)")
        case .seccompAction: spec(["ACTION"], .capabilities, "What a refused system call gets: errno (EPERM, default), enosys, kill, log")
        case .landlock: spec(["MODE"], .landlock, "required, best-effort (default; bwrap mode: off) or off: rights that mirror the mounts")
        case .landlockRead: spec(["PATH"], .landlock, "Reads and execution only beneath PATH and the other --landlock-read/-write paths")
        case .landlockWrite: spec(["PATH"], .landlock, "Writes only beneath PATH and the other --landlock-write paths")
        case .landlockConnect: spec(["PORT"], .landlock, "TCP connections only to PORT and the other --landlock-connect ports (ABI 4)")
        case .landlockBind: spec(["PORT"], .landlock, "TCP binds only to PORT and the other --landlock-bind ports (ABI 4)")
        case .verbose: spec([], .general, "Say what the sandbox is (profile, namespaces, filter) and how long it took to start")
        case .help: spec([], .general, "Show this help and exit")
        case .version: spec([], .general, "Show the version and exit")
        }
    }

    private func spec(_ arguments: [String], _ section: OptionSection, _ summary: String) -> OptionSpec {
        OptionSpec(name: self, arguments: arguments, section: section, summary: summary)
    }
}
