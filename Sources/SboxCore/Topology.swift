/// Which processes a sandbox has, which namespaces each creates, and what each reports to whom:
/// decided from the plan before anything runs, shown by `sbox explain`, followed by the runtime.
///
/// The supervisor (sbox) always stays outside. It clones the first process, which becomes the
/// init (PID 1 of a new PID namespace, or the reaper outside one) and forks the worker, or is the
/// worker itself when no init is needed. The worker builds the root, locks the mounts, drops its
/// privileges and becomes the program.
public struct Topology: Equatable, Sendable {
    /// The namespaces the first process is created with.
    public let firstProcess: Namespaces
    /// --pidns with --unshare-pid: a new PID namespace can only be made inside the joined one by the
    /// first process itself; its child goes on, and it waits and passes the status on.
    public let intermediate: Bool
    /// What the init does; nil when the program is the first process (--as-pid-1, or nothing needs
    /// an init in bwrap mode).
    public let initDuties: InitDuties?
    /// The nested user namespace that locks the mounts, and the namespaces made with it; nil without
    /// the lock (bwrap mode).
    public let lock: Namespaces?
    /// Who creates the network namespace.
    public let network: NetworkOwner
    /// With the mount lock, the program's process reports its own pid once all its namespaces exist
    /// (--info-fd, --json-status-fd), and waits until the supervisor has read them.
    public let programReportsPID: Bool
    /// Without a PID namespace of its own, the program's processes would outlive the sandbox: sbox's
    /// init and supervisor adopt them and end them (sbox mode; bwrap leaves them).
    public let reapsDescendants: Bool
    /// The program's process gets SIGKILL when the init ends: outside a PID namespace nothing else ends
    /// it with the sandbox (bwrap mode with --die-with-parent).
    public let programDiesWithInit: Bool

    /// Which process creates the network namespace.
    public enum NetworkOwner: Equatable, Sendable {
        /// None: the host's network is shared.
        case host
        /// The first process, with the others (bwrap mode).
        case firstProcess
        /// The nested namespace that locks the mounts: it owns the network then, so that capabilities
        /// kept with --cap-add apply to it.
        case lock
        /// The init, in parallel with the worker's build, when the program keeps no capabilities:
        /// the network namespace is the most expensive one to create.
        case initProcess
    }

    public init(_ plan: Plan) {
        let needsInit = plan.needsInit
        let joinsPID = plan.joinedPIDNamespace != nil
        intermediate = joinsPID && plan.namespaces.contains(.pid)
        // With --pidns, a new PID namespace is made by the first process (see `intermediate`).
        let cloned = joinsPID ? plan.namespaces.subtracting(.pid) : plan.namespaces
        // With the lock: user and mount (the root is built there), PID (the init is its PID 1) and IPC
        // (--mqueue mounts the sandbox's own during the build) come with the first process; UTS, cgroup
        // and the network with the lock, whose user namespace then owns them.
        // The mount namespace is always new: the root is built in it.
        firstProcess = (plan.lockMounts ? cloned.intersection([.user, .pid, .ipc]) : cloned).union(.mount)
        let initBuildsNetwork = plan.lockMounts && needsInit && plan.capabilities.isEmpty
            && plan.namespaces.contains(.net)
        if !plan.namespaces.contains(.net) {
            network = .host
        } else if initBuildsNetwork {
            network = .initProcess
        } else {
            network = plan.lockMounts ? .lock : .firstProcess
        }
        lock = plan.lockMounts
            ? plan.namespaces.intersection([.uts, .cgroup]).union([.user, .mount]).union(network == .lock ? .net : [])
            : nil
        programReportsPID = plan.programReportsStatus
        reapsDescendants = plan.reapsDescendants
        programDiesWithInit = plan.dieWithParent && !plan.reapsDescendants
        initDuties = needsInit ? InitDuties(plan, createsNetwork: initBuildsNetwork) : nil
    }
}

/// What the init does besides forwarding signals to the program and reaping orphans.
public struct InitDuties: Equatable, Sendable {
    /// It creates the network namespace and hands it to the worker.
    public let createsNetwork: Bool
    /// bwrap's --lock-file: it holds the locks, where the program cannot release them; the program
    /// starts only once they are held.
    public let holdsLocks: Bool
    /// bwrap's --sync-fd: it keeps the descriptor open until the sandbox ends.
    public let holdsSync: Bool
    /// It reports the program's status to sbox before the namespaces' teardown, which sbox then does
    /// not wait for. Only where every process has the init's id (so that it can end them all without
    /// a capability) and the sandbox dies with sbox (so that a false status written through the
    /// init's descriptors would end the sandbox too).
    public let reportsStatusEarly: Bool
    /// It joins the worker's locked mount namespace, so that the first one is released while the
    /// worker works instead of at exit (not when it reports the status early: sbox does not wait).
    public let joinsLockedMounts: Bool
    /// Outside a PID namespace: it ends the program's processes when the program ends or sbox dies.
    public let endsDescendants: Bool
    /// It leads the session whose controlling terminal is the program's pseudo-terminal, and tells
    /// sbox when the program stops (Ctrl-Z).
    public let leadsTerminalSession: Bool

    /// The worker tells the init when its mounts are ready and locked.
    public var waitsForMounts: Bool { joinsLockedMounts || holdsLocks }

    init(_ plan: Plan, createsNetwork: Bool) {
        self.createsNetwork = createsNetwork
        holdsLocks = !plan.lockFiles.isEmpty
        holdsSync = plan.syncDescriptor != nil
        reportsStatusEarly = plan.namespaces.contains(.pid) && plan.lockMounts && plan.dieWithParent
            && plan.joinedUserNamespace == nil && plan.usernsBlockDescriptor == nil && !plan.learning
        joinsLockedMounts = plan.lockMounts && !reportsStatusEarly
        endsDescendants = plan.reapsDescendants
        leadsTerminalSession = !plan.relayedDescriptors.isEmpty
    }
}

extension Plan {
    /// The processes this plan makes.
    public var topology: Topology { Topology(self) }
}
