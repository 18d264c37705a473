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
    public static func plan(base: Plan, host: HostContext, rootEntries: [String]) -> Plan {
        var plan = base
        let origin = Origin.commandLine("sbox learn")
        var mounts: [PlannedMount] = []
        for name in rootEntries.sorted() where !["proc", "dev", ".", ".."].contains(name) {
            mounts.append(PlannedMount(.expose("/" + name, mode: .readOnly, optional: true), origin: origin))
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
            mounts.append(PlannedMount(.hide(PlanCompiler.normalize(path)), origin: origin))
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
    public static func writableDirectories(_ host: HostContext) -> [String] {
        var directories: [String] = []
        for directory in ["/tmp", home(host), PlanCompiler.normalize(host.currentDirectory)] {
            guard let directory, directory != "/", !directories.contains(directory) else { continue }
            directories.append(directory)
        }
        return directories
    }

    static func home(_ host: HostContext) -> String? {
        guard let home = host.home, home.hasPrefix("/"), home != "/" else { return nil }
        return PlanCompiler.normalize(home)
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
    public var path: String
    public var kind: Kind
    public init(_ path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

/// The learned profile's text.
public enum LearnedProfile {
    /// What the host has: used to tell a file the program read from one it only probed for, and to
    /// find the real directory behind a symlink.
    public struct Host {
        public var exists: (String) -> Bool
        public var canonical: (String) -> String?
        public init(exists: @escaping (String) -> Bool, canonical: @escaping (String) -> String?) {
            self.exists = exists
            self.canonical = canonical
        }
    }

    /// `options`: the command line's, --profile ones included (they become the `include` lines).
    public static func text(base: Plan, options: [ParsedOption], record: LearningRecord, context: HostContext, host: Host) -> String {
        let home = Learning.home(context)
        let runtime = ProfileVariables(host: context).value(of: "XDG_RUNTIME_DIR").map(PlanCompiler.normalize)
        let directory = PlanCompiler.normalize(context.currentDirectory)
        var rules: [(path: String, writable: Bool)] = []
        var currentDirectory: (read: Bool, write: Bool) = (false, false)
        var notLearned: [String] = []
        // What BASE lacks of the sandbox's own file systems: the directive, not the host's files.
        var ownFileSystems: [String] = []

        func add(_ path: String, writable: Bool, exactly: Bool = false) {
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
        var created = Set<String>()
        for access in record.accesses where seen.insert(access).inserted {
            let path = access.path, writes = access.kind == .write
            if writes && !host.exists(path) { created.insert(path) }
            // What the program made itself, it may read again.
            if !writes && created.contains(path) { continue }
            switch provider(of: path, in: base) {
            case .sandbox: continue
            case .host(let writable):
                if !writes || writable { continue }
            case .hidden:
                // A private tmpfs (the home, /tmp): writes work there; a host file read there is hidden.
                if writes || !host.exists(path) { continue }
            case .nothing:
                if let directive = [("/proc", "proc /proc"), ("/dev", "dev /dev"), ("/tmp", "tmpfs /tmp")]
                    .first(where: { path == $0.0 || path.hasPrefix($0.0 + "/") })?.1 {
                    if !ownFileSystems.contains(directive) { ownFileSystems.append(directive) }
                    continue
                }
                if !writes && !host.exists(path) { continue }
            }
            // The run wrote only into its overlays; elsewhere the host was read-only to it and the
            // write failed: no write is learned from an attempt that did not happen.
            if writes && !writable.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
                notLearned.append("write \(path): the run could not write there; add rw-try for it if the program needs it")
                continue
            }
            if directory != "/" && (path == directory || path.hasPrefix(directory + "/")) && home.map({ !$0.hasPrefix(directory + "/") && $0 != directory }) ?? true {
                if writes { currentDirectory.write = true } else { currentDirectory.read = true }
                continue
            }
            var target = path
            if writes && !host.exists(path) {
                // A new file: its directory, the nearest that exists.
                while !host.exists(target) && target != "/" { target = PlanCompiler.parent(of: target) }
            }
            guard target != "/" else {
                notLearned.append("\(access.kind.rawValue) \(path): only the root holds it")
                continue
            }
            add(target, writable: writes, exactly: access.kind == .connect)
            if let real = host.canonical(target), real != target { add(real, writable: writes, exactly: access.kind == .connect) }
        }
        // A directory already in the profile covers what is beneath it.
        rules = rules.filter { rule in
            !rules.contains { other in other.path != rule.path && rule.path.hasPrefix(other.path + "/") && (other.writable || !rule.writable) }
        }

        var lines = ["# description: learned by sbox learn from: " + oneLine(base.command),
                     "# Written by `sbox learn` from one run. It holds what that run needed: other inputs,",
                     "# options or errors may take code paths the run did not, and need more."]
        let profiles = options.filter { $0.name == .profile }.map { $0.arguments[0] }
        for profile in profiles.isEmpty ? ["default"] : profiles where profile != "none" { lines.append("include " + quoted(profile)) }
        for option in options where option.name != .profile {
            lines.append(([option.name.rawValue] + option.arguments.map(quoted)).joined(separator: " "))
        }
        lines += ownFileSystems
        if record.network && base.namespaces.contains(.net) { lines.append("share-net") }
        if currentDirectory.write { lines.append("rw-cwd") } else if currentDirectory.read { lines.append("ro-cwd") }
        for rule in rules {
            // A path with a $ would read as a variable.
            guard !rule.path.contains("$") else {
                notLearned.append("\(rule.writable ? "rw" : "ro") \(rule.path): it has a $, which a profile reads as a variable")
                continue
            }
            var path = quoted(rule.path)
            // The same user elsewhere: the runtime directory and the home as variables.
            for (variable, value) in [("XDG_RUNTIME_DIR", runtime), ("HOME", home)] {
                guard let value, rule.path == value || rule.path.hasPrefix(value + "/") else { continue }
                path = quoted("${\(variable)}" + rule.path.dropFirst(value.count))
                break
            }
            lines.append((rule.writable ? "rw-try " : "ro-try ") + path)
        }
        let syscalls = syscallEntries(record.syscalls.subtracting(record.refused), base: base)
        if !syscalls.isEmpty { lines.append("syscalls " + syscalls.joined(separator: " ")) }
        for name in record.refused.sorted() {
            notLearned.append("\(name): in no group, refused while learning; name it in a syscalls line if the program needs it")
        }
        for line in notLearned { lines.append("# not learned: " + line) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Where BASE's view of `path` comes from: its last mount step that covers it.
    enum Provider: Equatable { case host(writable: Bool), hidden, sandbox, nothing }

    static func provider(of path: String, in plan: Plan) -> Provider {
        for mount in plan.mounts.reversed() {
            func covers(_ mountPoint: String) -> Bool { mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/") }
            switch mount.step {
            case .bind(let source, let destination, let mode, _) where covers(destination):
                return source == destination ? .host(writable: mode != .readOnly) : .sandbox
            case .expose(let exposed, let mode, _) where covers(exposed): return .host(writable: mode != .readOnly)
            case .tmpfs(let mountPoint, _, _) where covers(mountPoint): return .hidden
            case .hide(let hidden) where covers(hidden): return .sandbox
            case .proc(let mountPoint) where covers(mountPoint), .dev(let mountPoint) where covers(mountPoint),
                 .mqueue(let mountPoint) where covers(mountPoint):
                return .sandbox
            case .overlay(_, let mountPoint, _) where covers(mountPoint), .data(_, let mountPoint, _, _) where covers(mountPoint):
                return .sandbox
            default: continue
            }
        }
        return .nothing
    }

    /// Sensible directories: the first level of the home (two under .config, .cache and .local, three
    /// under .local/share and .local/state), the first two levels elsewhere.
    static func fold(_ path: String, home: String?) -> String {
        if let home, path.hasPrefix(home + "/") {
            let parts = path.dropFirst(home.count + 1).split(separator: "/")
            var keep = 1
            if parts.first == ".config" || parts.first == ".cache" || parts.first == ".local" { keep = 2 }
            if parts.first == ".local" && parts.count > 1 && (parts[1] == "share" || parts[1] == "state") { keep = 3 }
            return home + "/" + parts.prefix(keep).joined(separator: "/")
        }
        let parts = path.split(separator: "/")
        return "/" + parts.prefix(2).joined(separator: "/")
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

    /// The command on one comment line: every control character (\n, \r...) a blank.
    static func oneLine(_ command: [String]) -> String {
        var text = ""
        for scalar in command.map(quoted).joined(separator: " ").unicodeScalars.prefix(200) {
            text.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7f ? " " : scalar)
        }
        return text
    }

    /// An argument as a profile line needs it: quoted when it has blanks, quotes or a #.
    static func quoted(_ argument: String) -> String {
        guard argument.isEmpty || argument.contains(where: { " \t#\"\\".contains($0) }) else { return argument }
        var text = "\""
        for character in argument {
            if character == "\"" || character == "\\" { text.append("\\") }
            text.append(character)
        }
        return text + "\""
    }
}
