/// The one table that drives the command-line parser, `--help` and (later) the profile
/// parser, the man pages and shell completion. A profile line is an option without its dashes.
public enum OptionName: String, CaseIterable, Sendable {
    // Filesystem, applied in the order given (bwrap's semantics).
    case bind, bindTry = "bind-try", roBind = "ro-bind", roBindTry = "ro-bind-try"
    case devBind = "dev-bind", devBindTry = "dev-bind-try", remountRO = "remount-ro"
    case tmpfs, proc, dev, mqueue, dir, symlink, chmod, perms, size
    // Identity and environment.
    case uid, gid, hostname, chdir, setenv, unsetenv, clearenv, argv0
    // Namespaces.
    case shareNet = "share-net", sharePID = "share-pid", shareIPC = "share-ipc"
    case shareUTS = "share-uts", shareCgroup = "share-cgroup"
    case unshareAll = "unshare-all", unshareUser = "unshare-user", unshareUserTry = "unshare-user-try"
    case unshareIPC = "unshare-ipc", unsharePID = "unshare-pid", unshareNet = "unshare-net"
    case unshareUTS = "unshare-uts", unshareCgroup = "unshare-cgroup", unshareCgroupTry = "unshare-cgroup-try"
    // Process.
    case asPID1 = "as-pid-1", newSession = "new-session", dieWithParent = "die-with-parent"
    // Capabilities.
    case capAdd = "cap-add", capDrop = "cap-drop"
    // Informational: handled by the command line before anything else.
    case help, version
}

public enum OptionSection: String, CaseIterable, Sendable {
    case filesystem = "Filesystem (applied in the order given)"
    case identity = "Identity and environment"
    case namespaces = "Namespaces (all new unless shared)"
    case process = "Process"
    case capabilities = "Capabilities"
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
    public static let all: [OptionSpec] = [
        spec(.bind, ["SRC", "DEST"], .filesystem, "Bind-mount the host path SRC on DEST, writable"),
        spec(.bindTry, ["SRC", "DEST"], .filesystem, "Like --bind, but skipped when SRC does not exist"),
        spec(.roBind, ["SRC", "DEST"], .filesystem, "Bind-mount SRC on DEST, read-only including submounts"),
        spec(.roBindTry, ["SRC", "DEST"], .filesystem, "Like --ro-bind, but skipped when SRC does not exist"),
        spec(.devBind, ["SRC", "DEST"], .filesystem, "Bind-mount SRC on DEST, writable, with device access"),
        spec(.devBindTry, ["SRC", "DEST"], .filesystem, "Like --dev-bind, but skipped when SRC does not exist"),
        spec(.remountRO, ["DEST"], .filesystem, "Make the mount at DEST read-only (not those below it, as bwrap)"),
        spec(.tmpfs, ["DEST"], .filesystem, "Mount an empty tmpfs on DEST (mode from --perms, default 0755)"),
        spec(.proc, ["DEST"], .filesystem, "Mount the sandbox's own procfs on DEST"),
        spec(.dev, ["DEST"], .filesystem, "Mount a minimal /dev on DEST (null, zero, full, random, urandom, tty, pts, shm)"),
        spec(.mqueue, ["DEST"], .filesystem, "Mount a POSIX message-queue filesystem on DEST"),
        spec(.dir, ["DEST"], .filesystem, "Create the directory DEST (mode from --perms, default 0755)"),
        spec(.symlink, ["TARGET", "DEST"], .filesystem, "Create the symbolic link DEST pointing to TARGET"),
        spec(.chmod, ["OCTAL", "PATH"], .filesystem, "Change the permissions of PATH inside the sandbox"),
        spec(.perms, ["OCTAL"], .filesystem, "Permissions of the next --dir or --tmpfs"),
        spec(.size, ["BYTES"], .filesystem, "Size limit of the next --tmpfs (suffixes K, M, G allowed)"),
        spec(.uid, ["UID"], .identity, "User id inside the sandbox (default: your own)"),
        spec(.gid, ["GID"], .identity, "Group id inside the sandbox (default: your own)"),
        spec(.hostname, ["NAME"], .identity, "Host name inside the sandbox"),
        spec(.chdir, ["DIR"], .identity, "Working directory inside the sandbox"),
        spec(.setenv, ["VAR", "VALUE"], .identity, "Set an environment variable"),
        spec(.unsetenv, ["VAR"], .identity, "Remove an environment variable"),
        spec(.clearenv, [], .identity, "Start from an empty environment"),
        spec(.argv0, ["VALUE"], .identity, "Pass VALUE as the program's argv[0]"),
        spec(.shareNet, [], .namespaces, "Keep the host's network"),
        spec(.sharePID, [], .namespaces, "Keep the host's process ids"),
        spec(.shareIPC, [], .namespaces, "Keep the host's System V IPC and message queues"),
        spec(.shareUTS, [], .namespaces, "Keep the host's host name"),
        spec(.shareCgroup, [], .namespaces, "Keep the host's cgroup namespace"),
        spec(.unshareAll, [], .namespaces, "New namespaces of every kind (the default)"),
        spec(.unshareUser, [], .namespaces, "New user namespace (always)"),
        spec(.unshareUserTry, [], .namespaces, "New user namespace (always)"),
        spec(.unshareIPC, [], .namespaces, "New IPC namespace (the default)"),
        spec(.unsharePID, [], .namespaces, "New PID namespace (the default)"),
        spec(.unshareNet, [], .namespaces, "New network namespace with only loopback (the default)"),
        spec(.unshareUTS, [], .namespaces, "New UTS namespace (the default)"),
        spec(.unshareCgroup, [], .namespaces, "New cgroup namespace (the default)"),
        spec(.unshareCgroupTry, [], .namespaces, "New cgroup namespace (the default)"),
        spec(.asPID1, [], .process, "Run the program as PID 1 instead of under sbox's init"),
        spec(.newSession, [], .process, "Start a new terminal session (always)"),
        spec(.dieWithParent, [], .process, "Kill the sandbox when sbox dies (always)"),
        spec(.capAdd, ["CAP"], .capabilities, "Keep capability CAP (or ALL) inside the sandbox's user namespace"),
        spec(.capDrop, ["CAP"], .capabilities, "Drop capability CAP (or ALL) kept by an earlier --cap-add"),
        spec(.help, [], .general, "Show this help and exit"),
        spec(.version, [], .general, "Show the version and exit"),
    ]

    private static let byName: [String: OptionSpec] = Dictionary(uniqueKeysWithValues: all.map { ($0.name.rawValue, $0) })

    public static func spec(named name: String) -> OptionSpec? { byName[name] }
    public static func spec(_ name: OptionName) -> OptionSpec { byName[name.rawValue]! }

    private static func spec(_ name: OptionName, _ arguments: [String], _ section: OptionSection, _ summary: String) -> OptionSpec {
        OptionSpec(name: name, arguments: arguments, section: section, summary: summary)
    }
}
