import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The whole sequence in one place (as nsjail's `contain`): what the supervisor does outside, and
/// what the sandbox does to itself before it runs the program. Every mechanism has its own file.
public enum Sandbox {
    /// Runs `plan` and returns the program's exit status. Throws when the sandbox cannot be built
    /// before the program starts; failures inside the new namespaces exit with status 125.
    /// `learner`: sbox learn's recorder, for a plan from Learning.plan.
    public static func run(_ plan: Plan, system: SystemCalls = LinuxSystemCalls(), learner: Learner? = nil) throws(SandboxError) -> Int32 {
        var startTime = timespec()
        if plan.verbose { clock_gettime(CLOCK_MONOTONIC, &startTime) }
        for notice in plan.notices { Diagnostics.warning(notice) }
        if plan.diesWithCaller {
            do { try system.dieWithParent() } catch { throw SandboxError("--die-with-parent: \(error)") }
        }
        // 1. Everything that reads the host happens before any namespace exists.
        if let threads = system.threadCount(), threads != 1 {
            throw SandboxError("sbox has \(threads) threads, but a user namespace can only be created by a single-threaded process")
        }
        try requireOpen(plan, system: system)
        for directory in plan.ownDirectories { createMissing(directory, system: system) }
        try createDirectories(plan.createdDirectories, system: system)
        let descriptorSources = try RootBuilder.descriptorSources(plan.mounts, system: system)
        let generated = RootBuilder.generateData(plan.mounts, system: system)
        let mounts = try RootBuilder.resolveSources(generated.mounts, mode: plan.mode, system: system)
        try OwnDirectories.check(mounts, plan: plan, system: system)
        let filter = try SeccompFilter.program(for: plan)
        let givenFilters = try SeccompFilter.read(plan.filterDescriptors, mode: plan.mode)
        let data = try RootBuilder.readData(mounts) + generated.data
        let landlock: LandlockEnforcement?
        do { landlock = try LandlockEnforcement.of(plan.landlock, abi: plan.landlock.mode == .off ? 0 : system.landlockABI()) } catch {
            throw SandboxError(error.message)
        }
        // sbox mode: a new pseudo-terminal, relayed, where the caller's standard descriptors are a
        // terminal (it is /dev/console too); bwrap mode: the caller's terminal, as bwrap binds it.
        let pty = try plan.relayedDescriptors.first.map { (fd) throws(SandboxError) in try PseudoTerminal.open(like: fd) }
        let console = plan.mode == .bwrap ? hostTerminal() : pty?.path
        if plan.reapsDescendants && (landlock?.scopes ?? 0) & LandlockScope.signal == 0 {
            // In the host's PID namespace the program sees sbox's init and supervisor, and only
            // Landlock's scoping keeps it from killing them and running on unsupervised.
            let why = plan.landlock.mode == .off ? "Landlock is off" : "this kernel's Landlock lacks it"
            throw SandboxError("--share-pid needs Landlock's signal scoping (ABI 6, Linux 6.12), which keeps the program from killing sbox "
                + "and running on unsupervised; \(why): drop --share-pid")
        }
        var setup = Setup(plan: plan, mounts: mounts, terminal: console, filter: filter, givenFilters: givenFilters, data: data, system: system)
        setup.terminalSlave = pty?.slave ?? -1
        // The init says when the program stops (Ctrl-Z), for sbox to stop too.
        let stops = pty != nil && plan.needsInit ? try Descriptors.signallingPipe() : nil
        setup.stopReport = stops?[1] ?? -1
        setup.descriptorSources = descriptorSources
        setup.landlock = landlock
        setup.startTime = startTime
        // With the mount lock, the program's process reports its pid once all its namespaces exist,
        // and waits until the supervisor has read them (--info-fd, --json-status-fd).
        let reports = plan.programReportsStatus
        let program = reports ? try Descriptors.reportPipe() : [-1, -1], reported = reports ? try Descriptors.reportPipe() : [-1, -1]
        if reports { setup.programReport = (program[1], reported[0]) }
        let proc: FileDescriptor
        do { proc = try system.openDirectory("/proc") } catch { throw SandboxError("\(error)") }
        let callerMask = Signals.block()
        // The sandbox holds the read end: it reads end-of-file once sbox is gone.
        let lifeline = try Descriptors.reportPipe()
        // For --json-status-fd: the worker reports just before it executes the program, as bwrap
        // does, so that an exit code is reported only for a program that was started.
        let started = plan.jsonStatusDescriptor != nil ? try Descriptors.reportPipe() : [-1, -1]
        setup.startedReport = started[1]
        // sbox learn: the worker says where its listener will be.
        let learning = learner != nil ? try Descriptors.reportPipe() : [-1, -1]
        setup.learnReport = learning[1]
        // The init reports the program's status before the namespaces' teardown (SIGIO wakes sbox).
        // Only where every process of the sandbox has the init's single id, so that it can end them
        // all without a capability, and where the sandbox dies with sbox, so that even a program
        // that wrote a false status through the init's descriptors would be ended with it.
        let earlyStatus = plan.needsInit && plan.namespaces.contains(.pid) && plan.lockMounts && plan.dieWithParent
            && plan.joinedUserNamespace == nil && plan.usernsBlockDescriptor == nil && learner == nil
        let ended = earlyStatus ? try Descriptors.signallingPipe() : nil
        setup.endedReport = ended?[1] ?? -1

        // 2. The sandbox's first process, in its new namespaces. The supervisor stays outside, but for
        // --userns and --pidns, which it joins first, so that the first process is created in them.
        try joinCallersNamespaces(plan, system: system)
        if plan.reapsDescendants {
            // The init's orphans come here if the init is killed (--timeout, or by the program).
            do { try Descendants.adopt() } catch { throw SandboxError("\(error)") }
        }
        let pid: Int32
        do {
            pid = try system.clone(namespaces: setup.cloneFlags)
        } catch {
            throw SandboxError(UserNamespaceDiagnosis.explain(error))
        }
        if pid == 0 {
            close(lifeline[1])
            if let pty { close(pty.master) }
            if let stops { close(stops[0]) }
            if started[0] >= 0 { close(started[0]) }
            if learning[0] >= 0 { close(learning[0]) }
            if let ended { close(ended[0]) }
            if program[0] >= 0 { close(program[0]); close(reported[1]) }
            setup.runInside(lifeline: lifeline[0], proc: proc, callerMask: callerMask)
        }
        close(lifeline[0])
        if !plan.reapsDescendants { system.close(proc) }
        if let pty { close(pty.slave) }
        if let stops { close(stops[1]) }
        if started[1] >= 0 { close(started[1]) }
        if learning[1] >= 0 { close(learning[1]) }
        if let ended { close(ended[1]) }
        // 3. Forward signals until the sandbox ends, or until --timeout ends it: the first process is
        // PID 1 of the sandbox's PID namespace, and the kernel ends every process in it with it. Also
        // while waiting for the program's report: a setup that hangs still ends at the deadline.
        var wait = SandboxWait(pid: pid, timeout: plan.timeoutMilliseconds, ended: ended?[0])
        var endedEarly: Int32?
        if program[0] >= 0 {
            close(program[1]); close(reported[0])
            // Nothing arrives if the setup failed before the lock: then there is no program to report.
            switch wait.report(from: program[0]) {
            case .value(let programPID) where programPID > 0:
                StatusReport.started(programPID, plan: plan)
                system.sendReport(1, to: reported[1])
            case .ended(let status): endedEarly = status
            default: break
            }
            close(program[0]); close(reported[1])
        } else {
            StatusReport.started(pid, plan: plan)
        }
        var relay = pty.map { TerminalRelay(master: $0.master, relayed: plan.relayedDescriptors) }
        var (status, timedOut) = endedEarly.map { ($0, wait.timedOut) }
            ?? serve(&wait, relay: &relay, stops: stops?[0], learner: learner, report: learning[0])
        if let pty { close(pty.master) }
        if timedOut {
            let limit = plan.timeoutMilliseconds ?? 0
            Diagnostics.error("--timeout: the sandbox ran for " + (limit % 1000 == 0 ? "\(limit / 1000) s" : "\(limit) ms") + " and was ended")
            status = ExitStatus.timedOut
        }
        if plan.reapsDescendants {
            Descendants.end(proc: proc)
            system.close(proc)
        }
        explainLimit(status, plan: plan)
        StatusReport.ended(status, programStarted: started[0], plan: plan)
        return status
    }

    /// Until the sandbox ends: the terminal relay, sbox learn's listener, or only the signals.
    static func serve(_ wait: inout SandboxWait, relay: inout TerminalRelay?, stops: FileDescriptor?, learner: Learner?,
                      report: FileDescriptor) -> (status: Int32, timedOut: Bool) {
        var listener: FileDescriptor?
        if let learner {
            switch learner.takeListener(&wait, report: report) {
            case .taken(let fd): listener = fd
            case .ended(let status, let timedOut): return (status, timedOut)
            case .none: break
            }
        }
        defer { if let listener { close(listener) } }
        if relay != nil {
            return relay!.run(&wait, stops: stops, service: listener.map { fd in (fd, { learner?.answer(fd) }) })
        }
        if let learner, let listener { return learner.serve(listener, &wait) }
        return wait.finish()
    }

    /// rw-create: each missing directory on the way, made private to the user (the plan allows only
    /// directories in the home).
    static func createDirectories(_ directories: [PlannedDirectory], system: SystemCalls) throws(SandboxError) {
        for directory in directories {
            var partial = ByteString.root
            for component in directory.path.split(separator: UInt8(ascii: "/")) where !component.isEmpty {
                partial = partial.appending(component)
                do { try system.makeDirectory(partial, permissions: 0o700) } catch where error.errno == EEXIST {} catch {
                    throw SandboxError("\(directory.origin): making \(partial): \(error.reason)")
                }
            }
        }
    }

    /// The descriptors the caller names must be open: a number it did not open could become one of
    /// sbox's own pipes, and sbox would wait on or write to itself.
    static func requireOpen(_ plan: Plan, system: SystemCalls) throws(SandboxError) {
        func check(_ fd: Int32?, _ option: String) throws(SandboxError) {
            guard let fd, system.identity(of: fd) == nil else { return }
            throw SandboxError("\(option) \(fd): descriptor \(fd) is not open")
        }
        try check(plan.syncDescriptor, "--sync-fd")
        try check(plan.blockDescriptor, "--block-fd")
        try check(plan.infoDescriptor, "--info-fd")
        try check(plan.jsonStatusDescriptor, "--json-status-fd")
        try check(plan.usernsBlockDescriptor, "--userns-block-fd")
        try check(plan.joinedUserNamespace, "--userns")
        try check(plan.joinedPIDNamespace, "--pidns")
        try check(plan.userNamespaceAfterSetup, "--userns2")
    }

    /// Says which --rlimit-* killed the program, where its signal tells.
    /// (No array of tuples: its generic metadata would be built at every run.)
    static func explainLimit(_ status: Int32, plan: Plan) {
        if status == 128 + SIGSEGV, let limit = plan.resourceLimits.first(where: { $0.kind == .addressSpace && $0.value != nil }) {
            Diagnostics.error("the program was killed by SIGSEGV: it may have run out of address space (\(limit.origin))")
            return
        }
        guard !plan.resourceLimits.isEmpty, status == 128 + SIGXCPU || status == 128 + SIGXFSZ else { return }
        let cpu = status == 128 + SIGXCPU
        guard let limit = plan.resourceLimits.first(where: { $0.kind == (cpu ? .cpuSeconds : .fileSize) }) else { return }
        let what = cpu ? "used up its CPU time" : "wrote a file beyond its size limit"
        Diagnostics.error("the program \(what) (\(limit.origin)) and was killed by SIG\(cpu ? "XCPU" : "XFSZ")")
    }

    /// --userns: the joined user namespace owns the new ones (and gives the capabilities to make them).
    /// --pidns: the sandbox's processes are created in the joined PID namespace, or in a new one inside it.
    static func joinCallersNamespaces(_ plan: Plan, system: SystemCalls) throws(SandboxError) {
        if let fd = plan.joinedUserNamespace {
            do { try system.joinNamespace(descriptor: fd, type: SBOX_CLONE_NEWUSER) } catch {
                let hint = error.errno == EINVAL ? " (it might not be a descendant of the current user namespace)" : ""
                throw SandboxError("--userns \(fd): joining the user namespace: \(error.reason)\(hint)")
            }
        }
        if let fd = plan.joinedPIDNamespace {
            do { try system.joinNamespace(descriptor: fd, type: SBOX_CLONE_NEWPID) } catch {
                throw SandboxError("--pidns \(fd): joining the PID namespace: \(error.reason)")
            }
        }
    }

    /// sbox's own directories exist before the sandbox does, so that their hides cover them: else a
    /// program could create them through a writable home and leave a profile for the next run. What
    /// the caller cannot create, the sandbox (the same user, with less access) cannot either. Only
    /// the last two levels (~/.config and its sbox) are created: nothing where the home is missing.
    static func createMissing(_ directory: ByteString, system: SystemCalls) {
        // One mkdir when the directory exists (EEXIST), which is every run but the first.
        do { try system.makeDirectory(directory, permissions: 0o700) } catch where error.errno == ENOENT {
            let parent = directory.parent
            guard parent != ByteString.root, (try? system.makeDirectory(parent, permissions: 0o700)) != nil else { return }
            try? system.makeDirectory(directory, permissions: 0o700)
        } catch {}
    }

    /// The host terminal on stdout, bound to /dev/console by --dev as bwrap does.
    static func hostTerminal() -> ByteString? {
        guard isatty(1) == 1, let name = ttyname(1) else { return nil }
        return ByteString(cString: name)
    }
}

/// What the sandbox's first process does to itself, in order, before the program runs.
struct Setup {
    let plan: Plan
    let mounts: [PlannedMount]
    let terminal: ByteString?
    /// The seccomp program, built before any namespace exists.
    let filter: [UInt8]
    /// Programs given with --seccomp and --add-seccomp-fd, read before any namespace exists.
    var givenFilters: [[UInt8]] = []
    /// Data for --file, --bind-data and --ro-bind-data.
    var data: [RootBuilder.DataFile] = []
    /// When Sandbox.run began (--verbose): the worker says how long the setup took.
    var startTime = timespec()
    /// What the --bind-fd descriptors referred to before any namespace existed.
    var descriptorSources: [RootBuilder.DescriptorSource] = []
    /// What this kernel makes of the plan's Landlock policy (nil: none).
    var landlock: LandlockEnforcement?
    /// Where the worker reports that it is about to execute the program, and again if that failed
    /// (--json-status-fd), or -1.
    var startedReport: Int32 = -1
    /// Where the init reports the program's status before its own exit, or -1.
    var endedReport: Int32 = -1
    /// sbox learn: where the worker reports its pid and its listener's number, or -1.
    var learnReport: Int32 = -1
    /// The program's pseudo-terminal (its slave), or -1; and where the init reports that the program
    /// stopped, or -1.
    var terminalSlave: FileDescriptor = -1
    var stopReport: FileDescriptor = -1
    /// Where the worker reports its pid after the mount lock, and where the supervisor answers.
    var programReport: (pid: Int32, answer: Int32)?
    let system: SystemCalls

    // Which process creates each namespace, and so which user namespace owns it.
    //  - With the sandbox's first process: user and mount (the root is built there), PID (the init is
    //    its PID 1) and IPC (--mqueue mounts the sandbox's own during the build).
    //  - With the nested user namespace that locks the mounts, so that capabilities kept with
    //    --cap-add apply to them: UTS, cgroup, and the network unless the init creates it.
    //  - By the init, in parallel with the build, when the program keeps no capabilities: the
    //    network, the most expensive one (Network.swift).

    //  - Without the mount lock (bwrap mode), every namespace is created with the first process.

    var cloneFlags: Int32 {
        // With --pidns, the new PID namespace is made by the first process (see runInside).
        let pid = plan.joinedPIDNamespace == nil ? 0 : SBOX_CLONE_NEWPID
        guard plan.lockMounts else { return plan.namespaces.cloneFlags & ~pid }
        return (plan.namespaces.contains(.user) ? SBOX_CLONE_NEWUSER : 0) | SBOX_CLONE_NEWNS
            | (plan.namespaces.contains(.pid) && pid == 0 ? SBOX_CLONE_NEWPID : 0)
            | (plan.namespaces.contains(.ipc) ? SBOX_CLONE_NEWIPC : 0)
    }

    var initCreatesNetwork: Bool {
        plan.lockMounts && plan.needsInit && plan.capabilities.isEmpty && plan.namespaces.contains(.net)
    }

    var lockFlags: Int32 {
        SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS
            | (plan.namespaces.contains(.uts) ? SBOX_CLONE_NEWUTS : 0)
            | (plan.namespaces.contains(.cgroup) ? SBOX_CLONE_NEWCGROUP : 0)
            | (plan.namespaces.contains(.net) && !initCreatesNetwork ? SBOX_CLONE_NEWNET : 0)
    }

    /// bwrap's --lock-file: the init holds the locks, where the program cannot release them.
    private var holdsLocks: Bool { plan.needsInit && !plan.lockFiles.isEmpty }

    /// The init joins the locked mounts only to release the first mount namespace before its own exit,
    /// which sbox does not wait for when the init reports the status early (`endedReport`): then it
    /// does not wake up while the worker sets the sandbox up.
    var initJoinsLockedMounts: Bool { plan.needsInit && plan.lockMounts && endedReport < 0 }
    /// The worker tells the init when its mounts are ready (and locked).
    var initWaitsForMounts: Bool { initJoinsLockedMounts || holdsLocks }

    /// The network when the init does not create it.
    private var networkAtLock: Network.Setup { plan.namespaces.contains(.net) ? .created : .host }

    /// The sandbox's first process: PID 1 of the new namespaces.
    func runInside(lifeline: Int32, proc: FileDescriptor, callerMask: sigset_t) -> Never {
        // The supervisor writes the status; a copy held here would keep the caller from reading its end.
        if let fd = plan.infoDescriptor { close(fd) }
        if let fd = plan.jsonStatusDescriptor { close(fd) }
        do {
            if plan.dieWithParent {
                // Dies with sbox; and if sbox died before that was set, the lifeline is already closed.
                // Without a PID namespace, the init ends the program's processes first (SIGIO is blocked:
                // it waits for it).
                let signal = plan.reapsDescendants ? SIGIO : SIGKILL
                try step("tying the sandbox to sbox's life") { () throws(SystemError) in try system.setParentDeathSignal(signal) }
                var check = pollfd(fd: lifeline, events: Int16(POLLIN), revents: 0)
                guard poll(&check, 1, 0) == 0 else { _exit(plan.mode.failureStatus) }
            }
            // Out of the caller's directory, a part of the host's tree: pivot_root then takes the root
            // along for every process of the sandbox, and the init, which stays in the first mount
            // namespace, keeps nothing of the host's through its working directory.
            try step("leaving the caller's directory") { () throws(SystemError) in try system.changeDirectory("/") }
            try enterNamespaces(proc: proc)
            if plan.joinedPIDNamespace != nil && plan.namespaces.contains(.pid) {
                try enterNewPIDNamespace()
            }
            guard plan.needsInit else {
                runWorker(proc: proc, network: networkAtLock, lockReport: nil, locksHeld: nil, callerMask: callerMask)
            }
            if terminalSlave >= 0 {
                // The init leads the session that has the program's terminal (see PseudoTerminal.attach).
                try step("taking the program's terminal") { () throws(SystemError) in try system.controlTerminal(terminalSlave) }
            }
            // The worker builds the sandbox and becomes the program (PID 2); this process stays as init.
            // Pipes: the init reports the network it created; the worker reports that its mounts are
            // ready (locked); the init reports that it holds the --lock-file locks.
            let ownNetwork = initCreatesNetwork, reportsMounts = initWaitsForMounts
            let none: [Int32] = [-1, -1]
            let locked = reportsMounts ? try Descriptors.reportPipe() : none
            let ready = ownNetwork ? try Descriptors.reportPipe() : none
            let held = holdsLocks ? try Descriptors.reportPipe() : none
            var worker: Int32 = 0
            if plan.reapsDescendants {
                try step("adopting the program's orphans") { () throws(SystemError) in try Descendants.adopt() }
            }
            try step("starting the sandbox's worker") { () throws(SystemError) in worker = try system.fork() }
            if worker == 0 {
                if plan.dieWithParent && !plan.reapsDescendants {
                    // Outside a PID namespace of its own, nothing else ends the program with the init (bwrap
                    // mode). The init cannot have ended yet: it waits for this process.
                    try step("tying the program to the sandbox's init") { () throws(SystemError) in try system.setParentDeathSignal(SIGKILL) }
                }
                if endedReport >= 0 { close(endedReport) }
                if stopReport >= 0 { close(stopReport) }
                if reportsMounts { close(locked[0]) }
                if ownNetwork { close(ready[1]) }
                if holdsLocks { close(held[1]) }
                runWorker(proc: proc, network: ownNetwork ? .fromInit(ready[0]) : networkAtLock,
                          lockReport: reportsMounts ? locked[1] : nil, locksHeld: holdsLocks ? held[0] : nil, callerMask: callerMask)
            }
            if reportsMounts { close(locked[1]) }
            if holdsLocks { close(held[0]) }
            Signals.ignoreBrokenPipe()  // a worker that failed early no longer reads reports
            if ownNetwork {
                close(ready[0])
                Network.create(proc: proc, reportingTo: ready[1], system: system)
            }
            Init.run(program: worker, lockReport: reportsMounts ? locked[0] : nil, joinsMounts: initJoinsLockedMounts,
                     lockFiles: plan.lockFiles, sync: plan.syncDescriptor, locksHeld: holdsLocks ? held[1] : nil,
                     ended: endedReport >= 0 ? endedReport : nil, lifeline: plan.reapsDescendants ? lifeline : nil,
                     stops: stopReport >= 0 ? stopReport : nil, proc: proc,
                     system: system, failureStatus: plan.mode.failureStatus)
        } catch {
            Diagnostics.error("\(error)")
            _exit(plan.mode.failureStatus)
        }
    }

    /// --pidns with a new PID namespace: the kernel makes one only inside the namespace a process is
    /// itself in, and this process is in the joined one. Its child is PID 1 of the new one and goes on;
    /// this process waits for it and passes its status on, as bwrap's intermediate process does.
    private func enterNewPIDNamespace() throws(SandboxError) {
        var child: Int32 = 0
        try step("creating a PID namespace inside the one given with --pidns") { () throws(SystemError) in
            try system.unshare(SBOX_CLONE_NEWPID)
            child = try system.fork()
        }
        guard child != 0 else { return }
        do throws(SystemError) {
            try system.clearCapabilities()
            try system.closeDescriptors(from: 3, except: [])
        } catch {
            Diagnostics.error("dropping the intermediate process's privileges: \(error)")
            kill(child, SIGKILL)
            _exit(plan.mode.failureStatus)
        }
        _exit(Signals.forward(to: child))
    }

    /// The sandbox's ids map onto the caller's (or, with --userns-block-fd, the caller maps them and
    /// says when it is done); a new session keeps the program away from the caller's terminal (TIOCSTI).
    func enterNamespaces(proc: FileDescriptor) throws(SandboxError) {
        if plan.joinedUserNamespace != nil {
            // The joined namespace has its maps already.
        } else if let block = plan.usernsBlockDescriptor {
            try step("--userns-block-fd \(block)") { () throws(SystemError) in try system.waitForData(on: block) }
        } else {
            try writeIDMaps(proc: proc)
        }
        if plan.newSession {
            try step("starting a new session") { () throws(SystemError) in try system.startSession() }
        }
    }

    private func writeIDMaps(proc: FileDescriptor) throws(SandboxError) {
        do {
            try IDMaps.write(uid: plan.uid, gid: plan.gid, outerUID: plan.hostUID, outerGID: plan.hostGID, proc: proc, system: system)
        } catch {
            throw SandboxError(UserNamespaceDiagnosis.explain(error))
        }
    }

    /// Builds the sandbox around the calling process, then executes the program in it.
    private func runWorker(proc: FileDescriptor, network: Network.Setup, lockReport: FileDescriptor?, locksHeld: FileDescriptor?,
                           callerMask: sigset_t) -> Never {
        do {
            let directory = try isolate(proc: proc, network: network, lockReport: lockReport, locksHeld: locksHeld)
            let environment = plan.environment.filter { !$0.hasPrefix("PWD=") } + ["PWD=" + directory]
            let command = plan.command[0]
            var arguments = plan.command
            arguments[0] = plan.argv0 ?? command
            if plan.verbose {
                // The clock is read through the vDSO: no system call for the filter to refuse.
                var now = timespec()
                clock_gettime(CLOCK_MONOTONIC, &now)
                let micros = (now.tv_sec - startTime.tv_sec) * 1_000_000 + (now.tv_nsec - startTime.tv_nsec) / 1000
                Diagnostics.error("the sandbox was ready in \(micros / 1000).\(micros % 1000 / 100) ms; running \(command)")
            }
            Signals.restore(callerMask)
            if startedReport >= 0 { system.sendReport(0, to: startedReport) }
            let error = system.execute(command, arguments: arguments, environment: environment)
            // A second report: the program did not start after all (bwrap's protocol for --json-status-fd).
            if startedReport >= 0 { system.sendReport(0, to: startedReport) }
            let reason = SystemError("", errno: error).reason
            guard plan.mode == .sbox else {
                // bwrap's words and status.
                Diagnostics.error("execvp \(command): \(reason)")
                _exit(1)
            }
            // 127 when the command is not found, 126 when it is there but cannot be executed, as the shells do.
            Diagnostics.error("cannot run \(command): \(reason)" + notFoundHint(command, error: error, directory: directory))
            _exit(error == ENOENT || error == ENOTDIR ? ExitStatus.notFound : ExitStatus.cannotExecute)
        } catch {
            Diagnostics.error("\(error)")
            _exit(plan.mode.failureStatus)
        }
    }

    /// A command given relative to the current directory, which the sandbox does not show: say so.
    private func notFoundHint(_ command: ByteString, error: Int32, directory: ByteString) -> String {
        guard error == ENOENT, command.contains(UInt8(ascii: "/")), !command.isAbsolute, case .caller(let caller) = plan.workingDirectory,
              directory != caller else { return "" }
        return " (looked for in \(directory), where the program starts: the sandbox does not show the current directory \(caller);"
            + " ro-cwd or --ro \(caller) would)"
    }

    /// File system, network, mount lock, host name, working directory, privileges, descriptors.
    /// Returns the working directory. `lockReport` tells the init that the mounts are ready and
    /// locked, and where (the worker's pid); `locksHeld` is where it answers once it holds the
    /// --lock-file locks.
    func isolate(proc: FileDescriptor, network: Network.Setup, lockReport: FileDescriptor? = nil,
                 locksHeld: FileDescriptor? = nil) throws(SandboxError) -> ByteString {
        // A PID namespace joined with --pidns is the sandbox's too: /proc is a procfs of it.
        let namespaces = plan.joinedPIDNamespace == nil ? plan.namespaces : plan.namespaces.union(.pid)
        let rootCover = try RootBuilder(system: system, readOnlyRoot: plan.readOnlyRoot, mode: plan.mode, data: data, descriptorSources: descriptorSources,
                                        callerIsHostRoot: plan.hostUID == 0)
            .build(mounts, namespaces: namespaces, terminal: terminal)
        try step("setting up the network namespace") { () throws(SystemError) in
            try Network.join(network, proc: proc, system: system)
        }
        if let fd = plan.userNamespaceAfterSetup {
            try step("--userns2 \(fd): entering the user namespace") { () throws(SystemError) in
                try system.joinNamespace(descriptor: fd, type: SBOX_CLONE_NEWUSER)
            }
        }
        // A nested user and mount namespace: the mounts made above are now locked together and their
        // read-only flags cannot be cleared, even by a process that kept CAP_SYS_ADMIN.
        if plan.disableUserNamespaces {
            // As bwrap: a limit of one user namespace in the sandbox's, used up by the nested one
            // below, which the program cannot leave to raise it again.
            try step("--disable-userns") { () throws(SystemError) in
                try system.writeFile("sys/user/max_user_namespaces", in: proc, contents: "1")
            }
        }
        if plan.lockMounts || plan.disableUserNamespaces {
            try step(plan.lockMounts ? "locking the mounts" : "--disable-userns") { () throws(SystemError) in
                try system.unshare(plan.lockMounts ? lockFlags : SBOX_CLONE_NEWUSER)
                // sbox's own user namespace denies setgroups, and the nested one inherits it; one the
                // caller brought (--userns, --userns-block-fd) may allow it: then it is denied here.
                let inherited = plan.joinedUserNamespace == nil && plan.usernsBlockDescriptor == nil
                try IDMaps.write(uid: plan.uid, gid: plan.gid, outerUID: plan.uid, outerGID: plan.gid, proc: proc, denySetgroups: !inherited,
                                 system: system)
            }
        }
        if plan.disableUserNamespaces || plan.assertUserNamespacesDisabled {
            if (try? system.unshare(SBOX_CLONE_NEWUSER)) != nil {
                throw SandboxError("creation of new user namespaces was not disabled as requested")
            }
        }
        // This process's pid in the host's /proc, for the init and the supervisor.
        let hostPID = lockReport == nil && programReport == nil && learnReport < 0 ? -ESRCH : system.readSymlink("self", in: proc).flatMap { Int32($0.lossy) } ?? -ESRCH
        if let lockReport {
            system.sendReport(hostPID, to: lockReport)
            system.close(lockReport)
        }
        if let programReport {
            system.sendReport(hostPID, to: programReport.pid)
            guard (try? system.receiveReport(from: programReport.answer)) == 1 else { _exit(plan.mode.failureStatus) }
            system.close(programReport.pid)
            system.close(programReport.answer)
        }
        if let locksHeld {
            // The program starts only once the locks are held. The init has said why if it failed.
            guard (try? system.receiveReport(from: locksHeld)) == 1 else { _exit(plan.mode.failureStatus) }
            system.close(locksHeld)
        }
        system.close(proc)
        if let hostname = plan.hostname {
            try step("--hostname \(hostname)") { () throws(SystemError) in try system.setHostname(hostname) }
        }
        try step("setting up the network namespace") { () throws(SystemError) in
            try Network.bringUp(network, system: system)
        }
        let directory = try enterWorkingDirectory()
        try step("dropping privileges") { () throws(SystemError) in
            try Capabilities.drop(keeping: plan.capabilities, uid: plan.uid, system: system)
        }
        if let block = plan.blockDescriptor {
            try step("--block-fd \(block)") { () throws(SystemError) in try system.waitForData(on: block) }
        }
        // The init holds --sync-fd, unless the program is PID 1.
        let sync = plan.needsInit ? nil : plan.syncDescriptor
        if terminalSlave >= 0 {
            try step("giving the program its terminal") { () throws(SystemError) in
                try system.attachTerminal(terminalSlave, to: plan.relayedDescriptors, sessionLedByInit: plan.needsInit)
            }
        }
        if plan.passesDescriptors {
            if let fd = plan.syncDescriptor, sync == nil { system.close(fd) }
        } else {
            try step("closing inherited file descriptors") { () throws(SystemError) in
                // The report descriptor is close-on-exec: the program never sees it.
                try system.closeDescriptors(from: 3, except: (sync.map { [$0] } ?? []) + [startedReport, learnReport].filter { $0 >= 0 })
            }
        }
        if let landlock {
            // What covered the root through a symlink, unless the plan made the root read-only after.
            var cover = rootCover.flatMap { LandlockPolicy.access(of: mounts[$0].step)?.1 }
            if cover == .write && plan.mounts.contains(where: { $0.step == .remountReadOnly("/") }) { cover = .read }
            // The mounts as resolved on the host: a path exposed as the symlink it is (/bin -> usr/bin)
            // or an absent optional source grants nothing, and costs no rule.
            let mirror = LandlockPolicy.mirror(of: mounts, readOnlyRoot: plan.readOnlyRoot)
            try Landlock.restrict(plan.landlock, landlock, mirror: mirror, rootCover: cover, system: system)
        }
        for limit in plan.resourceLimits {
            try step("\(limit.origin)") { () throws(SystemError) in try system.setResourceLimit(limit.kind, to: limit.value) }
        }
        // Last: from here on, what the program may do is what the filters allow. The caller's first,
        // since sbox's own refuses seccomp() itself.
        for given in givenFilters {
            do { try system.loadSeccompFilter(given) } catch {
                guard plan.mode == .bwrap else { throw SandboxError("loading the seccomp filter given with --seccomp: \(error)") }
                // bwrap's words (an empty program gets EINVAL too).
                throw SandboxError(error.errno == EINVAL ? "Unable to set up system call filtering as requested: prctl(PR_SET_SECCOMP) "
                    + "reported EINVAL. (Hint: this requires a kernel configured with CONFIG_SECCOMP and CONFIG_SECCOMP_FILTER.)" : "\(error)")
            }
        }
        if learnReport >= 0 {
            // The supervisor copies the listener as soon as it exists, then answers its notifications.
            system.sendReport(hostPID, to: learnReport)
            system.sendReport(system.lowestFreeDescriptor(), to: learnReport)
            try step("loading the seccomp filter") { () throws(SystemError) in _ = try system.loadSeccompFilterWithListener(filter) }
        } else if !filter.isEmpty {
            try step("loading the seccomp filter") { () throws(SystemError) in try system.loadSeccompFilter(filter) }
        }
        return directory
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

    private func step(_ what: String, _ body: () throws(SystemError) -> Void) throws(SandboxError) {
        do { try body() } catch { throw SandboxError("\(what): \(error)") }
    }
}
