/// Landlock: a second wall, enforced by the kernel on paths rather than on the mount table. sbox adds
/// one layer that mirrors the file-system plan (what is read-only gets read rights, what is writable
/// write rights, the rest nothing) and, when --landlock-read/-write/-connect/-bind are given, a second
/// layer that restricts further. The kernel applies both: an access must pass each layer.
public struct LandlockPolicy: Equatable, Sendable {
    public enum Mode: String, CaseIterable, Equatable, Sendable {
        /// Every rule sbox would add must be enforced, or sbox exits 125. (--landlock-read, -write,
        /// -connect and -bind always must: best effort is for the mirror of the mounts.)
        case required
        /// What the kernel supports is enforced; `explain` and --verbose say what was dropped.
        case bestEffort = "best-effort"
        case off
    }

    public var mode: Mode = .bestEffort
    /// The first layer mirrors the mounts (Plan.landlockMirror); without it (sbox learn), it only scopes.
    public var mirrorsMounts = true
    /// --landlock-read/--landlock-write: reads (and execution), or writes, only beneath these.
    public var readPaths: [LandlockPath] = []
    public var writePaths: [LandlockPath] = []
    /// --landlock-connect/--landlock-bind: TCP connections, or binds, only to these ports.
    public var connectPorts: [UInt16] = []
    public var bindPorts: [UInt16] = []

    public init() {}

    public var restricts: Bool {
        !readPaths.isEmpty || !writePaths.isEmpty || !connectPorts.isEmpty || !bindPorts.isEmpty
    }
}

/// A path inside the sandbox given to --landlock-read or --landlock-write, with where it came from.
public struct LandlockPath: Equatable, Sendable {
    public var path: ByteString
    public var origin: Origin
    public init(_ path: ByteString, origin: Origin) {
        self.path = path
        self.origin = origin
    }
}

/// What the mirror grants beneath one path.
public struct LandlockRule: Equatable, Sendable {
    public enum Access: String, Equatable, Sendable {
        /// Directories can be listed, nothing else: the sandbox's read-only root, whose only
        /// contents are the mount points and directories sbox made.
        case list
        /// Read, list and execute.
        case read
        /// Everything, writes included.
        case write
        /// sbox's minimal /dev: everything, and its device files stay usable under --landlock-write.
        case devices

        /// The device files of sbox's /dev (its nodes, the terminals' multiplexer, the console).
        public static let deviceFiles: [ByteString] = MountStep.deviceNodes + ["ptmx", "console"]
    }

    public var path: ByteString
    public var access: Access
    public init(_ path: ByteString, _ access: Access) {
        self.path = path
        self.access = access
    }
}

/// Landlock's access rights (the kernel's LANDLOCK_ACCESS_FS_* bits) and the ABI that brought each.
public struct LandlockRights: OptionSet, Equatable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let execute = LandlockRights(rawValue: 1 << 0)
    public static let writeFile = LandlockRights(rawValue: 1 << 1)
    public static let readFile = LandlockRights(rawValue: 1 << 2)
    public static let readDirectory = LandlockRights(rawValue: 1 << 3)
    /// Removing, making directories, files, sockets, FIFOs, devices, symlinks (ABI 1).
    public static let changeDirectory = LandlockRights(rawValue: 0x1ff0)
    /// Linking or renaming a file into another directory (ABI 2). Without it, ABI 1 refuses those always.
    public static let refer = LandlockRights(rawValue: 1 << 13)
    /// truncate(2) and O_TRUNC (ABI 3).
    public static let truncate = LandlockRights(rawValue: 1 << 14)
    /// ioctl(2) on device files (ABI 5).
    public static let deviceIoctl = LandlockRights(rawValue: 1 << 15)

    public static let read: LandlockRights = [.execute, .readFile, .readDirectory]
    public static let write: LandlockRights = [.writeFile, .changeDirectory, .refer, .truncate, .deviceIoctl]
    /// The rights a rule on a file (not a directory) may carry.
    public static let onFiles: LandlockRights = [.execute, .writeFile, .readFile, .truncate, .deviceIoctl]

    /// The rights the kernel of `abi` knows.
    public static func known(abi: Int) -> LandlockRights {
        guard abi >= 1 else { return [] }
        var rights: LandlockRights = [.read, .writeFile, .changeDirectory]
        if abi >= 2 { rights.insert(.refer) }
        if abi >= 3 { rights.insert(.truncate) }
        if abi >= 5 { rights.insert(.deviceIoctl) }
        return rights
    }

    public static func granted(by access: LandlockRule.Access) -> LandlockRights {
        switch access {
        case .list: return .readDirectory
        case .read: return .read
        case .write, .devices: return [.read, .write]
        }
    }
}

/// The kernel's network rights (LANDLOCK_ACCESS_NET_*, ABI 4) and scopes (LANDLOCK_SCOPE_*, ABI 6).
public enum LandlockNetwork {
    public static let bindTCP: UInt64 = 1 << 0
    public static let connectTCP: UInt64 = 1 << 1
}

public enum LandlockScope {
    public static let abstractUnixSocket: UInt64 = 1 << 0
    public static let signal: UInt64 = 1 << 1
}

/// What one kernel makes of a policy: the rights each layer handles, and what had to be dropped.
public struct LandlockEnforcement: Equatable, Sendable {
    public var abi: Int
    public var fileSystem: LandlockRights
    public var scopes: UInt64
    /// The restricting layer's handled rights: file system and network.
    public var restrictedFileSystem: LandlockRights
    public var restrictedNetwork: UInt64

    /// nil when Landlock is off, or when the kernel has none and the mode allows that.
    public static func of(_ policy: LandlockPolicy, abi: Int) throws(UsageError) -> LandlockEnforcement? {
        guard policy.mode != .off else { return nil }
        let known = LandlockRights.known(abi: abi)
        let (dropped, asked) = Self.dropped(policy, abi: abi)
        // What the user asked for by name is enforced or nothing runs; best effort is for the mirror.
        if policy.mode == .required && !dropped.isEmpty || !asked.isEmpty {
            let option = policy.mode == .required ? "--landlock required"
                                                  : "--landlock-read, -write, -connect and -bind"
            guard abi >= 1 else {
                throw UsageError("\(option): this kernel has no Landlock "
                                 + "(not built in, or not enabled in the lsm= boot parameter)")
            }
            throw UsageError("\(option): this kernel has Landlock ABI \(abi), which cannot enforce "
                + (policy.mode == .required ? dropped : asked).joined(separator: ", "))
        }
        guard abi >= (policy.mirrorsMounts ? 2 : 1) else { return nil }
        var restricted: LandlockRights = []
        if !policy.readPaths.isEmpty { restricted.formUnion(.read) }
        if !policy.writePaths.isEmpty { restricted.formUnion(.write) }
        var network: UInt64 = 0
        if abi >= 4 {
            if !policy.connectPorts.isEmpty { network |= LandlockNetwork.connectTCP }
            if !policy.bindPorts.isEmpty { network |= LandlockNetwork.bindTCP }
        }
        // A layer that does not handle REFER refuses every rename and link between directories: the
        // restricting layer handles it always, and grants it wherever it does not restrict writes.
        if !restricted.isEmpty { restricted.insert(.refer) }
        return LandlockEnforcement(abi: abi, fileSystem: policy.mirrorsMounts ? known : [],
                                   scopes: abi >= 6 ? LandlockScope.abstractUnixSocket | LandlockScope.signal : 0,
                                   restrictedFileSystem: restricted.intersection(known), restrictedNetwork: network)
    }

    /// What the kernel of `abi` cannot enforce of `policy`, each with the ABI that brought it; and of
    /// that, what the user asked for by name (--landlock-read, -write, -connect, -bind).
    public static func dropped(_ policy: LandlockPolicy, abi: Int) -> (all: [String], asked: [String]) {
        guard policy.mode != .off else { return ([], []) }
        let ports = !(policy.connectPorts.isEmpty && policy.bindPorts.isEmpty)
        if abi < 1 {
            return (["everything (this kernel has no Landlock, or it is disabled)"],
                    policy.restricts ? ["everything"] : [])
        }
        if abi == 1 && (policy.mirrorsMounts || policy.restricts) {
            // ABI 1 refuses every rename and link between directories, in any sandbox that uses it.
            let all = "everything (ABI 1 would refuse renaming or linking files between directories; ABI 2 is needed)"
            return ([all], policy.restricts ? [all] : [])
        }
        var all: [String] = [], asked: [String] = []
        if abi < 3 { all.append("truncation rights (ABI 3)") }
        if abi < 4 && ports {
            all.append("--landlock-connect and --landlock-bind (ABI 4)")
            asked.append("--landlock-connect and --landlock-bind (ABI 4)")
        }
        if abi < 5 { all.append("device ioctl rights (ABI 5)") }
        if abi < 6 { all.append("scoping of abstract unix sockets and signals (ABI 6)") }
        return (all, asked)
    }

    /// The rights the restricting layer grants beneath a --landlock-read or --landlock-write path.
    public func restrictedRights(writable: Bool) -> LandlockRights {
        (writable ? LandlockRights.read.union(.write) : .read).intersection(restrictedFileSystem)
    }

    public var hasRestrictingLayer: Bool { !restrictedFileSystem.isEmpty || restrictedNetwork != 0 }
}

extension LandlockPolicy {
    /// The mirror of `mounts`: for each path, what its last step makes of it. A later step on a path
    /// replaces what earlier ones said of it and of everything beneath (a tmpfs covers earlier binds).
    public static func mirror(of mounts: [BuiltMount], readOnlyRoot: Bool) -> [LandlockRule] {
        var rules = [LandlockRule("/", readOnlyRoot ? .list : .write)]
        func set(_ path: ByteString, _ access: LandlockRule.Access?) {
            rules.removeAll { $0.path.isWithin(path) }
            if let access { rules.append(LandlockRule(path, access)) }
        }
        for mount in mounts {
            switch mount.step {
            case .hide(let path): set(path, nil)
            case .remountReadOnly(let path):
                if let index = rules.firstIndex(where: { $0.path == path }), rules[index].access == .write {
                    rules[index].access = .read
                }
            default:
                if let (path, access) = access(of: mount.step) { set(path, access) }
            }
        }
        return rules
    }

    /// What a step that mounts or creates something grants beneath its path (nil for the others).
    public static func access(of step: BuildStep) -> (ByteString, LandlockRule.Access)? {
        switch step {
        case .bind(_, let destination, let mode): return (destination, mode == .readOnly ? .read : .write)
        case .tmpfs(let path, _, _), .proc(let path), .mqueue(let path): return (path, .write)
        case .dev(let path): return (path, .devices)
        case .overlay(_, let path, let writes): return (path, writes == .refused ? .read : .write)
        case .data(_, let path, _, let bind): return (path, bind == .readWrite ? .write : .read)
        case .hide, .remountReadOnly, .directory, .symlink, .chmod: return nil
        }
    }
}
