/// `sbox learn`: a run in a sandbox like BASE that lets through what BASE would refuse and records it,
/// then a profile that includes BASE and adds exactly what the run needed.
public enum Learning {
    /// The learning sandbox: BASE's identity, namespaces (but the network, let through), environment,
    /// capabilities and system-call policy, but the host's files read-only, with writes landing in
    /// invisible tmpfs overlays on /tmp, the home and the current directory (the host is not changed),
    /// then the file system options of the command line; Landlock only for its scopes, and a filter
    /// that reports what BASE refuses, and every file access, to sbox.
    /// `rootEntries`: the names in the host's root directory, each exposed read-only (the root itself
    /// stays sbox's, so that the command line's options can add to it).
    public static func plan(base: Plan, host: HostContext, rootEntries: [ByteString]) -> Plan {
        var plan = base
        let origin = Origin.commandLine("sbox learn")
        var mounts: [PlannedMount] = []
        for name in rootEntries.sorted() where !["proc", "dev", ".", ".."].contains(name) {
            mounts.append(PlannedMount(.expose(ByteString.root.appending(name), mode: .readOnly, optional: true), origin: origin))
        }
        if base.namespaces.contains(.pid) { mounts.append(PlannedMount(.proc("/proc"), origin: origin)) }
        mounts.append(PlannedMount(.dev("/dev"), origin: origin))
        for directory in writableDirectories(host) {
            mounts.append(PlannedMount(.overlay(layers: [directory], path: directory, writes: .temporary), origin: origin))
        }
        // The host's services stay out of reach: their sockets (system and session buses, the X
        // server, a container engine) would let the run change the host. A socket the program
        // connects to is still learned.
        for path in ["/run", "/var/run", "/tmp/.X11-unix", ProfileVariables(host: host).value(of: "XDG_RUNTIME_DIR")].compactMap({ $0 }) {
            mounts.append(PlannedMount(.hide(path.normalized), origin: origin))
        }
        // What the command line asked for, as asked; sbox's own files stay hidden.
        mounts += base.mounts.filter { if case .commandLine = $0.origin { return true } else { return false } }
        plan.mounts = mounts
        plan.namespaces.remove(.net)
        // Landlock only scopes (ABI 6): no abstract unix socket or signal outside the sandbox.
        plan.landlock = LandlockPolicy()
        plan.landlock.mirrorsMounts = false
        plan.learning = true
        plan.withoutSeccomp = false
        return plan
    }

    /// Where the learning run's writes succeed, into invisible overlays: /tmp, the home and the
    /// current directory.
    public static func writableDirectories(_ host: HostContext) -> [ByteString] {
        var directories: [ByteString] = []
        for directory in ["/tmp", home(host), host.currentDirectory.normalized] {
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
    public init() {}
}

public struct FileAccessRecord: Equatable, Hashable, Sendable {
    /// `connect`: a unix socket the program connected to, by path.
    public enum Kind: String, Sendable { case read, execute, write, connect }
    public var path: ByteString
    public var kind: Kind
    public init(_ path: ByteString, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

/// The learned profile's text.
public enum LearnedProfile {
    /// What the host has: used to tell a file the program read from one it only probed for, and to
    /// find the real directory behind a symlink.
    public struct Host {
        public var exists: (ByteString) -> Bool
        public var canonical: (ByteString) -> ByteString?
        public init(exists: @escaping (ByteString) -> Bool, canonical: @escaping (ByteString) -> ByteString?) {
            self.exists = exists
            self.canonical = canonical
        }
    }

    /// `options`: the command line's, --profile ones included (they become the `include` lines).
    public static func text(base: Plan, options: [ParsedOption], record: LearningRecord, context: HostContext, host: Host) -> String {
        let home = Learning.home(context)
        let runtime = ProfileVariables(host: context).value(of: "XDG_RUNTIME_DIR")?.normalized
        let directory = context.currentDirectory.normalized
        var rules: [(path: ByteString, writable: Bool)] = []
        var currentDirectory: (read: Bool, write: Bool) = (false, false)
        var notLearned: [String] = []
        // What BASE lacks of the sandbox's own file systems: the directive, not the host's files.
        var ownFileSystems: [String] = []

        func add(_ path: ByteString, writable: Bool, exactly: Bool = false) {
            // A socket is exposed alone: its directory (a runtime directory) holds others.
            let folded = exactly ? path : fold(path, home: home)
            if let index = rules.firstIndex(where: { $0.path == folded }) {
                rules[index].writable = rules[index].writable || writable
            } else {
                rules.append((folded, writable))
            }
        }
        let writable = Learning.writableDirectories(context)
        var seen = Set<FileAccessRecord>()
        var created = Set<ByteString>()
        for access in record.accesses where seen.insert(access).inserted {
            let path = access.path, writes = access.kind == .write
            if writes && !host.exists(path) { created.insert(path) }
            // What the program made itself, it may read again.
            if !writes && created.contains(path) { continue }
            switch base.provider(of: path) {
            case .sandbox: continue
            case .host(let writable):
                if !writes || writable { continue }
            case .hidden:
                // A private tmpfs (the home, /tmp): writes work there; a host file read there is hidden.
                if writes || !host.exists(path) { continue }
            case .nothing:
                let own: [(ByteString, String)] = [("/proc", "proc /proc"), ("/dev", "dev /dev"), ("/tmp", "tmpfs /tmp")]
                if let directive = own.first(where: { path.isWithin($0.0) })?.1 {
                    if !ownFileSystems.contains(directive) { ownFileSystems.append(directive) }
                    continue
                }
                if !writes && !host.exists(path) { continue }
            }
            // The run wrote only into its overlays; elsewhere the host was read-only to it and the
            // write failed: no write is learned from an attempt that did not happen.
            if writes && !writable.contains(where: { path.isWithin($0) }) {
                notLearned.append(ProfileWriter.comment("not learned: a write the run could not make (add rw-try if the program needs it):", path))
                continue
            }
            if directory != ByteString.root && path.isWithin(directory) && home.map({ !$0.isWithin(directory) }) ?? true {
                if writes { currentDirectory.write = true } else { currentDirectory.read = true }
                continue
            }
            var target = path
            if writes && !host.exists(path) {
                // A new file: its directory, the nearest that exists.
                while !host.exists(target) && target != ByteString.root { target = target.parent }
            }
            guard target != ByteString.root else {
                notLearned.append(ProfileWriter.comment("not learned: only the root holds what was used:", path))
                continue
            }
            add(target, writable: writes, exactly: access.kind == .connect)
            if let real = host.canonical(target), real != target { add(real, writable: writes, exactly: access.kind == .connect) }
        }
        // A directory already in the profile covers what is beneath it.
        rules = rules.filter { rule in
            !rules.contains { other in rule.path.isStrictlyBeneath(other.path) && (other.writable || !rule.writable) }
        }

        var lines = [ProfileWriter.comment("description: learned by sbox learn"),
                     "# Written by `sbox learn` from one run. It holds what that run needed: other inputs,",
                     "# options or errors may take code paths the run did not, and need more."]
        let profiles = options.filter { $0.name == .profile }.map { $0.arguments[0] }
        for profile in profiles.isEmpty ? ["default"] : profiles where profile != "none" { lines.append(ProfileWriter.line(.include, profile)) }
        for option in options where option.name != .profile {
            lines.append(ProfileWriter.line(option.name, option.arguments.map { [.bytes($0)] }))
        }
        lines += ownFileSystems
        if record.network && base.namespaces.contains(.net) { lines.append("share-net") }
        if currentDirectory.write { lines.append("rw-cwd") } else if currentDirectory.read { lines.append("ro-cwd") }
        for rule in rules {
            var pieces: [ProfileWriter.Piece] = [.bytes(rule.path)]
            // The same user elsewhere: the runtime directory and the home as variables.
            for (variable, value) in [("XDG_RUNTIME_DIR", runtime), ("HOME", home)] {
                guard let value, rule.path.isWithin(value) else { continue }
                pieces = [.variable(variable), .bytes(rule.path.dropFirst(value.count))]
                break
            }
            lines.append(ProfileWriter.line(rule.writable ? .rwTry : .roTry, [pieces]))
        }
        let syscalls = syscallEntries(record.syscalls.subtracting(record.refused), base: base)
        if !syscalls.isEmpty { lines.append("syscalls " + syscalls.joined(separator: " ")) }
        for name in record.refused.sorted() {
            notLearned.append("# not learned: \(name): in no group, refused while learning; name it in a syscalls line if the program needs it")
        }
        lines += notLearned
        return lines.joined(separator: "\n") + "\n"
    }

    /// Sensible directories: the first level of the home (two under .config, .cache and .local, three
    /// under .local/share and .local/state), the first two levels elsewhere.
    static func fold(_ path: ByteString, home: ByteString?) -> ByteString {
        let slash = UInt8(ascii: "/")
        if let home, path.isStrictlyBeneath(home) {
            let parts = path.dropFirst(home.count + 1).split(separator: slash).filter { !$0.isEmpty }
            var keep = 1
            if parts.first == ".config" || parts.first == ".cache" || parts.first == ".local" { keep = 2 }
            if parts.first == ".local" && parts.count > 1 && (parts[1] == "share" || parts[1] == "state") { keep = 3 }
            return parts.prefix(keep).reduce(home) { $0.appending($1) }
        }
        let parts = path.split(separator: slash).filter { !$0.isEmpty }
        return parts.prefix(2).reduce(ByteString.root) { $0.appending($1) }
    }

    /// What BASE refused, as groups where the run used a whole group (beyond what BASE allows).
    static func syscallEntries(_ used: Set<String>, base: Plan) -> [String] {
        var remaining = used
        let allowed = Set(base.allowedSyscalls ?? [])
        var entries: [String] = []
        for group in SyscallGroups.names where group != "@system-service" && group != "@default" {
            let members = Set(SyscallGroups.expand(group) ?? []).subtracting(allowed)
            guard members.count > 1, members.isSubset(of: used) else { continue }
            entries.append(group)
            remaining.subtract(members)
        }
        return entries + remaining.sorted()
    }
}
