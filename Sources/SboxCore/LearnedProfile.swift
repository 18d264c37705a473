/// The profile `sbox learn` writes: `include BASE`, the command line's options, and what the run
/// needed that BASE does not give. Only what succeeded is granted: a file the program only probed
/// for, could not read, or could not write, and a socket it could not connect to, grant nothing.
/// Every line comes out of ProfileWriter, so that no path the program chose can become a directive.
public enum LearnedProfile {
    /// What the host has, asked of it as the caller (the sandbox runs with the same ids).
    public struct Host {
        /// Something is at the path (without following a last symlink).
        public var exists: (ByteString) -> Bool
        /// The path with every symlink resolved.
        public var canonical: (ByteString) -> ByteString?
        /// The operation would succeed: reading or listing, executing, writing the file or, for one
        /// that does not exist, creating it in its nearest existing directory.
        public var permits: (ByteString, FileAccessRecord.Kind) -> Bool
        /// A unix socket that a service listens on.
        public var listening: (ByteString) -> Bool
        /// A system call this architecture has.
        public var hasSyscall: (String) -> Bool
        /// Where the path leads, link by link, when it is a symlink (/usr/bin/cc, then
        /// /etc/alternatives/cc...): the kernel follows them without a call that names them.
        public var links: (ByteString) -> [ByteString] = { _ in [] }

        public init(exists: @escaping (ByteString) -> Bool, canonical: @escaping (ByteString) -> ByteString?,
                    permits: @escaping (ByteString, FileAccessRecord.Kind) -> Bool = { _, _ in true },
                    listening: @escaping (ByteString) -> Bool = { _ in false },
                    hasSyscall: @escaping (String) -> Bool = { _ in true }) {
            self.exists = exists
            self.canonical = canonical
            self.permits = permits
            self.listening = listening
            self.hasSyscall = hasSyscall
        }
    }

    /// `options`: the command line's, --profile ones included (they become the `include` lines).
    public static func text(base: Plan, options: [ParsedOption], record: LearningRecord, context: HostContext,
                            host: Host) -> String {
        var grants = LearnedGrants(base: base, context: context, host: host)
        var seen = Set<FileAccessRecord>()
        for access in record.accesses where seen.insert(access).inserted {
            grants.add(access, socketsAllowed: record.socketsAllowed)
        }
        var lines = [ProfileWriter.comment("description: learned by sbox learn"),
                     "# Written by `sbox learn` from one run. It holds what that run needed: other inputs,",
                     "# options or errors may take code paths the run did not, and need more."]
        let profiles = options.filter { $0.name == .profile }.map { $0.arguments[0] }
        for profile in profiles.isEmpty ? ["default"] : profiles where profile != "none" {
            lines.append(ProfileWriter.line(.include, profile))
        }
        for option in options where option.name != .profile && !isAnyHost(option) {
            lines.append(ProfileWriter.line(option.name, option.arguments.map { [.bytes($0)] }))
        }
        lines += grants.ownFileSystems
        if base.egress.isActive {
            // What the program reached through the proxy, each host and port alone.
            for destination in record.reachedHosts where !base.egress.lines.contains(where: { line in
                line.host.allows(name: destination.host, port: destination.port) && !isAny(line.host.host) }) {
                lines.append(ProfileWriter.line(.allowHost, [[.bytes(ByteString(destination.description))]]))
            }
        } else if record.network && base.namespaces.contains(.net) {
            lines.append("share-net")
        }
        if grants.currentDirectory.write {
            lines.append("rw-cwd")
        } else if grants.currentDirectory.read {
            lines.append("ro-cwd")
        }
        lines += grants.pathLines()
        let used = SyscallVariants.completing(record.syscalls.subtracting(record.refused)).filter(host.hasSyscall)
        let syscalls = syscallEntries(used.subtracting(base.allowedSyscalls ?? []), base: base, native: host.hasSyscall)
        if !syscalls.isEmpty { lines.append("syscalls " + syscalls.joined(separator: " ")) }
        for name in record.refused.sorted() {
            lines.append("# not learned: \(name): in no group, refused while learning; "
                + "name it in a syscalls line if the program needs it")
        }
        lines += grants.notLearnedLines()
        return lines.joined(separator: "\n") + "\n"
    }

    /// allow-host '*': learning's own permission, never written back.
    private static func isAnyHost(_ option: ParsedOption) -> Bool {
        option.name == .allowHost
            && (try? AllowedHost.parse(option.arguments[0].lossy).get()).map { isAny($0.host) } ?? false
    }

    private static func isAny(_ host: AllowedHost.Host) -> Bool { host == .anyName }

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
    static func syscallEntries(_ used: Set<String>, base: Plan, native: (String) -> Bool = { _ in true }) -> [String] {
        var remaining = used
        let allowed = Set(base.allowedSyscalls ?? [])
        var entries: [String] = []
        for group in SyscallGroups.names where group != "@system-service" && group != "@default" {
            let members = Set((SyscallGroups.expand(group) ?? []).filter(native)).subtracting(allowed)
            guard members.count > 1, members.isSubset(of: used) else { continue }
            entries.append(group)
            remaining.subtract(members)
        }
        return entries + remaining.sorted()
    }
}
