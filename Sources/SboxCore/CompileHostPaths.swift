/// The options that name a place of the host rather than a mount: ro, rw and their -try forms, hide,
/// the shorthands for the home and the current directory, rw-create, expose-args and the session's
/// services. Private stays private: no shorthand re-exposes what the plan keeps out.
extension Compilation {
    mutating func applyHostPath(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .ro, .rw, .roTry, .rwTry:
            let bind: MountStep.BindMode = option.name == .ro || option.name == .roTry ? .readOnly : .readWrite
            mount(.expose(try source(a[0], of: option), mode: bind, optional: option.name.isOptional), for: option)
        case .hide: mount(.hide(try destination(a[0], of: option)), for: option)
        case .privateHome: mount(.tmpfs(try home(for: option), permissions: 0o700, sizeBytes: nil), for: option)
        case .roHome: mount(.expose(try home(for: option), mode: .readOnly, optional: false), for: option)
        case .roCwd, .rwCwd: exposeCurrentDirectory(writable: option.name == .rwCwd, for: option)
        case .rwCreate:
            let directory = try source(a[0], of: option)
            try checkCreatable(directory, for: option)
            plan.createdDirectories.append(PlannedDirectory(path: directory, origin: option.origin))
            mount(.expose(directory, mode: .readWrite, optional: false), for: option)
        case .exposeArgs:
            guard let bind: MountStep.BindMode = a[0] == "ro" ? .readOnly : a[0] == "rw" ? .readWrite : nil else {
                throw UsageError(option.origin, "'\(a[0])' is not a mode (ro or rw)")
            }
            exposedArguments = ExposedArguments(mode: bind, origin: option.origin)
        case .x11, .wayland, .pulseaudio, .pipewire:
            // Resolved at the end, where it is known whether the network is the host's.
            let service: SessionService = switch option.name {
            case .x11: .x11
            case .wayland: .wayland
            case .pulseaudio: .pulseaudio
            default: .pipewire
            }
            sessionRequests.append(SessionRequest(index: plan.mounts.count, service: service, origin: option.origin))
        default:
            throw misrouted(option)
        }
    }

    /// ro-cwd, rw-cwd: nothing, and a notice, where the current directory would bring back what the
    /// plan keeps out (CurrentDirectory says why).
    mutating func exposeCurrentDirectory(writable: Bool, for option: ParsedOption) {
        let directory = host.currentDirectory.normalized
        if let why = CurrentDirectory.refusal(of: directory, writable: writable, mounts: plan.mounts, host: host,
                                              own: plan.ownDirectories) {
            plan.settings.append(PlannedSetting(text: "\(option.name.rawValue): nothing, as \(why)",
                                                origin: option.origin))
            if !currentDirectoryRefused {
                plan.notices.append("the current directory \(directory) is not exposed, as \(why): "
                    + "the program starts in its home")
            }
            currentDirectoryRefused = true
            return
        }
        mount(.expose(directory, mode: writable ? .readWrite : .readOnly, optional: false), for: option)
    }

    /// rw-create makes directories on the host: only in the home, and never sbox's own.
    func checkCreatable(_ directory: ByteString, for option: ParsedOption) throws(UsageError) {
        let homes = [host.home?.normalized, host.resolved.home].compactMap { $0 }
        let own = plan.ownDirectories
        guard homes.contains(where: { directory.isStrictlyBeneath($0) }),
              !own.contains(where: { directory.isWithin($0) || $0.isWithin(directory) }),
              !directory.split(separator: UInt8(ascii: "/")).contains("..") else {
            throw UsageError(option.origin, "sbox makes directories on the host only in the home (not the home "
                + "itself, nor sbox's own)")
        }
    }

    /// At the end: each session service's sockets where its directive stood, what the program's
    /// arguments name, sbox's own directories hidden over all of it, and where the program starts.
    mutating func finishHostPaths() {
        addSessions()
        if let exposedArguments { exposeArguments(exposedArguments) }
        hideOwnDirectories()
        // Not in a place of the same name as the caller's directory, which was not exposed.
        if currentDirectoryRefused, case .caller = plan.workingDirectory { plan.workingDirectory = .home }
    }

    /// Each session service's sockets where its directive stands, its variables set inside, and a note.
    mutating func addSessions() {
        let sessions = sessionRequests.map {
            $0.service.plan(host: host, sharesNetwork: !plan.namespaces.contains(.net), own: plan.ownDirectories)
        }
        for (request, session) in zip(sessionRequests, sessions) {
            for entry in session.environment {
                let name = PlanCompiler.variableName(entry)
                plan.environment.removeAll { PlanCompiler.variableName($0) == name }
                plan.environment.append(entry)
                setVariables.append(name)
            }
            plan.settings.append(PlannedSetting(text: session.note, origin: request.origin))
        }
        // From the last, so that the earlier ones' places stay where they were.
        for (request, session) in zip(sessionRequests, sessions).reversed() {
            let mounts = session.steps.map { PlannedMount($0, origin: request.origin) }
            plan.mounts.insert(contentsOf: mounts, at: request.index)
        }
    }

    /// expose-args: what the program's arguments name (an absolute path, a file:// URL), each alone,
    /// at the end (over a private /tmp). A directory only where the current directory could be one,
    /// spelled as it really is;
    /// nothing in the places that hold the host's services or sbox's own files, where it is spelled
    /// and where it really is; never a symlink, which the sandbox may have planted where the caller
    /// looks (a "document" that leads to / or to a key).
    mutating func exposeArguments(_ exposed: ExposedArguments) {
        for argument in plan.command.dropFirst() {
            guard let path = ArgumentPath.path(of: argument) else { continue }
            switch argumentSource(path, writable: exposed.mode != .readOnly) {
            case .refused(let why, let notice):
                plan.settings.append(PlannedSetting(text: "expose-args: not \(path), as \(why)",
                                                    origin: exposed.origin))
                if notice { plan.notices.append("expose-args: \(path) is not exposed, as \(why)") }
            case .exposed(let source, let directories):
                plan.mounts.append(PlannedMount(.argument(path, source: source, mode: exposed.mode,
                                                          directories: directories),
                                                origin: exposed.origin))
            }
        }
    }

    /// What an argument's path gives: where its file really is, and whether it may be a directory;
    /// or why nothing (`notice`: said on every run, where the caller could not have known).
    private func argumentSource(_ path: ByteString, writable: Bool) -> ArgumentSource {
        let own = plan.ownDirectories
        if let why = ArgumentPath.refusal(of: path, host: host, own: own) { return .refused(why, notice: false) }
        guard let resolved = host.resolved.arguments[path] else { return .refused("it does not exist", notice: false) }
        if resolved.isSymlink {
            return .refused("it is a symlink (to \(resolved.path)): only a file itself is exposed", notice: true)
        }
        if resolved.path != path, let why = ArgumentPath.refusal(of: resolved.path, host: host, own: own) {
            return .refused("it is \(resolved.path), and \(why)", notice: true)
        }
        // A directory only where it is spelled as it is: what the plan hides beneath it (sbox's own
        // files) is hidden at the paths as they are, which a copy at a symlinked spelling would miss.
        let directories = resolved.path == path
            && CurrentDirectory.refusal(of: path, writable: writable, mounts: plan.mounts, host: host, own: own) == nil
        return .exposed(source: resolved.path, directories: directories)
    }

    /// sbox's own directories, hidden last, over whatever exposed them (the runtime creates them first
    /// if they are missing: a hide covers only what exists).
    mutating func hideOwnDirectories() {
        for directory in plan.ownDirectories {
            plan.mounts.append(PlannedMount(.hide(directory), origin: .commandLine("always: sbox's own files")))
        }
    }
}

/// What expose-args makes of one argument's path.
enum ArgumentSource {
    case exposed(source: ByteString, directories: Bool)
    case refused(String, notice: Bool)
}

/// A session service's directive, and where its sockets go among the mounts.
struct SessionRequest {
    let index: Int
    let service: SessionService
    let origin: Origin
}

/// expose-args: how the arguments' files are exposed, and the directive that asked.
struct ExposedArguments {
    let mode: MountStep.BindMode
    let origin: Origin
}
