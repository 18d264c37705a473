/// One compilation: the plan being built, and what an option leaves for the ones after it or for the
/// end, grouped by the concern whose rules set it.
struct Compilation {
    let host: HostContext
    let mode: Mode
    var plan: Plan

    // Host paths (CompileHostPaths).
    /// An ro-cwd or rw-cwd was refused: the program starts in its home, not in a place of the same name.
    var currentDirectoryRefused = false
    /// x11, wayland, pulseaudio, pipewire: resolved at the end, when it is known whether the network
    /// is the host's.
    var sessionRequests: [SessionRequest] = []
    var exposedArguments: ExposedArguments?

    // Mounts and overlays (CompileMounts, CompileOverlays).
    var modifiers = PendingModifiers()
    /// The --overlay-src layers given since the last overlay.
    var overlayLayers: [ByteString] = []
    var mqueueOrigin: Origin?

    // Identity (CompileIdentity).
    var hostnameOrigin: Origin?
    var dropsCredentials = false
    var keptVariables: [VariablePattern] = []
    /// The variables the plan itself sets: drop-credentials keeps them.
    var setVariables: [ByteString] = []

    // Namespaces (CompileNamespaces): --unshare-user or --unshare-all, which bwrap's rules ask about.
    var userNamespaceRequested = false

    // Landlock (CompileLandlock): --landlock, when given.
    var landlockMode: LandlockPolicy.Mode?

    init(command: [ByteString], host: HostContext, mode: Mode) {
        self.host = host
        self.mode = mode
        plan = Self.initialPlan(command: command, host: host, mode: mode)
    }

    /// The plan before any option: the mode's defaults, and sbox's own directories.
    static func initialPlan(command: [ByteString], host: HostContext, mode: Mode) -> Plan {
        var plan = Plan(uid: host.uid, gid: host.gid, hostUID: host.uid, hostGID: host.gid,
                        callerDirectory: host.currentDirectory, environment: host.environment, command: command)
        if mode == .bwrap { applyBwrapDefaults(to: &plan, host: host) }
        // sbox's own profiles and filter cache stay out of reach of the programs it runs, whatever
        // part of the home a profile exposes: a writable one would let a program change the next run.
        let variables = ProfileVariables(host: host)
        plan.cacheDirectory = variables.value(of: "XDG_CACHE_HOME").map { ($0 + "/sbox").normalized }
        if mode == .sbox {
            let config = variables.value(of: "XDG_CONFIG_HOME").map { ($0 + "/sbox").normalized }
            plan.ownDirectories = [config, plan.cacheDirectory].compactMap { $0 }.filter(\.isAbsolute)
            // Hidden where they really are too, when a symlink on the way makes that another path.
            for directory in host.resolved.own where !plan.ownDirectories.contains(directory) {
                plan.ownDirectories.append(directory)
            }
            // bwrap hands the program the caller's terminal as it is; sbox relays a new one.
            plan.relayedDescriptors = host.terminalDescriptors
        }
        return plan
    }
}

/// An option's arguments as the mode reads them, and what every concern's rules do with an option.
extension Compilation {
    /// A path inside the sandbox; bwrap reads a relative one from the sandbox's root.
    func destination(_ text: ByteString, of option: ParsedOption) throws(UsageError) -> ByteString {
        try PlanCompiler.sandboxPath(mode == .bwrap && !text.isAbsolute ? "/" + text : text, for: option)
    }

    /// A path of the host, relative to the caller's directory.
    func source(_ text: ByteString, of option: ParsedOption) throws(UsageError) -> ByteString {
        try PlanCompiler.hostPath(text, relativeTo: host.currentDirectory, for: option)
    }

    func descriptor(_ text: ByteString, of option: ParsedOption) throws(UsageError) -> Int32 {
        if mode == .bwrap { return try BwrapArguments.descriptor(text) }
        guard let fd = Int32(text.lossy), fd >= 0 else {
            throw UsageError(option.origin, "'\(text)' is not a file descriptor number")
        }
        return fd
    }

    /// A descriptor whose data sbox reads to its end and closes: never its own output or error (it
    /// could no longer say what went wrong), nor in sbox mode its input.
    func consumedDescriptor(_ text: ByteString, of option: ParsedOption) throws(UsageError) -> Int32 {
        let fd = try descriptor(text, of: option)
        if fd == 1 || fd == 2 || (fd == 0 && mode == .sbox) {
            let name = ["input", "output", "error"][Int(fd)]
            throw UsageError(option.origin, "descriptor \(fd) is sbox's standard \(name), which this option would "
                + "read to its end and close: pass the data on another descriptor "
                + "(\(option.name.spec.flag) 3 ... 3<FILE)")
        }
        return fd
    }

    /// The caller's home, inside the sandbox.
    func home(for option: ParsedOption) throws(UsageError) -> ByteString {
        guard let home = host.home else { throw UsageError(option.origin, "$HOME is not set") }
        return try destination(home, of: option)
    }

    mutating func mount(_ step: MountStep, for option: ParsedOption) {
        plan.mounts.append(PlannedMount(step, origin: option.origin))
    }

    /// A setting other than a mount, for `sbox explain`: the option as given.
    mutating func note(_ option: ParsedOption) {
        var text = option.name.rawValue
        for argument in option.arguments { text += " " + argument.description }
        plan.settings.append(PlannedSetting(text: text, origin: option.origin))
    }
}

extension PlanCompiler {
    static func sandboxPath(_ text: ByteString, for option: ParsedOption) throws(UsageError) -> ByteString {
        guard text.isAbsolute else {
            throw UsageError(option.origin, "'\(text)' must be an absolute path inside the sandbox")
        }
        return text.normalized
    }

    static func hostPath(_ text: ByteString, relativeTo directory: ByteString,
                         for option: ParsedOption) throws(UsageError) -> ByteString {
        guard !text.isEmpty else { throw UsageError(option.origin, "the source path is empty") }
        if case .profile = option.origin, !text.isAbsolute {
            throw UsageError(option.origin, "'\(text)' is a relative path; a profile needs an absolute one "
                + "(use ${PWD} or ${HOME})")
        }
        return (text.isAbsolute ? text : directory + "/" + text).normalized
    }
}
