/// What a learning run's file accesses grant, beyond what BASE gives: the lines of the learned
/// profile's paths, and what was not learned.
struct LearnedGrants {
    let base: Plan
    let host: LearnedProfile.Host
    let home: ByteString?
    let runtime: ByteString?
    let directory: ByteString
    let writable: [ByteString]
    /// ro-try / rw-try, folded into directories; unix sockets alone.
    private var rules: [(path: ByteString, writable: Bool, socket: Bool)] = []
    private var created = Set<ByteString>()
    private(set) var currentDirectory: (read: Bool, write: Bool) = (false, false)
    /// What BASE lacks of the sandbox's own file systems: the directive, not the host's files.
    private(set) var ownFileSystems: [String] = []
    /// Comments on what was tried and not granted (escaped paths), and how many more there were.
    private var notLearned: [String] = []
    private var notLearnedBeyond = 0
    static let notLearnedShown = 20

    init(base: Plan, context: HostContext, host: LearnedProfile.Host) {
        self.base = base
        self.host = host
        home = Learning.home(context)
        runtime = ProfileVariables(host: context).value(of: "XDG_RUNTIME_DIR")?.normalized
        directory = context.currentDirectory.normalized
        writable = Learning.writableDirectories(context)
    }

    /// What one access grants; for a read or an execution, so does each symlink it led through.
    mutating func add(_ access: FileAccessRecord, socketsAllowed: Bool) {
        if access.kind == .read || access.kind == .execute {
            for link in host.links(access.path) {
                grant(FileAccessRecord(link, access.kind), socketsAllowed: socketsAllowed)
            }
        }
        grant(access, socketsAllowed: socketsAllowed)
    }

    private mutating func grant(_ access: FileAccessRecord, socketsAllowed: Bool) {
        let path = access.path, writes = access.kind == .write
        guard access.kind != .connect else {
            // A socket is granted only if the program reached it: with --allow-sockets, a service listening there.
            if case .host = base.provider(of: path) { return }
            if socketsAllowed && host.listening(path) {
                rule(path, writable: false, socket: true)
            } else if !socketsAllowed {
                note("a connection to a unix socket, refused while learning "
                     + "(learn with --allow-sockets to grant it):", path)
            }
            return
        }
        if writes && !host.exists(path) { created.insert(path) }
        if !writes && created.contains(path) { return }  // what the program made itself, it may read again
        let provider = base.provider(of: path)
        if case .sandbox = provider { return }
        if base.shows(path, writable: writes) { return }
        // The directory sbox was started in (when it may be exposed at all): ro-cwd or rw-cwd.
        if directory != ByteString.root && path.isWithin(directory) && home.map({ !$0.isWithin(directory) }) ?? true {
            if host.exists(path) || writes, host.permits(path, access.kind) {
                if writes { currentDirectory.write = true } else { currentDirectory.read = true }
            }
            return
        }
        switch provider {
        case .hidden: if writes || !host.exists(path) { return }  // a private tmpfs: writes work there
        case .nothing:
            let own: [(ByteString, String)] = [("/proc", "proc /proc"), ("/dev", "dev /dev"), ("/tmp", "tmpfs /tmp"),
                                               ("/var/tmp", "tmpfs /var/tmp")]
            if let directive = own.first(where: { path.isWithin($0.0) })?.1 {
                if !ownFileSystems.contains(directive) { ownFileSystems.append(directive) }
                return
            }
            if !writes && !host.exists(path) { return }  // only probed for
        default: break
        }
        // The run wrote only into its overlays; elsewhere the host was read-only to it and the write
        // failed. And only what would have worked is granted: a file it could not read, a directory it
        // could not write in.
        if writes && !writable.contains(where: { path.isWithin($0) }) {
            note("a write the run could not make (add rw-try if the program needs it):", path)
            return
        }
        guard host.permits(path, access.kind) else { return }
        var target = path
        // A new file: its directory, the nearest that exists.
        while writes && !host.exists(target) && target != ByteString.root { target = target.parent }
        guard target != ByteString.root else {
            note("only the root holds what was used:", path)
            return
        }
        rule(LearnedProfile.fold(target, home: home), writable: writes, socket: false)
        // What the symlink leads to, unless BASE shows it already (/etc/localtime into /usr/share).
        if let real = host.canonical(target), real != target, !base.shows(real, writable: writes) {
            rule(LearnedProfile.fold(real, home: home), writable: writes, socket: false)
        }
    }

    private mutating func rule(_ path: ByteString, writable: Bool, socket: Bool) {
        if let index = rules.firstIndex(where: { $0.path == path }) {
            rules[index].writable = rules[index].writable || writable
        } else {
            rules.append((path, writable, socket))
        }
    }

    private mutating func note(_ text: String, _ path: ByteString) {
        if notLearned.count < Self.notLearnedShown {
            notLearned.append(ProfileWriter.comment("not learned: " + text, path))
        } else {
            notLearnedBeyond += 1
        }
    }

    /// The paths' lines; a directory already in the profile covers what is beneath it.
    func pathLines() -> [String] {
        var lines: [String] = []
        for rule in rules where !rules.contains(where: {
            rule.path.isStrictlyBeneath($0.path) && ($0.writable || !rule.writable) && !$0.socket
        }) {
            var pieces: [ProfileWriter.Piece] = [.bytes(rule.path)]
            // The same user elsewhere: the runtime directory and the home as variables.
            for (variable, value) in [("XDG_RUNTIME_DIR", runtime), ("HOME", home)] {
                guard let value, rule.path.isWithin(value) else { continue }
                pieces = [.variable(variable), .bytes(rule.path.dropFirst(value.count))]
                break
            }
            if rule.socket {
                lines.append("# a unix socket the program connected to while learning: "
                    + "the service behind it acts for it")
            }
            lines.append(ProfileWriter.line(rule.writable ? .rwTry : .roTry, [pieces]))
        }
        return lines
    }

    func notLearnedLines() -> [String] {
        notLearned + (notLearnedBeyond > 0 ? ["# not learned: \(notLearnedBeyond) more paths, not listed"] : [])
    }
}

private extension Plan {
    /// Whether the host's PATH is visible in the sandbox, and writable where WRITABLE.
    func shows(_ path: ByteString, writable: Bool) -> Bool {
        if case .host(let hostWritable) = provider(of: path) { return !writable || hostWritable }
        return false
    }
}
