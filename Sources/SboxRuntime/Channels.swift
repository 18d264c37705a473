import SboxCore

/// One of sbox's own pipes between two of its processes. Both ends close on exec: none reaches the
/// program, even where the caller's descriptors pass on (bwrap mode).
public struct Pipe: Equatable, Sendable {
    public let read: FileDescriptor
    public let write: FileDescriptor

    public init(read: FileDescriptor, write: FileDescriptor) {
        self.read = read
        self.write = write
    }
}

/// The pipes between the supervisor and the sandbox, named by what travels on them, opened as the
/// topology needs them. After the clone each side keeps its own ends and closes the others: a copy
/// of a write end left in the wrong process would keep its reader from ever seeing the end.
struct Channels {
    /// The sandbox holds the read end: it reads end-of-file once sbox is gone.
    var lifeline: Pipe
    /// --json-status-fd: the worker says it is about to execute the program, and again if that
    /// failed, so that an exit code is reported only for a program that was started (as bwrap).
    var started: Pipe?
    /// sbox learn: the worker says its pid and where its seccomp listener will be.
    var learning: Pipe?
    /// The init reports the program's status before the namespaces' teardown; SIGIO wakes sbox.
    var ended: Pipe?
    /// The init says when the program stops (Ctrl-Z), for sbox to stop too.
    var stops: Pipe?
    /// With the mount lock, the program's process reports its pid once all its namespaces exist
    /// (--info-fd, --json-status-fd), and waits on `programAnswer` until the supervisor has read them.
    var programPID: Pipe?
    var programAnswer: Pipe?
    /// allow-host: the worker sends the egress proxy's listener, made in the sandbox's network
    /// namespace, on this unix socket pair (the supervisor reads `read`).
    var proxy: Pipe?
    /// The program's pseudo-terminal: sbox keeps the master, the sandbox the slave.
    var terminal: PseudoTerminal?

    static func open(for plan: Plan, _ topology: Topology, terminal: PseudoTerminal?,
                     system: SystemCalls) throws(SandboxError) -> Channels {
        func pipe(_ needed: Bool, signalling: Bool = false) throws(SandboxError) -> Pipe? {
            guard needed else { return nil }
            do { return try system.makePipe(signalling: signalling) } catch { throw .system(error) }
        }
        let duties = topology.initDuties
        var proxy: Pipe?
        if plan.egress.isActive {
            do { proxy = try system.makeSocketPair() } catch { throw .system(error) }
        }
        return Channels(
            lifeline: try pipe(true)!,
            started: try pipe(plan.jsonStatusDescriptor != nil),
            learning: try pipe(plan.learning),
            ended: try pipe(duties?.reportsStatusEarly ?? false, signalling: true),
            stops: try pipe(terminal != nil && duties != nil, signalling: true),
            programPID: try pipe(topology.programReportsPID),
            programAnswer: try pipe(topology.programReportsPID),
            proxy: proxy,
            terminal: terminal)
    }

    /// In the sandbox's first process, after the clone.
    func keepSandboxEnds(system: SystemCalls) {
        for fd in [lifeline.write, terminal?.master, stops?.read, started?.read, learning?.read, ended?.read,
                   programPID?.read, programAnswer?.write, proxy?.read] {
            if let fd { system.close(fd) }
        }
    }

    /// In the supervisor, after the clone.
    func keepSupervisorEnds(system: SystemCalls) {
        for fd in [lifeline.read, terminal?.slave, stops?.write, started?.write, learning?.write, ended?.write,
                   programPID?.write, programAnswer?.read, proxy?.write] {
            if let fd { system.close(fd) }
        }
    }
}

/// The pipes between the init and the worker, inside the sandbox's first process.
struct InitChannels {
    /// The worker reports its pid once its mounts are ready and locked.
    var mountsLocked: Pipe?
    /// The init reports the network namespace it created.
    var network: Pipe?
    /// The init says it holds the --lock-file locks: the program starts only then.
    var locksHeld: Pipe?

    static func open(for duties: InitDuties, system: SystemCalls) throws(SystemError) -> InitChannels {
        InitChannels(mountsLocked: duties.waitsForMounts ? try system.makePipe(signalling: false) : nil,
                     network: duties.createsNetwork ? try system.makePipe(signalling: false) : nil,
                     locksHeld: duties.holdsLocks ? try system.makePipe(signalling: false) : nil)
    }

    /// In the worker, after the fork.
    func keepWorkerEnds(system: SystemCalls) {
        for fd in [mountsLocked?.read, network?.write, locksHeld?.write] { if let fd { system.close(fd) } }
    }

    /// In the init, after the fork.
    func keepInitEnds(system: SystemCalls) {
        for fd in [mountsLocked?.write, network?.read, locksHeld?.read] { if let fd { system.close(fd) } }
    }
}
