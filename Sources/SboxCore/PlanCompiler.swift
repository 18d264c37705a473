/// Turns options, in order, into a `Plan`. Pure: every check that needs no system call is made here,
/// so that a bad command line fails before any namespace exists.
public enum PlanCompiler {
    /// `requireCommand` is false for `sbox explain` and `sbox check`, which run nothing.
    public static func compile(_ invocation: Invocation, host: HostContext, mode: Mode = .sbox, requireCommand: Bool = true) throws(UsageError) -> Plan {
        guard invocation.options.count <= CommandLineParser.maximumOptions else {
            throw UsageError("the profiles and options give more than \(CommandLineParser.maximumOptions) directives: no sandbox needs that many")
        }
        guard !invocation.command.isEmpty || !requireCommand else {
            throw UsageError(mode == .bwrap ? "No command specified" : "no command given (usage: sbox [OPTIONS] [--] COMMAND [ARG...])")
        }
        var plan = Plan(uid: host.uid, gid: host.gid, hostUID: host.uid, hostGID: host.gid,
                        callerDirectory: host.currentDirectory, environment: host.environment,
                        command: invocation.command)
        if mode == .bwrap {
            // bwrap's defaults: the host's namespaces but for user and mount, no new session, no
            // death with the parent, a writable root, no mount lock, no seccomp filter unless given,
            // the caller's descriptors passed on (Flatpak gives xdg-dbus-proxy its --args=FD so).
            plan.mode = .bwrap
            plan.namespaces = [.user, .mount]
            plan.newSession = false
            plan.dieWithParent = false
            plan.readOnlyRoot = false
            plan.lockMounts = false
            plan.withoutSeccomp = true
            plan.passesDescriptors = true
            // bwrap run by root keeps every capability unless --cap-drop (in sbox, in the sandbox's own
            // user namespace: never the host's).
            if host.uid == 0 { plan.capabilities = .all }
        }
        // sbox's own profiles and filter cache stay out of reach of the programs it runs, whatever
        // part of the home a profile exposes: a writable one would let a program change the next run.
        let variables = ProfileVariables(host: host)
        plan.cacheDirectory = variables.value(of: "XDG_CACHE_HOME").map { ($0 + "/sbox").normalized }
        if mode == .sbox {
            let config = variables.value(of: "XDG_CONFIG_HOME").map { ($0 + "/sbox").normalized }
            plan.ownDirectories = [config, plan.cacheDirectory].compactMap { $0 }.filter(\.isAbsolute)
            // Hidden where they really are too, when a symlink on the way makes that another path.
            for directory in host.resolved.own where !plan.ownDirectories.contains(directory) { plan.ownDirectories.append(directory) }
        }
        // bwrap hands the program the caller's terminal as it is; sbox relays a new one.
        if mode == .sbox { plan.relayedDescriptors = host.terminalDescriptors }
        var currentDirectoryRefused = false
        var dropsCredentials = false, keptVariables: [VariablePattern] = [], setVariables: [ByteString] = []
        var sessionRequests: [SessionRequest] = []
        var exposedArguments: (mode: MountStep.BindMode, origin: Origin)?
        var modifiers = PendingModifiers()
        var hostnameOrigin: Origin?
        var overlayLayers: [ByteString] = []
        var userNamespaceRequested = false
        var mqueueOrigin: Origin?
        var landlockMode: LandlockPolicy.Mode?
        if mode == .bwrap { plan.notices += try BwrapArguments.check(invocation.options) }

        for option in invocation.options {
            let a = option.arguments
            func path(_ text: ByteString) throws(UsageError) -> ByteString {
                // bwrap reads a relative destination from the sandbox's root.
                try sandboxPath(mode == .bwrap && !text.isAbsolute ? "/" + text : text, for: option)
            }
            func descriptor(_ text: ByteString) throws(UsageError) -> Int32 {
                if mode == .bwrap { return try BwrapArguments.descriptor(text) }
                guard let fd = Int32(text.lossy), fd >= 0 else { throw UsageError("\(option.origin): '\(text)' is not a file descriptor number") }
                return fd
            }
            /// A descriptor whose data sbox reads to its end and closes: never its own output or
            /// error (it could no longer say what went wrong), nor in sbox mode its input.
            func consumed(_ text: ByteString) throws(UsageError) -> Int32 {
                let fd = try descriptor(text)
                if fd == 1 || fd == 2 || (fd == 0 && mode == .sbox) {
                    let name = ["input", "output", "error"][Int(fd)]
                    throw UsageError("\(option.origin): descriptor \(fd) is sbox's standard \(name), which this option would read to its end "
                        + "and close: pass the data on another descriptor (\(option.name.spec.flag) 3 ... 3<FILE)")
                }
                return fd
            }
            func source(_ text: ByteString) throws(UsageError) -> ByteString { try hostPath(text, relativeTo: host.currentDirectory, for: option) }
            func mount(_ step: MountStep) { plan.mounts.append(PlannedMount(step, origin: option.origin)) }
            func note() {
                var text = option.name.rawValue
                for argument in a { text += " " + argument.description }
                plan.settings.append(PlannedSetting(text: text, origin: option.origin))
            }
            func home() throws(UsageError) -> ByteString {
                guard let home = host.home else { throw UsageError("\(option.origin): $HOME is not set") }
                return try path(home)
            }

            if option.name != .perms && option.name != .size {
                try modifiers.check(usableBy: option)
            }
            if !overlayLayers.isEmpty && option.name != .overlaySrc && option.name != .overlay && option.name != .tmpOverlay && option.name != .roOverlay {
                throw UsageError("--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay")
            }
            switch option.name {
            case .ro, .rw, .roTry, .rwTry:
                let mode: MountStep.BindMode = option.name == .ro || option.name == .roTry ? .readOnly : .readWrite
                mount(.expose(try source(a[0]), mode: mode, optional: option.name.isOptional))
            case .hide: mount(.hide(try path(a[0])))
            case .privateHome: mount(.tmpfs(try home(), permissions: 0o700, sizeBytes: nil))
            case .roHome: mount(.expose(try home(), mode: .readOnly, optional: false))
            case .roCwd, .rwCwd:
                let directory = host.currentDirectory.normalized, writable = option.name == .rwCwd
                if let why = CurrentDirectory.refusal(of: directory, writable: writable, mounts: plan.mounts, host: host,
                                                      own: plan.ownDirectories) {
                    plan.settings.append(PlannedSetting(text: "\(option.name.rawValue): nothing, as \(why)", origin: option.origin))
                    if !currentDirectoryRefused {
                        plan.notices.append("the current directory \(directory) is not exposed, as \(why): the program starts in its home")
                    }
                    currentDirectoryRefused = true
                    continue
                }
                mount(.expose(directory, mode: writable ? .readWrite : .readOnly, optional: false))
            case .file, .bindData, .roBindData:
                let bind: MountStep.BindMode? = option.name == .file ? nil : option.name == .roBindData ? .readOnly : .readWrite
                // bwrap's historical modes: 0666 for --file, mkstemp's 0600 for the data binds.
                let permissions = modifiers.takePermissions() ?? (option.name == .file ? 0o666 : 0o600)
                mount(.data(descriptor: try consumed(a[0]), path: try path(a[1]), permissions: permissions, bind: bind))
            case .bindFD, .roBindFD:
                // The directory the caller opened, found through /proc before any namespace exists.
                let fd = try descriptor(a[0])
                mount(.bind(source: ByteString("/proc/self/fd/\(fd)"), destination: try path(a[1]), mode: option.name == .roBindFD ? .readOnly : .readWrite, optional: false))
            case .infoFD, .jsonStatusFD:
                if option.name == .infoFD { plan.infoDescriptor = try descriptor(a[0]) } else { plan.jsonStatusDescriptor = try descriptor(a[0]) }
            case .syncFD: plan.syncDescriptor = try descriptor(a[0])
            case .blockFD: plan.blockDescriptor = try descriptor(a[0])
            case .lockFile: plan.lockFiles.append(try path(a[0]))
            case .timeout:
                guard let value = milliseconds(a[0].lossy) else {
                    throw UsageError("\(option.origin): '\(a[0])' is not a duration (a positive number of seconds, or with s, m, h or d)")
                }
                plan.timeoutMilliseconds = value
                note()
            case .rlimitNofile, .rlimitNproc, .rlimitAs, .rlimitCpu, .rlimitFsize, .rlimitCore:
                let kind = ResourceKind(rawValue: String(option.name.rawValue.dropFirst("rlimit-".count)))!
                plan.resourceLimits.removeAll { $0.kind == kind }
                plan.resourceLimits.append(try resourceLimit(kind, a[0].lossy, for: option))
                note()
            case .levelPrefix, .args: break  // --args is spliced in by the parser
            case .execLabel, .fileLabel:
                throw UsageError("\(option.origin): SELinux labels are not supported by sbox")
            case .disableUserns:
                plan.disableUserNamespaces = true
                note()
            case .assertUsernsDisabled:
                plan.assertUserNamespacesDisabled = true
                note()
            case .overlaySrc:
                overlayLayers.append(try source(a[0]))
            case .overlay, .tmpOverlay, .roOverlay:
                let needed = option.name == .roOverlay ? 2 : 1
                guard overlayLayers.count >= needed else {
                    throw UsageError("\(option.name.spec.flag) requires at least \(needed == 1 ? "one" : "two") --overlay-src")
                }
                let writes: MountStep.OverlayWrites = switch option.name {
                case .overlay: .host(upper: try source(a[0]), work: try source(a[1]))
                case .tmpOverlay: .temporary
                default: .refused
                }
                mount(.overlay(layers: overlayLayers, path: try path(a[a.count - 1]), writes: writes))
                overlayLayers = []
            case .usernsBlockFD: plan.usernsBlockDescriptor = try descriptor(a[0])
            case .userns: plan.joinedUserNamespace = try descriptor(a[0])
            case .userns2: plan.userNamespaceAfterSetup = try descriptor(a[0])
            case .pidns: plan.joinedPIDNamespace = try descriptor(a[0])
            case .profile, .include:
                // Profiles are read and spliced in by ProfileLoader.apply before compiling.
                throw UsageError("\(option.origin): profiles must be loaded before the plan is compiled")
            case .bind, .bindTry, .roBind, .roBindTry, .devBind, .devBindTry:
                let mode: MountStep.BindMode = switch option.name {
                case .roBind, .roBindTry: .readOnly
                case .devBind, .devBindTry: .devices
                default: .readWrite
                }
                mount(.bind(source: try source(a[0]), destination: try path(a[1]), mode: mode, optional: option.name.isOptional))
            case .remountRO: mount(.remountReadOnly(try path(a[0])))
            case .tmpfs:
                mount(.tmpfs(try path(a[0]), permissions: modifiers.takePermissions() ?? 0o755, sizeBytes: modifiers.takeSize()))
            case .proc: mount(.proc(try path(a[0])))
            case .dev: mount(.dev(try path(a[0])))
            case .mqueue:
                mount(.mqueue(try path(a[0])))
                mqueueOrigin = option.origin
            case .dir: mount(.directory(try path(a[0]), permissions: modifiers.takePermissions() ?? 0o755))
            case .symlink:
                guard !a[0].isEmpty else { throw UsageError("\(option.origin): the link target is empty") }
                mount(.symlink(target: a[0], path: try path(a[1])))
            case .chmod: mount(.chmod(try path(a[1]), permissions: try permissions(a[0].lossy, for: option)))
            case .perms: try modifiers.setPermissions(try permissions(a[0].lossy, for: option), origin: option.origin)
            case .size:
                try modifiers.setSize(mode == .bwrap ? try BwrapArguments.size(a[0]) : try size(a[0].lossy, for: option), origin: option.origin)
            case .uid:
                plan.uid = try id(a[0].lossy, for: option)
                note()
            case .gid:
                plan.gid = try id(a[0].lossy, for: option)
                note()
            case .hostname:
                plan.hostname = a[0]
                note()
                hostnameOrigin = option.origin
            case .chdir:
                plan.workingDirectory = .given(try path(a[0]))
                note()
            case .setenv:
                try checkVariableName(a[0], for: option)
                plan.environment.removeAll { variableName($0) == a[0] }
                plan.environment.append(a[0] + "=" + a[1])
                setVariables.append(a[0])
                note()
            case .unsetenv:
                try checkVariableName(a[0], for: option)
                plan.environment.removeAll { variableName($0) == a[0] }
                note()
            case .clearenv:
                plan.environment = []
                note()
            case .rwCreate:
                let directory = try source(a[0])
                try checkCreatable(directory, host: host, own: plan.ownDirectories, for: option)
                plan.createdDirectories.append(PlannedDirectory(path: directory, origin: option.origin))
                mount(.expose(directory, mode: .readWrite, optional: false))
            case .exposeArgs:
                guard let mode: MountStep.BindMode = a[0] == "ro" ? .readOnly : a[0] == "rw" ? .readWrite : nil else {
                    throw UsageError("\(option.origin): '\(a[0])' is not a mode (ro or rw)")
                }
                exposedArguments = (mode, option.origin)
            case .x11, .wayland, .pulseaudio, .pipewire:
                // Resolved at the end, where it is known whether the network is the host's.
                sessionRequests.append(SessionRequest(index: plan.mounts.count, service: SessionService(rawValue: option.name.rawValue)!,
                                                      origin: option.origin))
            case .dropCredentials:
                dropsCredentials = true
                note()
            case .keepenv:
                keptVariables.append(VariablePattern(pattern: a[0]))
                note()
            case .argv0:
                plan.argv0 = a[0]
                note()
            case .shareNet:
                plan.namespaces.remove(.net)
                note()
            case .sharePID:
                plan.namespaces.remove(.pid)
                note()
            case .shareIPC:
                plan.namespaces.remove(.ipc)
                note()
            case .shareUTS:
                plan.namespaces.remove(.uts)
                note()
            case .shareCgroup:
                plan.namespaces.remove(.cgroup)
                note()
            case .unshareAll:
                plan.namespaces = .all
                userNamespaceRequested = true
                note()
            case .unshareNet:
                plan.namespaces.insert(.net)
                note()
            case .unsharePID:
                plan.namespaces.insert(.pid)
                note()
            case .unshareIPC:
                plan.namespaces.insert(.ipc)
                note()
            case .unshareUTS:
                plan.namespaces.insert(.uts)
                note()
            case .unshareCgroup, .unshareCgroupTry:
                plan.namespaces.insert(.cgroup)
                note()
            case .unshareUser, .unshareUserTry: userNamespaceRequested = true  // always new in sbox
            case .newSession: plan.newSession = true
            case .dieWithParent:
                plan.dieWithParent = true
                plan.diesWithCaller = true
            case .asPID1:
                plan.programIsPID1 = true
                note()
            case .syscalls, .syscallsDeny:
                for entry in try syscallEntries(a[0].lossy, for: option) {
                    plan.syscallRules.append(SyscallRule(entry: entry, allow: option.name == .syscalls, origin: option.origin))
                }
            case .seccomp, .addSeccompFD:
                // bwrap loads only the last --seccomp (and warns); sbox mode loads them all.
                if mode == .bwrap && option.name == .seccomp { plan.filterDescriptors = [] }
                plan.filterDescriptors.append(try consumed(a[0]))
                note()
            case .unsafeNoSeccomp:
                plan.withoutSeccomp = true
                note()
            case .seccompAction:
                guard let action = SeccompAction(rawValue: a[0].lossy) else {
                    throw UsageError("\(option.origin): '\(a[0])' is not an action (errno, enosys, kill or log)")
                }
                plan.seccompAction = action
            case .capAdd:
                plan.capabilities.formUnion(try capabilities(a[0].lossy, for: option))
                note()
            case .capDrop:
                plan.capabilities.subtract(try capabilities(a[0].lossy, for: option))
                note()
            case .landlock:
                guard let value = LandlockPolicy.Mode(rawValue: a[0].lossy) else {
                    throw UsageError("\(option.origin): '\(a[0])' is not a Landlock mode (required, best-effort or off)")
                }
                landlockMode = value
                note()
            case .landlockRead: plan.landlock.readPaths.append(LandlockPath(try path(a[0]), origin: option.origin))
            case .landlockWrite: plan.landlock.writePaths.append(LandlockPath(try path(a[0]), origin: option.origin))
            case .landlockConnect: plan.landlock.connectPorts.append(try port(a[0].lossy, for: option))
            case .landlockBind: plan.landlock.bindPorts.append(try port(a[0].lossy, for: option))
            case .verbose: plan.verbose = true
            case .help, .version: break  // answered by the command line before compiling
            }
        }
        addSessions(sessionRequests, to: &plan, host: host, set: &setVariables)
        if let (mode, origin) = exposedArguments { exposeArguments(of: &plan, mode: mode, origin: origin, host: host) }
        // Hidden last, over whatever exposed them (the runtime creates them first if they are
        // missing: a hide covers only what exists).
        for directory in plan.ownDirectories {
            plan.mounts.append(PlannedMount(.hide(directory), origin: .commandLine("always: sbox's own files")))
        }
        if currentDirectoryRefused, case .caller = plan.workingDirectory { plan.workingDirectory = .home }
        if dropsCredentials { dropCredentials(from: &plan, keeping: keptVariables, set: setVariables) }
        if !overlayLayers.isEmpty {
            throw UsageError("--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay")
        }
        if mode == .bwrap && plan.disableUserNamespaces && !userNamespaceRequested {
            throw UsageError("--disable-userns requires --unshare-user")
        }
        if plan.joinedUserNamespace != nil {
            // bwrap's rules and words.
            if mode == .bwrap && userNamespaceRequested { throw UsageError("--userns not compatible --unshare-user") }
            if plan.uid != host.uid || plan.gid != host.gid {
                throw UsageError("--uid and --gid cannot be combined with --userns: the joined namespace's maps decide the ids")
            }
            if plan.disableUserNamespaces { throw UsageError("--disable-userns requires --unshare-user") }
            if plan.usernsBlockDescriptor != nil { throw UsageError("--userns-block-fd requires --unshare-user") }
            plan.namespaces.remove(.user)
        }
        if plan.usernsBlockDescriptor != nil {
            // The caller writes the maps: it learns the sandbox's pid from --info-fd.
            if mode == .bwrap && !userNamespaceRequested { throw UsageError("--userns-block-fd requires --unshare-user") }
            if plan.infoDescriptor == nil { throw UsageError("--userns-block-fd requires --info-fd") }
            if plan.disableUserNamespaces { throw UsageError("--disable-userns is not compatible with --userns-block-fd") }
        }
        // bwrap has no Landlock: in its mode, only when asked.
        plan.landlock.mode = landlockMode ?? (mode == .bwrap && !plan.landlock.restricts ? .off : .bestEffort)
        if plan.landlock.mode == .off && plan.landlock.restricts {
            throw UsageError("--landlock off: --landlock-read, --landlock-write, --landlock-connect and --landlock-bind need Landlock")
        }
        if let pending = modifiers.origin {
            throw UsageError("\(pending) must be followed by the option it modifies (--perms: --dir, --tmpfs, --file, --bind-data or --ro-bind-data; --size: --tmpfs)")
        }
        if let origin = hostnameOrigin, !plan.namespaces.contains(.uts) {
            throw UsageError("\(origin): a host name needs the sandbox's own UTS namespace (remove --share-uts)")
        }
        if let origin = mqueueOrigin, !plan.namespaces.contains(.ipc) {
            throw UsageError("\(origin): a message-queue file system needs the sandbox's own IPC namespace (remove --share-ipc)")
        }
        if plan.programIsPID1 && !plan.namespaces.contains(.pid) {
            throw UsageError("--as-pid-1 needs the sandbox's own PID namespace (remove --share-pid)")
        }
        if plan.programIsPID1 && !plan.lockFiles.isEmpty {
            // The locks are held by the init, which --as-pid-1 removes; bwrap refuses it too.
            throw UsageError("--as-pid-1 and --lock-file cannot be combined: the locks are held by sbox's init")
        }
        return plan
    }

    /// rw-create makes directories on the host: only in the home, and never sbox's own.
    static func checkCreatable(_ directory: ByteString, host: HostContext, own: [ByteString], for option: ParsedOption) throws(UsageError) {
        let homes = [host.home?.normalized, host.resolved.home].compactMap { $0 }
        guard homes.contains(where: { directory.isStrictlyBeneath($0) }), !own.contains(where: { directory.isWithin($0) || $0.isWithin(directory) }),
              !directory.split(separator: UInt8(ascii: "/")).contains("..") else {
            throw UsageError("\(option.origin): sbox makes directories on the host only in the home (not the home itself, nor sbox's own)")
        }
    }

    /// expose-args: what the program's arguments name (an absolute path, a file:// URL), each alone,
    /// at the end (over a private /tmp). A directory only where the current directory could be one;
    /// nothing in the places that hold the host's services or sbox's own files.
    static func exposeArguments(of plan: inout Plan, mode: MountStep.BindMode, origin: Origin, host: HostContext) {
        for argument in plan.command.dropFirst() {
            guard let path = ArgumentPath.path(of: argument) else { continue }
            if let why = ArgumentPath.refusal(of: path, host: host, own: plan.ownDirectories) {
                plan.settings.append(PlannedSetting(text: "expose-args: not \(path), as \(why)", origin: origin))
                continue
            }
            let directories = CurrentDirectory.refusal(of: path, writable: mode != .readOnly, mounts: plan.mounts, host: host,
                                                        own: plan.ownDirectories) == nil
            plan.mounts.append(PlannedMount(.argument(path, mode: mode, directories: directories), origin: origin))
        }
    }

    struct SessionRequest {
        let index: Int
        let service: SessionService
        let origin: Origin
    }

    /// Each session service's sockets where its directive stands, its variables set inside, and a note.
    static func addSessions(_ requests: [SessionRequest], to plan: inout Plan, host: HostContext, set: inout [ByteString]) {
        let sessions = requests.map { $0.service.plan(host: host, sharesNetwork: !plan.namespaces.contains(.net), own: plan.ownDirectories) }
        for (request, session) in zip(requests, sessions) {
            for entry in session.environment {
                let name = variableName(entry)
                plan.environment.removeAll { variableName($0) == name }
                plan.environment.append(entry)
                set.append(name)
            }
            plan.settings.append(PlannedSetting(text: session.note, origin: request.origin))
        }
        // From the last, so that the earlier ones' places stay where they were.
        for (request, session) in zip(requests, sessions).reversed() {
            plan.mounts.insert(contentsOf: session.steps.map { PlannedMount($0, origin: request.origin) }, at: request.index)
        }
    }

    /// The caller's variables that drop-credentials removes: neither kept with keepenv nor set by the
    /// plan itself; the session bus stays where the plan exposes it.
    static func dropCredentials(from plan: inout Plan, keeping kept: [VariablePattern], set: [ByteString]) {
        var environment: [ByteString] = []
        for entry in plan.environment {
            let name = variableName(entry)
            guard !set.contains(name), !kept.contains(where: { $0.matches(name) }), let reason = CredentialVariables.reason(for: name),
                  name != "DBUS_SESSION_BUS_ADDRESS" || !CredentialVariables.exposesTheSessionBus(entry.dropFirst(name.count + 1), in: plan) else {
                environment.append(entry)
                continue
            }
            plan.droppedVariables.append(DroppedVariable(name: name, reason: reason))
        }
        plan.environment = environment
    }

    /// --perms and --size modify the next option; anything else in between is a mistake.
    struct PendingModifiers {
        var permissions: UInt32?
        var size: UInt64?
        var origin: Origin?

        mutating func setPermissions(_ value: UInt32, origin: Origin) throws(UsageError) {
            if permissions != nil { throw UsageError("\(origin): --perms given twice for the same option") }
            permissions = value
            self.origin = origin
        }

        mutating func setSize(_ value: UInt64, origin: Origin) throws(UsageError) {
            if size != nil { throw UsageError("\(origin): --size given twice for the same option") }
            size = value
            self.origin = origin
        }

        mutating func takePermissions() -> UInt32? {
            defer { permissions = nil; clearOrigin() }
            return permissions
        }

        mutating func takeSize() -> UInt64? {
            defer { size = nil; clearOrigin() }
            return size
        }

        private mutating func clearOrigin() { if permissions == nil && size == nil { origin = nil } }

        func check(usableBy option: ParsedOption) throws(UsageError) {
            let usesPermissions: Bool
            switch option.name {
            case .dir, .tmpfs, .file, .bindData, .roBindData: usesPermissions = true
            default: usesPermissions = false
            }
            if permissions != nil, !usesPermissions {
                throw UsageError("--perms must be followed by --dir, --tmpfs, --file, --bind-data or --ro-bind-data, not \(option.origin)")
            }
            if size != nil, option.name != .tmpfs {
                throw UsageError("--size must be followed by --tmpfs, not \(option.origin)")
            }
        }
    }

    // MARK: - Values

    static func sandboxPath(_ text: ByteString, for option: ParsedOption) throws(UsageError) -> ByteString {
        guard text.isAbsolute else {
            throw UsageError("\(option.origin): '\(text)' must be an absolute path inside the sandbox")
        }
        return text.normalized
    }

    static func hostPath(_ text: ByteString, relativeTo directory: ByteString, for option: ParsedOption) throws(UsageError) -> ByteString {
        guard !text.isEmpty else { throw UsageError("\(option.origin): the source path is empty") }
        if case .profile = option.origin, !text.isAbsolute {
            throw UsageError("\(option.origin): '\(text)' is a relative path; a profile needs an absolute one (use ${PWD} or ${HOME})")
        }
        return (text.isAbsolute ? text : directory + "/" + text).normalized
    }

    static func permissions(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt32 {
        guard let value = UInt32(text, radix: 8), value <= 0o7777 else {
            throw UsageError("\(option.origin): '\(text)' is not an octal mode between 0 and 7777")
        }
        return value
    }

    static func size(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt64 {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        if let last = digits.last?.uppercased().first, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard let value = UInt64(digits), value > 0, value <= UInt64.max / multiplier else {
            throw UsageError("\(option.origin): '\(text)' is not a size in bytes (a positive number, optionally with K, M or G)")
        }
        return value * multiplier
    }

    static func port(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt16 {
        guard let value = UInt16(text) else { throw UsageError("\(option.origin): '\(text)' is not a port number (0 to 65535)") }
        return value
    }

    static func id(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt32 {
        guard let value = UInt32(text), value != UInt32.max else {
            throw UsageError("\(option.origin): '\(text)' is not a numeric id")
        }
        return value
    }

    static func capabilities(_ text: String, for option: ParsedOption) throws(UsageError) -> CapabilitySet {
        if text.uppercased() == "ALL" { return .all }
        if let capability = Capability.named(text) { return CapabilitySet(capability) }
        let hint = Suggestion.closest(to: text.uppercased(), in: Capability.suggestions).map { " (did you mean \($0)?)" } ?? ""
        throw UsageError("\(option.origin): unknown capability '\(text)'\(hint)")
    }

    /// The entries of a list: system call names and @groups.
    static func syscallEntries(_ list: String, for option: ParsedOption) throws(UsageError) -> [String] {
        var entries: [String] = []
        for item in list.split(separator: ",") {
            let entry = String(item.filter { $0 != " " })
            if entry.isEmpty { continue }
            if entry.hasPrefix("@") {
                guard SyscallGroups.members(of: entry) != nil else {
                    let hint = Suggestion.closest(to: entry, in: SyscallGroups.names).map { " (did you mean \($0)?)" } ?? ""
                    throw UsageError("\(option.origin): unknown group \(entry)\(hint); sbox syscalls lists them")
                }
                entries.append(entry)
            } else {
                guard entry.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw UsageError("\(option.origin): '\(entry)' is not a system call name")
                }
                entries.append(entry)
            }
        }
        guard !entries.isEmpty else { throw UsageError("\(option.origin): the list is empty") }
        return entries
    }

    static func checkVariableName(_ name: ByteString, for option: ParsedOption) throws(UsageError) {
        guard !name.isEmpty, !name.contains(UInt8(ascii: "=")) else {
            throw UsageError("\(option.origin): '\(name)' is not a valid environment variable name")
        }
    }

    /// NAME in `NAME=value`.
    static func variableName(_ entry: ByteString) -> ByteString {
        ByteString(entry.bytes.prefix { $0 != UInt8(ascii: "=") })
    }
}
