@testable import SboxRuntime
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// A `SystemCalls` that changes nothing and records what would be done, in order, with a small
/// model of the new root's directory tree so that "create if missing" paths are exercised.
final class RecordingSystemCalls: SystemCalls {
    var log: [String] = []
    /// Paths inside the new root that exist, with their kind.
    var tree: [String: FileKind] = ["/": .directory]
    /// Host paths that are not directories (bind sources); everything else is a directory.
    var hostFiles: Set<String> = []
    /// Host paths that are symlinks, with their targets.
    var hostLinks: [String: String] = [:]
    /// Host paths that realpath leads elsewhere (a directory on the way became a symlink).
    var resolvedHostPaths: [String: String] = [:]
    /// What this process's current directory is.
    var currentDirectory = FileIdentity(device: 1, inode: 1)
    /// Host paths that do not exist.
    var missingHostPaths: Set<String> = []
    /// Operations that fail: "operation path" → errno.
    var failures: [String: Int32] = [:]
    var threads = 1
    /// The kernel's Landlock ABI, and how the standard descriptors are open (none: pipes).
    var landlockVersion = 7
    var standardDescriptors: [FileDescriptor: FileAccess] = [:]
    /// Paths the sandbox could not write (everything else it could).

    /// Supervision: the monotonic clock (milliseconds), the signals that will arrive (at a time), and
    /// what waitpid will report, in order (nil: nothing more for now).
    var clock = 0
    var signalsToCome: [(at: Int, signal: Int32)] = []
    var childEvents: [(pid: Int32, event: ChildEvent)?] = []
    /// sbox learn's notifications to come, and the sandbox's memory (by address).
    var notifications: [SeccompNotification] = []
    var memory: [UInt64: [UInt8]] = [:]
    /// The children /proc lists, one list per look.
    var childLists: [[Int32]] = []
    /// The egress proxy's network: the clients that will connect, what each socket will receive
    /// (none: nothing yet; an empty entry: its end), what was sent on each, the host's addresses.
    var clientsToCome: [FileDescriptor] = []
    var incoming: [FileDescriptor: [UInt8]] = [:]
    var sent: [FileDescriptor: [UInt8]] = [:]
    var ownAddresses: Set<IPAddress> = []
    /// Connections out that fail once made (their error, by address).
    var refusingAddresses: Set<IPAddress> = []
    var upstreams: [FileDescriptor: IPAddress] = [:]
    /// Name servers whose socket is made but takes no query (the others: no socket at all).
    var serversThatTakeNoQuery: Set<IPAddress> = []
    var querySockets: Set<FileDescriptor> = []

    private var descriptors: [FileDescriptor: (path: String, kind: FileKind)] = [:]
    private var nextDescriptor: FileDescriptor = 100
    static let newRoot: FileDescriptor = 99
    static let hostProc: FileDescriptor = 98

    /// Descriptors opened and not closed (the host /proc descriptor is the caller's to close).
    var openDescriptors: [String] { descriptors.filter { $0.key != Self.hostProc }.map(\.value.path).sorted() }

    func record(_ entry: String) throws(SystemError) {
        if let errno = failures[entry] { throw SystemError(entry, errno: errno) }
        log.append(entry)
    }

    private func allocate(_ path: String, _ kind: FileKind) -> FileDescriptor {
        nextDescriptor += 1
        descriptors[nextDescriptor] = (path, kind)
        return nextDescriptor
    }

    private func path(of fd: FileDescriptor) -> String { descriptors[fd]?.path ?? "fd\(fd)" }

    private func join(_ parent: String, _ name: String) -> String { parent == "/" ? "/" + name : parent + "/" + name }

    func threadCount() -> Int? { threads }

    /// What the descriptors the caller passed hold (--file, --seccomp), read once.
    var passedContents: [FileDescriptor: [UInt8]] = [:]
    var seccompModeNow: Int32 = 0
    func readToEnd(_ descriptor: FileDescriptor, limit: Int) throws(SystemError) -> [UInt8] {
        try record("read fd \(descriptor)")
        guard let bytes = passedContents.removeValue(forKey: descriptor) else {
            throw SystemError("reading descriptor \(descriptor)", errno: EBADF)
        }
        return bytes
    }
    func seccompMode() -> Int32 { seccompModeNow }

    func canonicalPath(_ path: ByteString) throws(SystemError) -> ByteString { let path = path.lossy
        if missingHostPaths.contains(path) { throw SystemError("resolving", path: ByteString(path), errno: ENOENT) }
        return ByteString(resolvedHostPaths[path] ?? path)
    }

    // Namespaces are logged as their clone flags.
    func clone(namespaces: Namespaces) throws(SystemError) -> Int32 {
        try record("clone \(namespaces.cloneFlags)"); return 4242
    }
    func unshare(_ namespaces: Namespaces) throws(SystemError) { try record("unshare \(namespaces.cloneFlags)") }
    /// What the init reports to the worker about the network namespace.
    var networkReport: Int32 = 4321
    func joinNamespace(descriptor: FileDescriptor, type: Namespaces) throws(SystemError) {
        try record("setns fd \(descriptor) \(type.cloneFlags)")
    }
    func joinNamespace(_ path: ByteString, in directory: FileDescriptor, type: Namespaces) throws(SystemError) {
        let path = path.lossy
        try record("setns \(self.path(of: directory))/\(path) \(type.cloneFlags)")
    }
    func makePipe(signalling: Bool) throws(SystemError) -> Pipe {
        try record(signalling ? "signalling pipe" : "pipe")
        return Pipe(read: allocate("pipe", .other), write: allocate("pipe", .other))
    }
    func sendReport(_ value: Int32, to pipe: FileDescriptor) { log.append("report \(value)") }
    func makeSocketPair() throws(SystemError) -> Pipe {
        try record("socketpair")
        return Pipe(read: allocate("socket", .other), write: allocate("socket", .other))
    }
    func sendLoopbackListener(port: UInt16, over socket: FileDescriptor) throws(SystemError) {
        try record("listen 127.0.0.1:\(port)")
    }
    /// Descriptors whose writer has closed them (sbox's lifeline, once sbox is gone).
    var endedDescriptors: Set<FileDescriptor> = []
    func hasInputOrEnd(_ descriptor: FileDescriptor) -> Bool { endedDescriptors.contains(descriptor) }
    /// Process groups that exist: a signal to one (-group) is sent.
    var processGroups: Set<Int32> = []
    @discardableResult func sendSignal(_ signal: Int32, to pid: Int32) -> Bool {
        log.append("kill \(pid) \(signal)")
        return pid >= 0 || processGroups.contains(-pid)
    }
    func terminalName(of descriptor: FileDescriptor) -> ByteString? { nil }
    func receiveReport(from pipe: FileDescriptor) throws(SystemError) -> Int32 {
        try record("wait for report")
        return networkReport
    }
    func writeFile(_ path: ByteString, in directory: FileDescriptor?, contents: String) throws(SystemError) {
        let path = path.lossy
        let full = directory.map { self.path(of: $0) + "/" + path } ?? path
        try record("write \(full) \(contents.split(separator: "\n").joined(separator: ";"))")
    }
    func setHostname(_ name: ByteString) throws(SystemError) {
        let name = name.lossy; try record("sethostname \(name)")
    }
    func bringUpLoopback() throws(SystemError) { try record("loopback up") }
    func setParentDeathSignal(_ signal: Int32) throws(SystemError) { try record("pdeathsig \(signal)") }
    func dieWithParent() throws(SystemError) { try record("die with parent") }
    func startSession() throws(SystemError) { try record("setsid") }
    func setNoNewPrivileges() throws(SystemError) { try record("no_new_privs") }
    func dropCapabilities(keeping: CapabilitySet, ambient: Bool) throws(SystemError) {
        let kept = keeping.description
        try record("capabilities keep=[\(kept)]" + (ambient ? " ambient" : ""))
    }
    func closeDescriptors(from first: FileDescriptor, except kept: [FileDescriptor]) throws(SystemError) {
        try record("close_range \(first)-" + (kept.isEmpty ? "" : " except \(kept)"))
    }
    func writeFile(_ name: ByteString, in parent: FileDescriptor, permissions: UInt32,
                   contents: [UInt8]) throws(SystemError) {
        let name = name.lossy
        let full = join(path(of: parent), name)
        try record("write file \(full) \(String(permissions, radix: 8)) \(contents.count) bytes")
        tree[full] = .other
    }
    func controlTerminal(_ terminal: FileDescriptor) throws(SystemError) {
        try record("controlling terminal \(terminal)")
    }
    func attachTerminal(_ terminal: FileDescriptor, to descriptors: [FileDescriptor],
                        sessionLedByInit: Bool) throws(SystemError) {
        try record("terminal \(terminal) on \(descriptors.map(String.init).joined(separator: ","))"
                   + (sessionLedByInit ? " foreground" : ""))
    }
    func waitForData(on descriptor: FileDescriptor) throws(SystemError) { try record("wait on \(descriptor)") }
    func holdLock(on path: ByteString) throws(SystemError) -> FileDescriptor {
        let path = path.lossy; try record("lock \(path)"); return 50
    }
    var umask: UInt32 = 0o022
    func landlockABI() -> Int { landlockVersion }
    func createLandlockRuleset(fileSystem: LandlockRights, network: UInt64,
                               scopes: UInt64) throws(SystemError) -> FileDescriptor {
        try record("landlock ruleset fs 0x\(String(fileSystem.rawValue, radix: 16)) net \(network) scopes \(scopes)")
        return allocate("ruleset", .other)
    }
    func addLandlockRule(to ruleset: FileDescriptor, beneath: FileDescriptor,
                         rights: LandlockRights) throws(SystemError) {
        try record("landlock rule \(path(of: beneath)) 0x\(String(rights.rawValue, radix: 16))")
    }
    func addLandlockRule(to ruleset: FileDescriptor, port: UInt16, rights: UInt64) throws(SystemError) {
        try record("landlock port \(port) \(rights)")
    }
    func restrictSelf(with ruleset: FileDescriptor) throws(SystemError) { try record("landlock restrict") }
    func fileAccess(of descriptor: FileDescriptor) -> FileAccess? { standardDescriptors[descriptor] }
    /// Standard descriptors that are the host's device nodes, by their host path ("/dev/null").
    var standardDevices: [FileDescriptor: String] = [:]
    /// Their owners where not the caller (1000).
    var deviceOwners: [FileDescriptor: UInt32] = [:]
    func characterDeviceOwner(of descriptor: FileDescriptor) -> UInt32? {
        standardDevices[descriptor] == nil ? nil : deviceOwners[descriptor] ?? 1000
    }
    func reopen(_ descriptor: FileDescriptor, through node: FileDescriptor, proc: FileDescriptor) throws(SystemError) {
        try record("reopen \(descriptor) through \(path(of: node))")
    }

    func setFileCreationMask(_ mask: UInt32) -> UInt32 {
        log.append("umask \(String(mask, radix: 8))")
        defer { umask = mask }
        return umask
    }
    func mountTmpfs(on path: ByteString) throws(SystemError) {
        let path = path.lossy; try record("mount tmpfs \(path)")
    }
    func makePropagationSlave(_ path: ByteString) throws(SystemError) {
        let path = path.lossy; try record("rslave \(path)")
    }
    func makeDirectory(_ path: ByteString, permissions: UInt32) throws(SystemError) {
        let path = path.lossy; try record("mkdir \(path)")
    }
    func pivotRoot(_ newRoot: ByteString, putOld: ByteString) throws(SystemError) {
        let newRoot = newRoot.lossy; let putOld = putOld.lossy; try record("pivot_root \(newRoot) \(putOld)")
    }
    func detach(_ path: ByteString) throws(SystemError) { let path = path.lossy; try record("umount \(path)") }
    func changeDirectory(_ path: ByteString) throws(SystemError) { let path = path.lossy; try record("chdir \(path)") }
    func openDirectory(_ path: ByteString) throws(SystemError) -> FileDescriptor { let path = path.lossy
        if path == "/proc" { descriptors[Self.hostProc] = ("/proc", .directory); return Self.hostProc }
        try record("open \(path)")
        guard path == RootBuilder.newRoot.lossy else { return allocate(path, .directory) }
        descriptors[Self.newRoot] = ("/", .directory)
        return Self.newRoot
    }

    func open(_ path: ByteString, in root: FileDescriptor) throws(SystemError) -> FileDescriptor { let path = path.lossy
        let full = root == Self.newRoot || path.hasPrefix("/") && self.path(of: root) == "/"
            ? path : join(self.path(of: root), path)
        guard let kind = tree[full] else { throw SystemError("open", path: ByteString(full), errno: ENOENT) }
        return allocate(full, kind)
    }
    /// Paths of the new root that are symlinks (for openWithoutSymlinks: the double resolves lexically).
    var inRootSymlinks: Set<String> = []
    func openWithoutSymlinks(_ path: ByteString, in root: FileDescriptor) throws(SystemError) -> FileDescriptor {
        let full = root == Self.newRoot || path.lossy.hasPrefix("/") && self.path(of: root) == "/"
            ? path.lossy : join(self.path(of: root), path.lossy)
        var prefix = ""
        for component in full.split(separator: "/") {
            prefix += "/" + component
            if inRootSymlinks.contains(prefix) { throw SystemError("open", path: ByteString(full), errno: ELOOP) }
        }
        return try open(path, in: root)
    }
    func makeDirectory(_ name: ByteString, in parent: FileDescriptor, permissions: UInt32) throws(SystemError) {
        let name = name.lossy
        let full = join(path(of: parent), name)
        if tree[full] != nil { throw SystemError("mkdir", path: ByteString(full), errno: EEXIST) }
        try record("mkdir \(full) \(String(permissions, radix: 8))")
        tree[full] = .directory
    }
    func createFile(_ name: ByteString, in parent: FileDescriptor,
                    permissions: UInt32) throws(SystemError) -> FileDescriptor {
        let name = name.lossy
        let full = join(path(of: parent), name)
        try record("create \(full)")
        if tree[full] != nil { throw SystemError("creating", path: ByteString(full), errno: EEXIST) }  // O_EXCL
        tree[full] = .other
        return allocate(full, .other)
    }
    func clearCapabilities() throws(SystemError) { try record("capabilities cleared") }
    func loadSeccompFilter(_ program: [UInt8]) throws(SystemError) {
        try record("seccomp \(program.count / 8) instructions")
    }
    func loadSeccompFilterWithListener(_ program: [UInt8]) throws(SystemError) -> FileDescriptor {
        try record("seccomp \(program.count / 8) instructions, with a listener")
        return 3
    }
    func lowestFreeDescriptor() -> FileDescriptor { 3 }
    func makeSymlink(_ name: ByteString, in parent: FileDescriptor, target: ByteString) throws(SystemError) {
        let name = name.lossy; let target = target.lossy
        let full = join(path(of: parent), name)
        if tree[full] != nil { throw SystemError("symlink", path: ByteString(full), errno: EEXIST) }
        try record("symlink \(full) -> \(target)")
        tree[full] = .other
        links[full] = target
    }
    /// The symlinks made in the sandbox, with their targets.
    var links: [String: String] = [:]
    func readSymlink(_ name: ByteString, in parent: FileDescriptor) -> ByteString? { let name = name.lossy
        if parent == AT_FDCWD { return hostLinks[name].map { ByteString($0) } }
        if let target = links[join(path(of: parent), name)] { return ByteString(target) }
        if path(of: parent) == "/proc", name.hasPrefix("self/fd/"), let fd = Int32(name.dropFirst(8)) {
            return standardDevices[fd].map { ByteString($0) }
        }
        return path(of: parent) == "/proc" && name == "self" ? "4321" : nil
    }
    func changePermissions(_ path: ByteString, in root: FileDescriptor, to permissions: UInt32) throws(SystemError) {
        let path = path.lossy
        guard tree[path] != nil else { throw SystemError("open", path: ByteString(path), errno: ENOENT) }
        try record("chmod \(path) \(String(permissions, radix: 8))")
    }
    func kind(of descriptor: FileDescriptor) throws(SystemError) -> FileKind {
        descriptors[descriptor]?.kind ?? .directory
    }
    func setResourceLimit(_ kind: ResourceKind, to value: UInt64?) throws(SystemError) {
        try record("rlimit \(kind.rawValue) \(value.map(String.init) ?? "unlimited")")
    }

    /// Host paths that are unix sockets, and host files' contents.
    var hostSockets: Set<String> = []
    var hostFileContents: [String: [UInt8]] = [:]
    func isSocket(_ path: ByteString) -> Bool { hostSockets.contains(path.lossy) }
    func isWritableByEveryone(_ path: ByteString) -> Bool { false }
    func fileKind(at path: ByteString) -> FileKind? {
        missingHostPaths.contains(path.lossy) || hostSockets.contains(path.lossy) ? nil
            : hostFiles.contains(path.lossy) ? .other : .directory
    }

    /// Every descriptor is the same file unless a test says otherwise (by descriptor, or by the path
    /// it was opened at).
    var identities: [FileDescriptor: FileIdentity] = [:]
    var pathIdentities: [String: FileIdentity] = [:]
    func identity(of descriptor: FileDescriptor) -> FileIdentity? {
        identities[descriptor] ?? pathIdentities[path(of: descriptor)] ?? FileIdentity(device: 1, inode: 1)
    }

    /// Counts move_mounts onto the root (the double resolves paths lexically: no symlinks); each
    /// one puts a new file at /newroot.
    var rootCovers = 0
    func mountID(at path: ByteString) -> UInt64? {
        path == RootBuilder.newRoot ? UInt64(1 + rootCovers) : nil
    }


    func cloneMountTree(_ path: ByteString, in directory: FileDescriptor?) throws(SystemError) -> FileDescriptor {
        let path = path.lossy
        let full = directory.map { join(self.path(of: $0), path) } ?? path
        if missingHostPaths.contains(full) { throw SystemError("open_tree", path: ByteString(full), errno: ENOENT) }
        try record("open_tree \(full)")
        return allocate(full, hostFiles.contains(full) ? .other : .directory)
    }
    func newMount(_ filesystem: String, options: [ByteString],
                  attributes: MountAttributes) throws(SystemError) -> FileDescriptor {
        let options = options.map(\.lossy)
        let text = options.joined(separator: ",")
        try record("fsmount \(filesystem) \(text) \(Self.attributes(attributes))")
        return allocate(filesystem, .directory)
    }
    func setMountAttributes(_ mount: FileDescriptor, _ attributes: MountAttributes,
                            recursive: Bool) throws(SystemError) {
        try record("setattr \(path(of: mount)) \(Self.attributes(attributes))" + (recursive ? " recursive" : ""))
    }
    func moveMount(_ mount: FileDescriptor, onto target: FileDescriptor) throws(SystemError) {
        try record("move_mount \(path(of: mount)) -> \(path(of: target))")
        if path(of: target) == "/" { rootCovers += 1 }
        if ["proc", "/oldroot/proc"].contains(path(of: mount)) {  // what a procfs brings with it
            for name in RootBuilder.procfsEntriesToCover { tree[join(path(of: target), name.lossy)] = .directory }
        }
        if path(of: mount).hasPrefix("/oldroot/dev/") && path(of: target).hasPrefix("/dev/") {  // a device node bound
            tree[path(of: target)] = .device
        }
    }
    func moveMount(_ mount: FileDescriptor, onto path: ByteString) throws(SystemError) { let path = path.lossy
        try record("move_mount \(self.path(of: mount)) -> \(path)")
    }
    /// Every descriptor closed, in order.
    var closed: [FileDescriptor] = []
    func close(_ descriptor: FileDescriptor) {
        descriptors[descriptor] = nil
        closed.append(descriptor)
    }
    func execute(_ file: ByteString, arguments: [ByteString], environment: [ByteString]) -> Int32 { ENOENT }
    func fork() throws(SystemError) -> Int32 { try record("fork"); return 2 }

    static func attributes(_ value: MountAttributes) -> String {
        let names: [(MountAttributes, String)] = [(.readOnly, "ro"), (.noSetuid, "nosuid"), (.noDevices, "nodev"),
                                                  (.noExec, "noexec")]
        return names.filter { value.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
