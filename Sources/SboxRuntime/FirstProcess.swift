import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's first process, cloned by sbox into the new namespaces: PID 1 of its PID namespace.
/// It ties itself to sbox's life, maps its ids, then forks the worker and becomes the init, or is the
/// worker itself where the topology has no init.
struct FirstProcess {
    let prepared: Prepared
    /// Its ends of sbox's pipes (`Channels.keepSandboxEnds` closed the others).
    let channels: Channels
    let system: SystemCalls

    var plan: Plan { prepared.plan }

    func run(proc: FileDescriptor, callerMask: SignalSet) -> Never {
        // The supervisor writes the status; a copy held here would keep the caller from reading its end.
        if let fd = plan.infoDescriptor { system.close(fd) }
        if let fd = plan.jsonStatusDescriptor { system.close(fd) }
        do {
            try tieToSupervisor()
            // Out of the caller's directory, a part of the host's tree: pivot_root then takes the root
            // along for every process of the sandbox, and the init, which stays in the first mount
            // namespace, keeps nothing of the host's through its working directory.
            try step("leaving the caller's directory") { () throws(SystemError) in try system.changeDirectory("/") }
            try enterNamespaces(proc: proc)
            if prepared.topology.intermediate { try enterNewPIDNamespace() }
            guard let duties = prepared.topology.initDuties else {
                worker().run(proc: proc, network: networkWithoutInit, callerMask: callerMask)
            }
            try forkWorker(duties, proc: proc, callerMask: callerMask)
        } catch {
            Diagnostics.error("\(error)")
            _exit(plan.mode.failureStatus)
        }
    }

    /// Dies with sbox; and if sbox died before that was set, the lifeline is already closed.
    private func tieToSupervisor() throws(SandboxError) {
        guard plan.dieWithParent else { return }
        // Without a PID namespace, the init ends the program's processes first (SIGIO is blocked: it
        // waits for it).
        let signal = prepared.topology.reapsDescendants ? SIGIO : SIGKILL
        try step("tying the sandbox to sbox's life") { () throws(SystemError) in
            try system.setParentDeathSignal(signal)
        }
        guard !system.hasInputOrEnd(channels.lifeline.read) else { _exit(plan.mode.failureStatus) }
    }

    /// The sandbox's ids map onto the caller's (or, with --userns-block-fd, the caller maps them and
    /// says when it is done); a new session keeps the program away from the caller's terminal (TIOCSTI).
    func enterNamespaces(proc: FileDescriptor) throws(SandboxError) {
        if plan.joinedUserNamespace != nil {
            // The joined namespace has its maps already.
        } else if let block = plan.usernsBlockDescriptor {
            try step("--userns-block-fd \(block)") { () throws(SystemError) in try system.waitForData(on: block) }
        } else {
            do {
                try IDMaps.write(uid: plan.uid, gid: plan.gid, outerUID: plan.hostUID, outerGID: plan.hostGID,
                                 proc: proc, system: system)
            } catch {
                throw SandboxError(UserNamespaceDiagnosis.explain(error, system: system))
            }
        }
        if plan.newSession {
            try step("starting a new session") { () throws(SystemError) in try system.startSession() }
        }
    }

    /// --pidns with a new PID namespace: the kernel makes one only inside the namespace a process is
    /// itself in, and this process is in the joined one. Its child is PID 1 of the new one and goes on;
    /// this process waits for it and passes its status on, as bwrap's intermediate process does.
    private func enterNewPIDNamespace() throws(SandboxError) {
        var child: Int32 = 0
        try step("creating a PID namespace inside the one given with --pidns") { () throws(SystemError) in
            try system.unshare(.pid)
            child = try system.fork()
        }
        guard child != 0 else { return }
        do throws(SystemError) {
            try system.clearCapabilities()
            try system.closeDescriptors(from: 3, except: [])
        } catch {
            Diagnostics.error("dropping the intermediate process's privileges: \(error)")
            system.sendSignal(SIGKILL, to: child)
            _exit(plan.mode.failureStatus)
        }
        _exit(Signals(system: system).forward(to: child))
    }

    /// The worker builds the sandbox and becomes the program (PID 2); this process stays as the init.
    private func forkWorker(_ duties: InitDuties, proc: FileDescriptor,
                            callerMask: SignalSet) throws(SandboxError) -> Never {
        if let terminal = channels.terminal {
            // The init leads the session that has the program's terminal (see PseudoTerminal.attach).
            try step("taking the program's terminal") { () throws(SystemError) in
                try system.controlTerminal(terminal.slave)
            }
        }
        var pipes = InitChannels()
        var worker: Int32 = 0
        if duties.endsDescendants {
            try step("adopting the program's orphans") { () throws(SystemError) in try system.becomeChildSubreaper() }
        }
        try step("starting the sandbox's worker") { () throws(SystemError) in
            pipes = try InitChannels.open(for: duties, system: system)
            worker = try system.fork()
        }
        if worker == 0 {
            if prepared.topology.programDiesWithInit {
                // Outside a PID namespace of its own, nothing else ends the program with the init (bwrap
                // mode). The init cannot have ended yet: it waits for this process.
                try step("tying the program to the sandbox's init") { () throws(SystemError) in
                    try system.setParentDeathSignal(SIGKILL)
                }
            }
            for fd in [channels.ended?.write, channels.stops?.write] { if let fd { system.close(fd) } }
            pipes.keepWorkerEnds(system: system)
            let network: Network.Setup = pipes.network.map { .fromInit($0.read) } ?? networkWithoutInit
            self.worker(mountsLocked: pipes.mountsLocked?.write, locksHeld: pipes.locksHeld?.read)
                .run(proc: proc, network: network, callerMask: callerMask)
        }
        pipes.keepInitEnds(system: system)
        Signals(system: system).ignoreBrokenPipe()  // a worker that failed early no longer reads reports
        if let network = pipes.network {
            // The worker, just forked, waits on this CPU while the init works: the init moves to
            // another for the network namespace's creation, the longest step, and the two overlap.
            let moved = system.leaveCPU()
            Network.create(proc: proc, reportingTo: network.write, system: system)
            if moved { system.returnCPU() }
        }
        Init.run(program: worker, lockReport: pipes.mountsLocked?.read, joinsMounts: duties.joinsLockedMounts,
                 lockFiles: plan.lockFiles, sync: plan.syncDescriptor, locksHeld: pipes.locksHeld?.write,
                 ended: channels.ended?.write, lifeline: duties.endsDescendants ? channels.lifeline.read : nil,
                 stops: channels.stops?.write, proc: proc, system: system, failureStatus: plan.mode.failureStatus)
    }

    /// The network when no init creates it: the lock's or the first process's, or the host's.
    private var networkWithoutInit: Network.Setup { plan.namespaces.contains(.net) ? .created : .host }

    /// The worker, with its ends of the supervisor's pipes and of the init's.
    private func worker(mountsLocked: FileDescriptor? = nil, locksHeld: FileDescriptor? = nil) -> Worker {
        var worker = Worker(prepared: prepared, system: system)
        worker.ends.started = channels.started?.write
        worker.ends.learning = channels.learning?.write
        worker.ends.programPID = channels.programPID?.write
        worker.ends.programAnswer = channels.programAnswer?.read
        worker.ends.terminal = channels.terminal?.slave
        worker.ends.proxy = channels.proxy?.write
        worker.ends.mountsLocked = mountsLocked
        worker.ends.locksHeld = locksHeld
        return worker
    }

    private func step(_ what: String, _ body: () throws(SystemError) -> Void) throws(SandboxError) {
        do { try body() } catch { throw .failed(what, error) }
    }
}
