/// `sbox learn`: a run in a sandbox like BASE that lets through what BASE would refuse and records it,
/// then a profile that includes BASE and adds exactly what the run needed.
public enum Learning {
    /// The learning sandbox: BASE's identity, namespaces (but the network, let through), environment,
    /// capabilities and system-call policy, but the host's files read-only, with writes landing in
    /// invisible tmpfs overlays on /tmp, /var/tmp, the home and the current directory (the host is not
    /// changed), then the file system options of the command line; Landlock only for its scopes, and a
    /// filter that reports what BASE refuses, and every file access, to sbox.
    /// `rootEntries`: the names in the host's root directory, each exposed read-only (the root itself
    /// stays sbox's, so that the command line's options can add to it).
    /// `sockets`: nil while the host's services stay out of reach (their sockets hidden, or in an
    /// overlay, through which none connects); with --allow-sockets, the sockets of the places that
    /// hold them (found by the command line), each bound read-only on top.
    public static func plan(base: Plan, host: HostContext, rootEntries: [ByteString],
                            sockets: [ByteString]? = nil) -> Plan {
        var plan = base
        let origin = Origin.commandLine("sbox learn")
        var mounts: [PlannedMount] = []
        for name in rootEntries.sorted() where !["proc", "dev", ".", ".."].contains(name) {
            mounts.append(PlannedMount(.expose(ByteString.root.appending(name), mode: .readOnly, optional: true),
                                       origin: origin))
        }
        if base.namespaces.contains(.pid) { mounts.append(PlannedMount(.proc("/proc"), origin: origin)) }
        mounts.append(PlannedMount(.dev("/dev"), origin: origin))
        for directory in writableDirectories(host) {
            mounts.append(PlannedMount(.overlay(layers: [directory], path: directory, writes: .temporary),
                                       origin: origin))
        }
        if let sockets {
            for socket in sockets {
                mounts.append(PlannedMount(.bind(source: socket, destination: socket, mode: .readOnly, optional: true),
                                           origin: origin))
            }
        } else {
            // The host's services stay out of reach: their sockets (system and session buses, the X
            // server, a container engine) would let the run change the host.
            for path in serviceDirectories(host) { mounts.append(PlannedMount(.hide(path), origin: origin)) }
        }
        // What the command line asked for, as asked; sbox's own files stay hidden.
        mounts += base.mounts.filter { if case .commandLine = $0.origin { return true } else { return false } }
        plan.mounts = mounts
        // The network let through, unless the proxy is the way out: then what it reached is learned.
        if !base.egress.isActive { plan.namespaces.remove(.net) }
        // Landlock only scopes (ABI 6): no abstract unix socket or signal outside the sandbox.
        plan.landlock = LandlockPolicy()
        plan.landlock.mirrorsMounts = false
        plan.learning = true
        plan.withoutSeccomp = false
        return plan
    }

    /// Where the host's services listen, hidden while learning.
    public static func serviceDirectories(_ host: HostContext) -> [ByteString] {
        ["/run", "/var/run", "/tmp/.X11-unix", ProfileVariables(host: host).value(of: "XDG_RUNTIME_DIR")?.normalized]
            .compactMap { $0 }
    }

    /// Where the learning run's writes succeed, into invisible overlays: /tmp, /var/tmp, the home and
    /// the current directory.
    public static func writableDirectories(_ host: HostContext) -> [ByteString] {
        var directories: [ByteString] = []
        for directory in ["/tmp", "/var/tmp", home(host), host.currentDirectory.normalized] {
            guard let directory, directory != "/", !directories.contains(directory) else { continue }
            directories.append(directory)
        }
        return directories
    }

    static func home(_ host: HostContext) -> ByteString? {
        guard let home = host.home?.normalized, home.isAbsolute, home != ByteString.root else { return nil }
        return home
    }
}

/// What a learning run did.
public struct LearningRecord: Equatable, Sendable {
    /// System calls BASE would refuse, by name.
    public var syscalls: Set<String> = []
    /// Files and directories opened, executed or changed, as paths inside the sandbox, in order.
    public var accesses: [FileAccessRecord] = []
    /// An internet socket (IPv4 or IPv6) was created.
    public var network = false
    /// System calls in no group (mount, ptrace, bpf...) that the run tried: refused, never learned.
    public var refused: Set<String> = []
    /// Whether the run let the program reach the host's unix sockets (--allow-sockets).
    public var socketsAllowed = false
    /// Where the program went through the egress proxy (learned with --allow-host).
    public var reachedHosts: [Destination] = []
    public init() {}
}

public struct FileAccessRecord: Equatable, Hashable, Sendable {
    /// `connect`: a unix socket the program tried to connect to, by path.
    public enum Kind: String, Sendable { case read, execute, write, connect }
    public var path: ByteString
    public var kind: Kind
    public init(_ path: ByteString, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }
}
