import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Landlock's layers, added by the worker in the finished root, after no_new_privs and before seccomp.
/// Paths are opened inside the sandbox: a rule is on the file the program sees at that path.
enum Landlock {
    /// `mirror`: the first layer's rules. `rootCover`: what the step that covered the root as it was
    /// built grants, when the plan may not know it (a destination that is a symlink to /): the root
    /// gets it too.
    static func restrict(_ policy: LandlockPolicy, _ enforcement: LandlockEnforcement, mirror rules: [LandlockRule],
                         rootCover: LandlockRule.Access? = nil, system: SystemCalls) throws(SandboxError) {
        let root: FileDescriptor
        do { root = try system.openDirectory("/") } catch { throw SandboxError("Landlock: \(error)") }
        defer { system.close(root) }
        try layer("Landlock, the mirror of the mounts", fileSystem: enforcement.fileSystem, network: 0,
                  scopes: enforcement.scopes, system: system) { (ruleset) throws(SandboxError) in
            guard !enforcement.fileSystem.isEmpty else { return }  // scopes only
            var mirror = rules
            if let rootCover { mirror.insert(LandlockRule("/", rootCover), at: 1) }
            for rule in mirror {
                // A path out of reach (a destination under a later tmpfs...) has nothing to grant.
                guard let fd = try? system.open(rule.path, in: root) else { continue }
                defer { system.close(fd) }
                try grant(LandlockRights.granted(by: rule.access), beneath: fd, in: ruleset,
                          handled: enforcement.fileSystem, what: rule.path, system: system)
            }
            try grantStandardDescriptors(in: ruleset, handled: enforcement.fileSystem, system: system)
        }
        guard enforcement.hasRestrictingLayer else { return }
        try layer("Landlock, --landlock-* restrictions", fileSystem: enforcement.restrictedFileSystem,
                  network: enforcement.restrictedNetwork, scopes: 0, system: system) { (ruleset) throws(SandboxError) in
            for (paths, writable) in [(policy.readPaths, false), (policy.writePaths, true)] {
                for entry in paths {
                    let fd: FileDescriptor
                    do throws(SystemError) { fd = try system.open(entry.path, in: root) } catch {
                        throw SandboxError("\(entry.origin): \(entry.path) is not in the sandbox: \(error.reason)")
                    }
                    defer { system.close(fd) }
                    try grant(enforcement.restrictedRights(writable: writable), beneath: fd, in: ruleset,
                              handled: enforcement.restrictedFileSystem, what: entry.path, system: system)
                }
            }
            // Without a write restriction, renames and links between directories stay possible.
            if policy.writePaths.isEmpty && enforcement.restrictedFileSystem.contains(.refer) {
                try grant(.refer, beneath: root, in: ruleset, handled: enforcement.restrictedFileSystem, what: "/",
                          system: system)
            }
            // Devices are not places to write to: /dev/null and the terminals stay usable, and so does
            // the shared memory of sbox's own /dev, a tmpfs of the sandbox's.
            let deviceRights = enforcement.restrictedRights(writable: true).intersection(.onFiles)
            let ownDevices = rules.filter { $0.access == .devices }.map(\.path)
            for directory in ownDevices + (ownDevices.contains("/dev") ? [] : ["/dev"]) {
                for name in LandlockRule.Access.deviceFiles + [MountStep.terminalDirectory, MountStep.sharedMemory] {
                    guard let fd = try? system.open(directory + "/" + name, in: root) else { continue }
                    defer { system.close(fd) }
                    let kind = (try? system.kind(of: fd)) ?? .other
                    switch name {
                    case MountStep.terminalDirectory: guard kind == .directory else { continue }
                    case MountStep.sharedMemory:
                        guard kind == .directory, ownDevices.contains(directory) else { continue }
                    default: guard kind == .device else { continue }
                    }
                    let rights = name == MountStep.sharedMemory ? enforcement.restrictedRights(writable: true)
                                                                : deviceRights
                    try grant(rights, beneath: fd, in: ruleset, handled: enforcement.restrictedFileSystem,
                              what: directory + "/" + name, system: system)
                }
            }
            for (ports, right) in [(policy.connectPorts, LandlockNetwork.connectTCP),
                                   (policy.bindPorts, LandlockNetwork.bindTCP)]
            where enforcement.restrictedNetwork & right != 0 {
                for port in ports {
                    do throws(SystemError) {
                        try system.addLandlockRule(to: ruleset, port: port, rights: right)
                    } catch {
                        throw SandboxError("Landlock: port \(port): \(error)")
                    }
                }
            }
            try grantStandardDescriptors(in: ruleset, handled: enforcement.restrictedFileSystem, system: system)
        }
    }

    /// One layer: a ruleset, its rules, then enforced on this process and all it starts.
    private static func layer(_ what: String, fileSystem: LandlockRights, network: UInt64, scopes: UInt64,
                              system: SystemCalls,
                              rules: (FileDescriptor) throws(SandboxError) -> Void) throws(SandboxError) {
        let ruleset: FileDescriptor
        do {
            ruleset = try system.createLandlockRuleset(fileSystem: fileSystem, network: network, scopes: scopes)
        } catch {
            throw .failed(what, error)
        }
        defer { system.close(ruleset) }
        try rules(ruleset)
        do { try system.restrictSelf(with: ruleset) } catch { throw .failed(what, error) }
    }

    private static func grant(_ rights: LandlockRights, beneath fd: FileDescriptor, in ruleset: FileDescriptor,
                              handled: LandlockRights, what: ByteString, system: SystemCalls) throws(SandboxError) {
        do {
            // A rule on a file carries only the rights that apply to files.
            let applicable = try system.kind(of: fd) == .directory ? rights : rights.intersection(.onFiles)
            let granted = applicable.intersection(handled)
            guard !granted.isEmpty else { return }
            try system.addLandlockRule(to: ruleset, beneath: fd, rights: granted)
        } catch {
            throw SandboxError("Landlock: a rule for \(what): \(error)")
        }
    }

    /// The caller's standard input, output and error, when they are files or terminals from outside
    /// the sandbox: the program may reopen them (`echo > /dev/stderr`) as they were opened, no more.
    private static func grantStandardDescriptors(in ruleset: FileDescriptor, handled: LandlockRights,
                                                 system: SystemCalls) throws(SandboxError) {
        for fd: FileDescriptor in 0...2 {
            guard let access = system.fileAccess(of: fd) else { continue }
            var rights: LandlockRights = []
            if access.readable { rights.insert(.readFile) }
            if access.writable { rights.formUnion([.writeFile, .truncate]) }
            if access.device { rights.insert(.deviceIoctl) }
            try grant(rights, beneath: fd, in: ruleset, handled: handled, what: ByteString("descriptor \(fd)"),
                      system: system)
        }
    }
}
