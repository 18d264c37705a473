import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Everything the sandbox's processes need from the host, read by the supervisor before any
/// namespace exists: what a bind source, a filter or a descriptor is, is settled there.
struct Prepared {
    let plan: Plan
    let topology: Topology
    /// The mounts with their sources resolved on the host: binds, symlinks and data steps only.
    let mounts: [BuiltMount]
    /// What becomes /dev/console: the program's pseudo-terminal, or in bwrap mode the host's terminal.
    let console: ByteString?
    /// sbox's seccomp program (empty: none).
    let filter: [UInt8]
    /// Programs given with --seccomp and --add-seccomp-fd.
    var givenFilters: [[UInt8]] = []
    /// Data for --file, --bind-data and --ro-bind-data, and the X cookies.
    var data: [RootBuilder.DataFile] = []
    /// What the --bind-fd descriptors referred to.
    var descriptorSources: [RootBuilder.DescriptorSource] = []
    /// What this kernel makes of the plan's Landlock policy (nil: none).
    var landlock: LandlockEnforcement?
    /// When Sandbox.run began (--verbose): the worker says how long the setup took.
    var startTime = timespec()
    /// The standard descriptors on a character device the caller owns (as the host sees it, before
    /// any user namespace maps owners): the program could fchmod them (Worker.reopenDevicesReadOnly).
    var ownDevices: [FileDescriptor] = []

    init(plan: Plan, mounts: [BuiltMount], console: ByteString?, filter: [UInt8], data: [RootBuilder.DataFile] = []) {
        self.plan = plan
        topology = plan.topology
        self.mounts = mounts
        self.console = console
        self.filter = filter
        self.data = data
    }

    /// Reads the host for `plan`, in this order (which decides which error a bad plan gets first),
    /// and opens the program's pseudo-terminal where the caller's descriptors are a terminal.
    static func gather(_ plan: Plan, system: SystemCalls) throws(SandboxError) -> (Prepared, PseudoTerminal?) {
        if let threads = system.threadCount(), threads != 1 {
            throw SandboxError("sbox has \(threads) threads, "
                               + "but a user namespace can only be created by a single-threaded process")
        }
        try requireOpen(plan, system: system)
        for directory in plan.ownDirectories { createMissing(directory, system: system) }
        try createDirectories(plan.createdDirectories, system: system)
        var descriptorSources = try RootBuilder.descriptorSources(plan.mounts, system: system)
        if let current = try RootBuilder.currentDirectorySource(plan, system: system) {
            descriptorSources.append(current)
        }
        let generated = RootBuilder.generateData(plan.mounts, system: system)
        let mounts = try RootBuilder.resolveSources(generated.mounts, mode: plan.mode,
                                                    currentDirectory: RootBuilder.exposedCurrentDirectory(plan),
                                                    system: system)
        try OwnDirectories.check(mounts, plan: plan, system: system)
        let filter = try SeccompFilter.program(for: plan, system: system)
        let givenFilters = try SeccompFilter.read(plan.filterDescriptors, mode: plan.mode, system: system)
        let data = try RootBuilder.readData(mounts, system: system) + generated.data
        let landlock: LandlockEnforcement?
        do {
            landlock = try LandlockEnforcement.of(plan.landlock,
                                                  abi: plan.landlock.mode == .off ? 0 : system.landlockABI())
        } catch {
            throw SandboxError(error.message)
        }
        // sbox mode: a new pseudo-terminal, relayed, where the caller's standard descriptors are a
        // terminal (it is /dev/console too); bwrap mode: the caller's terminal, as bwrap binds it.
        let pty = try plan.relayedDescriptors.first.map { (fd) throws(SandboxError) in
            do { return try system.openPseudoTerminal(like: fd) } catch {
                throw SandboxError("a pseudo-terminal for the program: \(error)")
            }
        }
        if plan.reapsDescendants && (landlock?.scopes ?? 0) & LandlockScope.signal == 0 {
            // In the host's PID namespace the program sees sbox's init and supervisor, and only
            // Landlock's scoping keeps it from killing them and running on unsupervised.
            let why = plan.landlock.mode == .off ? "Landlock is off" : "this kernel's Landlock lacks it"
            throw SandboxError("--share-pid needs Landlock's signal scoping (ABI 6, Linux 6.12), "
                + "which keeps the program from killing sbox and running on unsupervised; \(why): drop --share-pid")
        }
        // The host's terminal on stdout, bound to /dev/console by --dev as bwrap does.
        let console = plan.mode == .bwrap ? system.terminalName(of: 1) : pty?.path
        var prepared = Prepared(plan: plan, mounts: mounts, console: console, filter: filter, data: data)
        prepared.givenFilters = givenFilters
        prepared.descriptorSources = descriptorSources
        prepared.landlock = landlock
        // (bwrap mode passes descriptors as they are: nothing to look at.)
        prepared.ownDevices = plan.mode == .bwrap ? [] : (0...2).filter {
            !plan.relayedDescriptors.contains($0) && system.characterDeviceOwner(of: $0) == plan.hostUID
        }
        return (prepared, pty)
    }

    /// rw-create: each missing directory on the way, made private to the user (the plan allows only
    /// directories in the home).
    static func createDirectories(_ directories: [PlannedDirectory], system: SystemCalls) throws(SandboxError) {
        for directory in directories {
            var partial = ByteString.root
            for component in directory.path.split(separator: UInt8(ascii: "/")) where !component.isEmpty {
                partial = partial.appending(component)
                do {
                    try system.makeDirectory(partial, permissions: 0o700)
                } catch where error.errno == EEXIST {} catch {
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

    /// sbox's own directories exist before the sandbox does, so that their hides cover them: else a
    /// program could create them through a writable home and leave a profile for the next run. What
    /// the caller cannot create, the sandbox (the same user, with less access) cannot either. Only
    /// the last two levels (~/.config and its sbox) are created: nothing where the home is missing.
    static func createMissing(_ directory: ByteString, system: SystemCalls) {
        // One mkdir when the directory exists (EEXIST), which is every run but the first.
        do { try system.makeDirectory(directory, permissions: 0o700) } catch where error.errno == ENOENT {
            let parent = directory.parent
            guard parent != ByteString.root, (try? system.makeDirectory(parent, permissions: 0o700)) != nil else {
                return
            }
            try? system.makeDirectory(directory, permissions: 0o700)
        } catch {}
    }
}
