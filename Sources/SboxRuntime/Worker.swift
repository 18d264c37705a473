import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's last process before the program: it builds the root, locks the mounts, enters the
/// program's directory, gives up its privileges, and becomes the program.
struct Worker {
    let prepared: Prepared
    /// Its ends of sbox's pipes.
    var ends = Ends()
    let system: SystemCalls

    var plan: Plan { prepared.plan }

    struct Ends {
        /// --json-status-fd: about to execute the program, and again if that failed.
        var started: FileDescriptor?
        /// sbox learn: this process's pid and its listener's number.
        var learning: FileDescriptor?
        /// The program's pid once all its namespaces exist, and the supervisor's answer.
        var programPID: FileDescriptor?
        var programAnswer: FileDescriptor?
        /// To the init: the mounts are ready and locked (and this process's pid).
        var mountsLocked: FileDescriptor?
        /// From the init: it holds the --lock-file locks.
        var locksHeld: FileDescriptor?
        /// The program's pseudo-terminal (its slave).
        var terminal: FileDescriptor?
        /// allow-host: where the egress proxy's listener goes to the supervisor.
        var proxy: FileDescriptor?
    }

    /// Builds the sandbox around this process, then executes the program in it.
    func run(proc: FileDescriptor, network: Network.Setup, callerMask: SignalSet) -> Never {
        do {
            let directory = try isolate(proc: proc, network: network)
            execute(in: directory, callerMask: callerMask)
        } catch {
            Diagnostics.error("\(error)")
            _exit(plan.mode.failureStatus)
        }
    }

    /// File system, network, mount lock, host name, working directory, privileges, descriptors,
    /// Landlock, limits, filters: everything but the exec. Returns the working directory.
    func isolate(proc: FileDescriptor, network: Network.Setup) throws(SandboxError) -> ByteString {
        try reopenDevicesReadOnly(proc: proc)
        let rootCover = try buildRoot()
        try step("setting up the network namespace") { () throws(SystemError) in
            try Network.join(network, proc: proc, system: system)
        }
        if let fd = plan.userNamespaceAfterSetup {
            try step("--userns2 \(fd): entering the user namespace") { () throws(SystemError) in
                try system.joinNamespace(descriptor: fd, type: .user)
            }
        }
        try lockMounts(proc: proc)
        let hostPID = report(proc: proc)
        if let hostname = plan.hostname {
            try step("--hostname \(hostname)") { () throws(SystemError) in try system.setHostname(hostname) }
        }
        try step("setting up the network namespace") { () throws(SystemError) in
            try Network.bringUp(network, system: system)
        }
        if let proxy = ends.proxy {
            // The proxy listens in the sandbox's namespace; sbox serves it from outside.
            try step("the egress proxy's listener") { () throws(SystemError) in
                try system.sendLoopbackListener(port: EgressPolicy.port, over: proxy)
                system.close(proxy)
            }
        }
        let directory = try enterWorkingDirectory()
        try step("dropping privileges") { () throws(SystemError) in
            try Capabilities.drop(keeping: plan.capabilities, uid: plan.uid, system: system)
        }
        if let block = plan.blockDescriptor {
            try step("--block-fd \(block)") { () throws(SystemError) in try system.waitForData(on: block) }
        }
        try giveTerminalAndDescriptors()
        try restrict(rootCover: rootCover)
        try loadFilters(hostPID: hostPID)
        return directory
    }

    /// The root, built in the order given; the index of the last step that covered the root itself.
    private func buildRoot() throws(SandboxError) -> Int? {
        // A PID namespace joined with --pidns is the sandbox's too: /proc is a procfs of it.
        let namespaces = plan.joinedPIDNamespace == nil ? plan.namespaces : plan.namespaces.union(.pid)
        let builder = RootBuilder(system: system, readOnlyRoot: plan.readOnlyRoot, mode: plan.mode, data: prepared.data,
                                  descriptorSources: prepared.descriptorSources, argumentPaths: plan.argumentPaths,
                                  callerIsHostRoot: plan.hostUID == 0)
        return try builder.build(prepared.mounts, namespaces: namespaces, terminal: prepared.console)
    }

    /// A nested user and mount namespace: the mounts made so far are locked together and their
    /// read-only flags cannot be cleared, even by a process that kept CAP_SYS_ADMIN.
    private func lockMounts(proc: FileDescriptor) throws(SandboxError) {
        if plan.disableUserNamespaces {
            // As bwrap: a limit of one user namespace in the sandbox's, used up by the nested one
            // below, which the program cannot leave to raise it again.
            try step("--disable-userns") { () throws(SystemError) in
                try system.writeFile("sys/user/max_user_namespaces", in: proc, contents: "1")
            }
        }
        let lock = prepared.topology.lock
        if lock != nil || plan.disableUserNamespaces {
            try step(lock != nil ? "locking the mounts" : "--disable-userns") { () throws(SystemError) in
                try system.unshare(lock ?? .user)
                // sbox's own user namespace denies setgroups, and the nested one inherits it; one the
                // caller brought (--userns, --userns-block-fd) may allow it: then it is denied here.
                let inherited = plan.joinedUserNamespace == nil && plan.usernsBlockDescriptor == nil
                try IDMaps.write(uid: plan.uid, gid: plan.gid, outerUID: plan.uid, outerGID: plan.gid, proc: proc,
                                 denySetgroups: !inherited, system: system)
            }
        }
        if plan.disableUserNamespaces || plan.assertUserNamespacesDisabled {
            if (try? system.unshare(.user)) != nil {
                throw SandboxError("creation of new user namespaces was not disabled as requested")
            }
        }
    }

    /// Tells the init that the mounts are locked, and the supervisor the program's pid; waits for the
    /// supervisor to have read it, and for the init to hold the locks. Then /proc is closed. Returns
    /// this process's pid in the host's /proc, where anyone needs it.
    private func report(proc: FileDescriptor) -> Int32 {
        // This process's pid in the host's /proc, for the init and the supervisor.
        let hostPID = ends.mountsLocked == nil && ends.programPID == nil && ends.learning == nil
            ? -ESRCH : system.readSymlink("self", in: proc).flatMap { Int32($0.lossy) } ?? -ESRCH
        if let mountsLocked = ends.mountsLocked {
            system.sendReport(hostPID, to: mountsLocked)
            system.close(mountsLocked)
        }
        if let programPID = ends.programPID, let answer = ends.programAnswer {
            system.sendReport(hostPID, to: programPID)
            guard (try? system.receiveReport(from: answer)) == 1 else { _exit(plan.mode.failureStatus) }
            system.close(programPID)
            system.close(answer)
        }
        if let locksHeld = ends.locksHeld {
            // The program starts only once the locks are held. The init has said why if it failed.
            guard (try? system.receiveReport(from: locksHeld)) == 1 else { _exit(plan.mode.failureStatus) }
            system.close(locksHeld)
        }
        system.close(proc)
        return hostPID
    }

    /// The program's terminal on the relayed descriptors; every other descriptor closed, in sbox mode.
    private func giveTerminalAndDescriptors() throws(SandboxError) {
        // The init holds --sync-fd, unless the program is PID 1.
        let sync = plan.needsInit ? nil : plan.syncDescriptor
        if let terminal = ends.terminal {
            try step("giving the program its terminal") { () throws(SystemError) in
                try system.attachTerminal(terminal, to: plan.relayedDescriptors, sessionLedByInit: plan.needsInit)
            }
        }
        if plan.passesDescriptors {
            if let fd = plan.syncDescriptor, sync == nil { system.close(fd) }
            return
        }
        try step("closing inherited file descriptors") { () throws(SystemError) in
            // The reports' descriptors are close-on-exec: the program never sees them.
            try system.closeDescriptors(from: 3, except: [sync, ends.started, ends.learning].compactMap { $0 })
        }
    }

    /// Each standard descriptor on a character device (the host's /dev/null, as cron and systemd
    /// give; the program's terminal: its slave, before it goes to them) is opened anew through a
    /// read-only copy of its node's mount, made while the host's paths are still there. Through the
    /// host's own node the program could fchmod it where the caller owns it: the host's /dev/null
    /// for a root caller, its terminal (then readable by other users) for anyone's. (Only there: the
    /// program has no capability over the host's files, and a copy costs a start about 0.2 ms;
    /// Preparation tells which, as the host sees their owners.) A node that cannot be copied as the
    /// very file (deleted, or its path swapped since) ends the start. (None in bwrap mode, which
    /// passes descriptors as they are and relays no terminal.)
    private func reopenDevicesReadOnly(proc: FileDescriptor) throws(SandboxError) {
        for fd in prepared.ownDevices + [ends.terminal].compactMap({ $0 }) {
            let path = system.readSymlink(ByteString("self/fd/\(fd)"), in: proc) ?? ByteString("?")
            // Its node no longer where its path says (deleted, or behind a detached mount): it cannot
            // be handed over read-only, and the program would change the host's: nothing runs.
            guard path.isAbsolute, let node = try? system.cloneMountTree(path, in: nil) else {
                throw SandboxError("descriptor \(fd) is a device of yours whose node (\(path)) is not reachable: "
                    + "it cannot be handed over read-only; open it from a path that exists")
            }
            defer { system.close(node) }
            guard system.identity(of: node) == system.identity(of: fd) else {
                throw SandboxError("descriptor \(fd) is a device of yours whose path (\(path)) now leads to "
                    + "another file: it cannot be handed over read-only; open it from a path that exists")
            }
            try step("descriptor \(fd) through a read-only copy of \(path)") { () throws(SystemError) in
                try system.setMountAttributes(node, [.readOnly, .noSetuid, .noExec], recursive: false)
                try system.reopen(fd, through: node, proc: proc)
            }
        }
    }

    /// Landlock, which mirrors the mounts as resolved on the host, and the resource limits.
    private func restrict(rootCover: Int?) throws(SandboxError) {
        if let landlock = prepared.landlock {
            // What covered the root through a symlink, unless the plan made the root read-only after.
            var cover = rootCover.flatMap { LandlockPolicy.access(of: prepared.mounts[$0].step)?.1 }
            if cover == .write && prepared.mounts.contains(where: { $0.step == .remountReadOnly("/") }) {
                cover = .read
            }
            // A path exposed as the symlink it is (/bin -> usr/bin) or an absent optional source
            // grants nothing, and costs no rule.
            let mirror = LandlockPolicy.mirror(of: prepared.mounts, readOnlyRoot: plan.readOnlyRoot)
            try Landlock.restrict(plan.landlock, landlock, mirror: mirror, rootCover: cover, system: system)
        }
        for limit in plan.resourceLimits {
            try step("\(limit.origin)") { () throws(SystemError) in
                try system.setResourceLimit(limit.kind, to: limit.value)
            }
        }
    }

    /// Last: from here on, what the program may do is what the filters allow. The caller's first,
    /// since sbox's own refuses seccomp() itself.
    private func loadFilters(hostPID: Int32) throws(SandboxError) {
        for given in prepared.givenFilters {
            do { try system.loadSeccompFilter(given) } catch {
                guard plan.mode == .bwrap else {
                    throw SandboxError("loading the seccomp filter given with --seccomp: \(error)")
                }
                // bwrap's words (an empty program gets EINVAL too).
                throw SandboxError(error.errno == EINVAL
                    ? "Unable to set up system call filtering as requested: prctl(PR_SET_SECCOMP) "
                        + "reported EINVAL. (Hint: this requires a kernel configured with CONFIG_SECCOMP "
                        + "and CONFIG_SECCOMP_FILTER.)"
                    : "\(error)")
            }
        }
        if let learning = ends.learning {
            // The supervisor copies the listener as soon as it exists, then answers its notifications.
            system.sendReport(hostPID, to: learning)
            system.sendReport(system.lowestFreeDescriptor(), to: learning)
            try step("loading the seccomp filter") { () throws(SystemError) in
                _ = try system.loadSeccompFilterWithListener(prepared.filter)
            }
        } else if !prepared.filter.isEmpty {
            try step("loading the seccomp filter") { () throws(SystemError) in
                try system.loadSeccompFilter(prepared.filter)
            }
        }
    }

    /// --chdir if given (it must work); else the caller's directory if it exists inside, else $HOME, else /.
    private func enterWorkingDirectory() throws(SandboxError) -> ByteString {
        switch plan.workingDirectory {
        case .given(let directory):
            try step("--chdir \(directory)") { () throws(SystemError) in try system.changeDirectory(directory) }
            return directory
        case .caller(let directory):
            if (try? system.changeDirectory(directory)) != nil { return directory }
        case .home: break
        }
        if let entry = plan.environment.first(where: { $0.hasPrefix("HOME=") }) {
            let home = entry.dropFirst(5)
            if (try? system.changeDirectory(home)) != nil { return home }
        }
        return "/"
    }

    /// execve, or the shells' statuses and words when it fails (bwrap's in its mode).
    private func execute(in directory: ByteString, callerMask: SignalSet) -> Never {
        let environment = plan.environment.filter { !$0.hasPrefix("PWD=") } + ["PWD=" + directory]
        let command = plan.command[0]
        var arguments = plan.command
        arguments[0] = plan.argv0 ?? command
        if plan.verbose {
            // The clock is read through the vDSO: no system call for the filter to refuse.
            let now = system.monotonicTime()
            let start = prepared.startTime
            let micros = (now.tv_sec - start.tv_sec) * 1_000_000 + (now.tv_nsec - start.tv_nsec) / 1000
            Diagnostics.error("the sandbox was ready in \(micros / 1000).\(micros % 1000 / 100) ms; running \(command)")
        }
        Signals(system: system).restore(callerMask)
        if let started = ends.started { system.sendReport(0, to: started) }
        let error = system.execute(command, arguments: arguments, environment: environment)
        // A second report: the program did not start after all (bwrap's protocol for --json-status-fd).
        if let started = ends.started { system.sendReport(0, to: started) }
        let reason = SystemError("", errno: error).reason
        guard plan.mode == .sbox else {
            Diagnostics.error("execvp \(command): \(reason)")
            _exit(1)
        }
        // 127 when the command is not found, 126 when it is there but cannot be executed, as the shells do.
        Diagnostics.error("cannot run \(command): \(reason)"
                          + notFoundHint(command, error: error, directory: directory))
        _exit(error == ENOENT || error == ENOTDIR ? ExitStatus.notFound : ExitStatus.cannotExecute)
    }

    /// A command given relative to the current directory, which the sandbox does not show: say so.
    private func notFoundHint(_ command: ByteString, error: Int32, directory: ByteString) -> String {
        guard error == ENOENT, command.contains(UInt8(ascii: "/")), !command.isAbsolute,
              case .caller(let caller) = plan.workingDirectory, directory != caller else { return "" }
        return " (looked for in \(directory), where the program starts: "
            + "the sandbox does not show the current directory \(caller);"
            + " ro-cwd or --ro \(caller) would)"
    }

    private func step(_ what: String, _ body: () throws(SystemError) -> Void) throws(SandboxError) {
        do { try body() } catch { throw .failed(what, error) }
    }
}
