/// Turns options, in order, into a `Plan`. Pure: every check that needs no system call is made here,
/// so that a bad command line fails before any namespace exists.
///
/// One pass over the options: `Compilation.apply` hands each to the rules of its concern, one file
/// each (CompileHostPaths, CompileMounts, CompileOverlays, CompileIdentity, CompileNamespaces,
/// CompileProcess, CompileSyscalls, CompileLandlock; bwrap mode's defaults in CompileBwrap). Then
/// `finish` adds what needs every option, and makes the checks that do, in a fixed order: it decides
/// which error a command line with several mistakes gets.
public enum PlanCompiler {
    /// `requireCommand` is false for `sbox explain` and `sbox check`, which run nothing.
    public static func compile(_ invocation: Invocation, host: HostContext, mode: Mode = .sbox,
                               requireCommand: Bool = true) throws(UsageError) -> Plan {
        guard invocation.options.count <= CommandLineParser.maximumOptions else {
            throw UsageError("the profiles and options give more than \(CommandLineParser.maximumOptions) directives: "
                + "no sandbox needs that many")
        }
        guard !invocation.command.isEmpty || !requireCommand else {
            throw UsageError(mode == .bwrap ? "No command specified"
                                            : "no command given (usage: sbox [OPTIONS] [--] COMMAND [ARG...])")
        }
        var compilation = Compilation(command: invocation.command, host: host, mode: mode)
        if mode == .bwrap { compilation.plan.notices += try BwrapArguments.check(invocation.options) }
        for option in invocation.options { try compilation.apply(option) }
        try compilation.finish()
        return compilation.plan
    }
}

extension Compilation {
    /// The option to the rules of its concern. A switch over every option: a new one does not
    /// compile until it has a concern.
    mutating func apply(_ option: ParsedOption) throws(UsageError) {
        try checkPendingMounts(before: option)
        switch option.name {
        case .ro, .rw, .roTry, .rwTry, .hide, .privateHome, .roHome, .roCwd, .rwCwd, .rwCreate, .exposeArgs,
             .x11, .wayland, .pulseaudio, .pipewire:
            try applyHostPath(option)
        case .bind, .bindTry, .roBind, .roBindTry, .devBind, .devBindTry, .remountRO, .tmpfs, .proc, .dev, .mqueue,
             .dir, .symlink, .chmod, .perms, .size:
            try applyMount(option)
        case .file, .bindData, .roBindData, .bindFD, .roBindFD: try applyDescriptorMount(option)
        case .overlaySrc, .overlay, .tmpOverlay, .roOverlay: try applyOverlay(option)
        case .uid, .gid, .hostname, .chdir, .setenv, .unsetenv, .clearenv, .argv0, .dropCredentials, .keepenv:
            try applyIdentity(option)
        case .shareNet, .sharePID, .shareIPC, .shareUTS, .shareCgroup, .unshareAll, .unshareUser, .unshareUserTry,
             .unshareIPC, .unsharePID, .unshareNet, .unshareUTS, .unshareCgroup, .unshareCgroupTry,
             .userns, .userns2, .pidns, .usernsBlockFD, .disableUserns, .assertUsernsDisabled:
            try applyNamespace(option)
        case .asPID1, .newSession, .dieWithParent, .verbose, .execLabel, .fileLabel: try applyProcess(option)
        case .timeout, .rlimitNofile, .rlimitNproc, .rlimitAs, .rlimitCpu, .rlimitFsize, .rlimitCore:
            try applyLimit(option)
        case .infoFD, .jsonStatusFD, .syncFD, .blockFD, .lockFile: try applyCallerProtocol(option)
        case .syscalls, .syscallsDeny, .seccomp, .addSeccompFD, .unsafeNoSeccomp, .seccompAction, .capAdd, .capDrop:
            try applySyscalls(option)
        case .landlock, .landlockRead, .landlockWrite, .landlockConnect, .landlockBind: try applyLandlock(option)
        case .allowHost: try applyEgress(option)
        case .levelPrefix, .args, .help, .version:
            break  // answered by the command line before compiling; --args is spliced in by the parser
        case .profile, .include:
            // Profiles are read and spliced in by ProfileLoader.options(for:) before compiling.
            throw UsageError(option.origin, "profiles must be loaded before the plan is compiled")
        }
    }

    /// What needs every option, then the checks that need them all. Their order decides which error
    /// a command line breaking several rules gets: keep it.
    mutating func finish() throws(UsageError) {
        finishHostPaths()
        if dropsCredentials { dropCredentials() }
        try checkOverlaysEnded()
        try settleUserNamespaces()
        try settleLandlock()
        try settleEgress()
        try checkModifiersUsed()
        try checkHostname()
        try checkMessageQueue()
        try checkPIDOne()
    }

    /// An option handed to rules that are not its own: a mistake in `apply`, refused rather than ignored.
    func misrouted(_ option: ParsedOption) -> UsageError {
        UsageError(option.origin, "internal error: no rule of the compiler takes this option")
    }
}
