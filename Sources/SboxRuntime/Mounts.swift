import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Builds the sandbox's file system as bwrap does: a staging tmpfs becomes the root with the host's
/// root under /oldroot, so that bind sources are host paths; the sandbox is built on a new tmpfs at
/// /newroot, step by step in the order given; then /newroot becomes the root and the rest is detached.
/// Destinations are opened inside the new root (openat2 RESOLVE_IN_ROOT) and mounts are attached
/// through those descriptors, so a symlink cannot make a mount land outside the new root.
struct RootBuilder {
    let system: SystemCalls
    /// sbox makes the root itself read-only; bwrap leaves it writable.
    var readOnlyRoot = true
    /// Whose words a failure is said in.
    var mode = Mode.sbox
    /// The data of bwrap's --file, --bind-data and --ro-bind-data, read before any namespace exists.
    var data: [DataFile] = []
    /// What the descriptors of --bind-fd and --ro-bind-fd were, and the current directory the caller
    /// is in (ro-cwd, rw-cwd), before any namespace existed: each bind of them must be that directory.
    var descriptorSources: [DescriptorSource] = []
    /// Where expose-args binds the program's arguments: each destination must be the file bound.
    var argumentPaths: [ByteString] = []
    /// The caller is the host's root, so the sandbox's uid 0 is too: /proc's machine-wide files
    /// (owned by it, and sysctl checks only the uid) would be writable, and are covered read-only.
    var callerIsHostRoot = false

    struct DescriptorSource {
        let path: ByteString
        let identity: FileIdentity
        /// What it must be, for the message when it is not.
        var what = "the directory the descriptor was opened on"
    }

    /// ro-cwd, rw-cwd: the current directory was checked by the path getcwd gave, and is bound by
    /// that path, which must still lead to the directory this process is in. Whoever may write above
    /// it could rename a directory on the way, or put a symlink there, to have the host's /tmp bound.
    static func currentDirectorySource(_ plan: Plan, system: SystemCalls) throws(SandboxError) -> DescriptorSource? {
        guard let directory = exposedCurrentDirectory(plan) else { return nil }
        guard let identity = system.identity(at: ".") else {
            throw SandboxError("the current directory \(directory) cannot be looked at")
        }
        return DescriptorSource(path: directory, identity: identity, what: "the directory sbox was started in")
    }

    /// The current directory where a step exposes it (sbox mode).
    static func exposedCurrentDirectory(_ plan: Plan) -> ByteString? {
        guard plan.mode == .sbox, case .caller(let directory) = plan.workingDirectory,
              plan.mounts.contains(where: { if case .expose(directory, _, _) = $0.step { true } else { false } })
        else { return nil }
        return directory
    }

    /// For each --bind-fd source, its canonical path and what the descriptor refers to: the bind must
    /// be that directory, not whatever took its name since (bwrap checks the same).
    static func descriptorSources(_ mounts: [PlannedMount],
                                  system: SystemCalls) throws(SandboxError) -> [DescriptorSource] {
        var sources: [DescriptorSource] = []
        for mount in mounts {
            guard case .bind(let source, _, _, _) = mount.step, source.hasPrefix("/proc/self/fd/"),
                  let fd = Int32(source.dropFirst(14).lossy) else { continue }
            guard let identity = system.identity(of: fd), let path = try? system.canonicalPath(source) else {
                throw SandboxError("\(mount.origin): descriptor \(fd) is not open")
            }
            sources.append(DescriptorSource(path: path, identity: identity))
        }
        return sources
    }

    struct DataFile {
        let descriptor: Int32
        let bytes: [UInt8]
    }

    /// The X cookies each `xauthority` step asks for, read from the host now, as data steps on
    /// descriptors of their own (negative: no descriptor is read for them); a step with no cookie to
    /// give goes.
    static func generateData(_ mounts: [PlannedMount],
                             system: SystemCalls) -> (mounts: [PlannedMount], data: [DataFile]) {
        var result: [PlannedMount] = [], data: [DataFile] = []
        for mount in mounts {
            guard case .xauthority(let source, let display, let number, let destination) = mount.step else {
                result.append(mount)
                continue
            }
            guard let file = system.readFile(source, limit: 1 << 20) else { continue }
            let entries = XAuthority.entries(for: display, in: file, as: number)
            guard !entries.isEmpty else { continue }
            let descriptor = Int32(-2 - data.count)
            data.append(DataFile(descriptor: descriptor, bytes: entries))
            result.append(PlannedMount(.data(descriptor: descriptor, path: destination, permissions: 0o400,
                                             bind: .readOnly),
                                       origin: mount.origin))
        }
        return (result, data)
    }

    /// Reads the data each `data` step names, before any namespace exists.
    static func readData(_ mounts: [BuiltMount], system: SystemCalls) throws(SandboxError) -> [DataFile] {
        var files: [DataFile] = []
        for mount in mounts {
            guard case .data(let fd, _, _, _) = mount.step, fd >= 0 else { continue }
            do {
                files.append(DataFile(descriptor: fd, bytes: try system.readToEnd(fd, limit: 64 << 20)))
            } catch {
                throw .failed("\(mount.origin)", error)
            }
        }
        return files
    }
    /// The host path where the staging tmpfs goes; it is hidden only during setup, then revealed
    /// again under /oldroot.
    static let staging: ByteString = "/tmp"
    static let oldRoot: ByteString = "/oldroot"
    static let newRoot: ByteString = "/newroot"
    static let procfsEntriesToCover: [ByteString] = ["sys", "sysrq-trigger", "irq", "bus"]

    /// Canonical host paths for bind sources, resolved before any namespace exists (a symlink in a
    /// source is the caller's to follow). Optional sources that do not exist are left out. An exposed
    /// path that is a symlink on the host becomes the same symlink; anything else, a bind.
    /// `currentDirectory`: exposed as the path getcwd gave, which must still be its canonical path.
    static func resolveSources(_ mounts: [PlannedMount], mode: Mode, currentDirectory: ByteString? = nil,
                               system: SystemCalls) throws(SandboxError) -> [BuiltMount] {
        var resolved: [BuiltMount] = []
        for mount in mounts {
            let step = try resolve(mount, mode: mode, system: system)
            if case .expose(let path, _, _) = mount.step, path == currentDirectory {
                guard case .bind(path, _, _) = step else {
                    throw SandboxError("\(mount.origin): the current directory \(path) changed after sbox looked "
                                       + "at it (a directory on the way was renamed or replaced)")
                }
            }
            if let step {
                resolved.append(BuiltMount(step, origin: mount.origin))
            }
        }
        return resolved
    }

    /// What one planned step becomes on this host; nil where it makes nothing.
    private static func resolve(_ mount: PlannedMount, mode: Mode,
                                system: SystemCalls) throws(SandboxError) -> BuildStep? {
        func notFound(_ source: ByteString, _ error: SystemError) -> SandboxError {
            let text = "Can't find source path \(source): \(error.reason)"
            return SandboxError(mode == .bwrap ? text : "\(mount.origin): \(text)")
        }
        func canonical(_ source: ByteString) throws(SandboxError) -> ByteString {
            do { return try system.canonicalPath(source) } catch { throw notFound(source, error) }
        }
        func bind(_ source: ByteString, on destination: ByteString, _ bindMode: MountStep.BindMode,
                  optional: Bool) throws(SandboxError) -> BuildStep? {
            do {
                return .bind(source: try system.canonicalPath(source), destination: destination, mode: bindMode)
            } catch {
                if optional && error.errno == ENOENT { return nil }
                throw notFound(source, error)
            }
        }
        switch mount.step {
        case .bind(let source, let destination, let bindMode, let optional):
            return try bind(source, on: destination, bindMode, optional: optional)
        case .expose(let path, let bindMode, let optional):
            if let target = system.readSymlink(path, in: AT_FDCWD) { return .symlink(target: target, path: path) }
            return try bind(path, on: path, bindMode, optional: optional)
        case .argument(let path, let source, let bindMode, let directories):
            // A file, or a directory where that is allowed; nothing else. `source` was resolved and
            // checked by the compiler: it is bound as it is (a symlink on it since fails the bind).
            guard let kind = system.fileKind(at: source), kind == .other || kind == .directory && directories
            else { return nil }
            return .bind(source: source, destination: path, mode: bindMode)
        case .socket(let source, let destination):
            // A socket, or nothing: a session variable never exposes a directory or a file.
            guard system.isSocket(source), let path = try? system.canonicalPath(source) else { return nil }
            return try bind(path, on: destination, .readOnly, optional: false)
        case .overlay(let layers, let path, let writes):
            var resolvedLayers: [ByteString] = []
            for layer in layers { resolvedLayers.append(try canonical(layer)) }
            var resolvedWrites = writes
            if case .host(let upper, let work) = writes {
                resolvedWrites = .host(upper: try canonical(upper), work: try canonical(work))
            }
            return .overlay(layers: resolvedLayers, path: path, writes: resolvedWrites)
        case .xauthority:
            return nil  // generateData made every cookie it found a data step; the others give nothing
        case .remountReadOnly, .tmpfs, .proc, .dev, .mqueue, .directory, .symlink, .chmod, .hide, .data:
            return mount.step.expected
        }
    }

    /// `terminal` is the host's terminal device when stdout is one: it becomes /dev/console.
    /// Returns the index of the last step that covered the root, whatever its destination said (a
    /// symlink to /). (An index: an optional step would be copied, strings and all, at every step.)
    @discardableResult
    func build(_ mounts: [BuiltMount], namespaces: Namespaces, terminal: ByteString?) throws(SandboxError) -> Int? {
        var root: FileDescriptor
        do {
            try system.makePropagationSlave("/")
            try system.mountTmpfs(on: Self.staging)
            try system.makeDirectory(Self.staging + Self.newRoot, permissions: 0o755)
            try system.makeDirectory(Self.staging + Self.oldRoot, permissions: 0o755)
            try system.pivotRoot(Self.staging, putOld: Self.staging + Self.oldRoot)
            try system.changeDirectory("/")
            // The new root is a mount of its own (pivot_root needs one): a bind of the staging
            // directory onto itself, cheaper than a second tmpfs.
            let newRoot = try system.cloneMountTree(Self.newRoot, in: nil)
            try system.moveMount(newRoot, onto: Self.newRoot)
            system.close(newRoot)
            root = try system.openDirectory(Self.newRoot)
        } catch {
            throw .failed("preparing the new root", error)
        }
        defer { system.close(root) }
        // Permissions given with --perms are exact, whatever the caller's umask; the program gets it back.
        let callerMask = system.setFileCreationMask(0)
        defer { _ = system.setFileCreationMask(callerMask) }

        // Whatever a step's destination says (`/`, or a symlink that resolves to it), when something
        // then covers the root, /newroot is on another mount and later steps go on top of it, as in
        // bwrap. Another mount, not another file: a second --bind / / is the same directory again.
        var rootMount = system.mountID(at: Self.newRoot)
        var rootCover: Int?
        for (index, mount) in mounts.enumerated() {
            do {
                try apply(mount.step, in: root, namespaces: namespaces, terminal: terminal)
                guard Self.attachesMount(mount.step) else { continue }
                let now = system.mountID(at: Self.newRoot)
                if now == nil || now != rootMount {
                    system.close(root)
                    root = try system.openDirectory(Self.newRoot)
                    rootMount = now
                    rootCover = index
                }
            } catch {
                throw mode == .bwrap && error.isInBwrapWords ? .system(error) : .failed("\(mount.origin)", error)
            }
        }

        do {
            // The empty root is read-only; what covers it (--bind / /, --tmpfs /) keeps its own mode.
            if readOnlyRoot && rootCover == nil { try system.setMountAttributes(root, .readOnly, recursive: false) }
            try system.changeDirectory(Self.newRoot)
            // pivot_root(".", ".") stacks the staging root, with the host's root still under it, on top of
            // the new one: one lazy unmount detaches both and leaves the new root.
            try system.pivotRoot(".", putOld: ".")
            try system.detach(".")
            try system.changeDirectory("/")
        } catch {
            throw .failed("entering the new root", error)
        }
        return rootCover
    }

    /// Whether `step` mounts something, which might land on the root: the others only make files.
    static func attachesMount(_ step: BuildStep) -> Bool {
        switch step {
        case .directory, .symlink, .chmod, .remountReadOnly: false
        case .data(_, _, _, let bind): bind != nil
        default: true
        }
    }

    /// The mode of the directories made on the way to a step's destination: bwrap's 0755, without the
    /// group's or others' bits where the step's own --perms withholds them (--perms 0700 --dir /a/b
    /// makes /a 0700).
    static func parentMode(of step: BuildStep) -> UInt32 {
        let permissions: UInt32
        switch step {
        case .directory(_, let mode), .tmpfs(_, let mode, _), .data(_, _, let mode, _): permissions = mode
        default: return 0o755
        }
        var parents: UInt32 = 0o755
        if permissions & 0o070 == 0 { parents &= ~0o050 }
        if permissions & 0o007 == 0 { parents &= ~0o005 }
        return parents
    }

    private func apply(_ step: BuildStep, in root: FileDescriptor, namespaces: Namespaces,
                       terminal: ByteString?) throws(SystemError) {
        // sbox mode keeps 0755: its own steps (a private home at 0700) must not close /home to the rest.
        let parents = mode == .bwrap ? Self.parentMode(of: step) : 0o755
        switch step {
        case .bind(let source, let destination, let mode):
            var attributes: MountAttributes = [.noSetuid]
            if mode != .devices { attributes.insert(.noDevices) }
            if mode == .readOnly { attributes.insert(.readOnly) }
            let expected = descriptorSources.first { $0.path == source }
            try bind(Self.hostPath(source), at: destination, in: root, attributes: attributes, expected: expected,
                     exact: argumentPaths.contains(destination))
        case .remountReadOnly(let path):
            try withOpened(path, in: root) { target throws(SystemError) in
                try system.setMountAttributes(target, .readOnly, recursive: false)
            }
        case .tmpfs(let path, let permissions, let size):
            var options = [ByteString("mode=" + Self.octal(permissions))]
            if let size { options.append(ByteString("size=" + String(size))) }
            try mountNew("tmpfs", options: options, attributes: [.noSetuid, .noDevices], at: path, in: root,
                         parents: parents)
        case .proc(let path):
            try mountProc(at: path, in: root, ownPIDNamespace: namespaces.contains(.pid))
        case .dev(let path):
            try mountDev(at: path, in: root, terminal: terminal)
        case .mqueue(let path):
            try mountNew("mqueue", options: [], attributes: [.noSetuid, .noDevices, .noExec], at: path, in: root)
        case .directory(let path, let permissions):
            system.close(try ensureDirectory(path, in: root, permissions: permissions, parents: parents))
        case .symlink(let target, let path):
            try makeSymlink(path, target: target, in: root)
        case .chmod(let path, let permissions):
            try system.changePermissions(path, in: root, to: permissions)
        case .hide(let path):
            try hide(path, in: root)
        case .overlay(let layers, let path, let writes):
            try mountOverlay(layers, at: path, writes: writes, in: root)
        case .data(let fd, let path, let permissions, let bind):
            let contents = data.first { $0.descriptor == fd }?.bytes ?? []
            guard let bind else {
                let parent = try ensureDirectory(path.parent, in: root, permissions: parents, parents: parents)
                defer { system.close(parent) }
                try system.writeFile(path.lastComponent, in: parent, permissions: permissions, contents: contents)
                return
            }
            // A file of its own in the staging root ("/" until the new root is entered), bound on path.
            let staging = try system.openDirectory("/")
            let name = ByteString("data-\(fd)-") + path.lastComponent
            do {
                defer { system.close(staging) }
                try system.writeFile(name, in: staging, permissions: permissions, contents: contents)
            }
            var attributes: MountAttributes = [.noSetuid, .noDevices]
            if bind == .readOnly { attributes.insert(.readOnly) }
            try self.bind("/" + name, at: path, in: root, attributes: attributes, parents: parents)
        }
    }

    // MARK: - Mount kinds

    /// A recursive copy of `source`, made read-only/nosuid/nodev before it is attached, so there is
    /// no moment when it is writable. Attributes are only added: the host's locked flags stay.
    /// `exact`: where something is already at `destination`, it must be `source` itself (expose-args).
    private func bind(_ source: ByteString, at destination: ByteString, in root: FileDescriptor,
                      attributes: MountAttributes, expected: DescriptorSource? = nil, exact: Bool = false,
                      parents: UInt32 = 0o755) throws(SystemError) {
        let tree = try system.cloneMountTree(source, in: nil)
        defer { system.close(tree) }
        if let expected, system.identity(of: tree) != expected.identity {
            throw SystemError("binding \(source): not \(expected.what) (it was renamed or replaced)", errno: ESTALE)
        }
        try system.setMountAttributes(tree, attributes, recursive: true)
        if exact { return try bindArgument(tree, source: source, at: destination, in: root, parents: parents) }
        let target = try system.kind(of: tree) == .directory
            ? try ensureDirectory(destination, in: root, parents: parents)
            : try ensureFile(destination, in: root, parents: parents)
        defer { system.close(target) }
        try system.moveMount(tree, onto: target)
    }

    /// An argument's file (expose-args) at the path it was named by, and only there: a directory on
    /// the way, in a place a sandbox can write, may have been turned into a symlink since the path
    /// was resolved, to put the file over another of the new sandbox (its /usr/bin/dash) or to make
    /// one (its ~/.bashrc). Reached with no symlink on the way, what is there is the place named (a
    /// directory sbox made, or the file itself through a host directory bound above); through a
    /// symlink, only the very file; where nothing is there, it is made anew with no symlink on the way.
    private func bindArgument(_ tree: FileDescriptor, source: ByteString, at destination: ByteString,
                              in root: FileDescriptor, parents: UInt32) throws(SystemError) {
        let target: FileDescriptor
        do {
            target = try system.openWithoutSymlinks(destination, in: root)
        } catch where error.errno == ELOOP {
            let existing = try system.open(destination, in: root)
            guard system.identity(of: existing) == system.identity(of: tree) else {
                system.close(existing)
                throw SystemError("binding \(source) on \(destination): that place shows another file "
                                  + "(a directory on the way was replaced)", errno: ELOOP)
            }
            target = existing
        } catch where error.errno == ENOENT {
            target = try makeArgumentPlace(destination, directory: system.kind(of: tree) == .directory,
                                           in: root, parents: parents)
        }
        defer { system.close(target) }
        try system.moveMount(tree, onto: target)
    }

    /// A new file or directory at `path`, with no symlink on the way; never an existing one.
    private func makeArgumentPlace(_ path: ByteString, directory: Bool, in root: FileDescriptor,
                                   parents: UInt32) throws(SystemError) -> FileDescriptor {
        let parent = try directoryWithoutSymlinks(path.parent, in: root, parents: parents)
        defer { system.close(parent) }
        guard directory else { return try system.createFile(path.lastComponent, in: parent, permissions: 0o444) }
        try system.makeDirectory(path.lastComponent, in: parent, permissions: 0o755)
        return try system.openWithoutSymlinks(path.lastComponent, in: parent)
    }

    /// The directory `path` in the new root, made where missing, with no symlink on the way (ELOOP).
    private func directoryWithoutSymlinks(_ path: ByteString, in root: FileDescriptor,
                                          parents: UInt32) throws(SystemError) -> FileDescriptor {
        do {
            return try system.openWithoutSymlinks(path, in: root)
        } catch where error.errno == ENOENT && path != ByteString.root {
            let parent = try directoryWithoutSymlinks(path.parent, in: root, parents: parents)
            defer { system.close(parent) }
            do {
                try system.makeDirectory(path.lastComponent, in: parent, permissions: parents)
            } catch where error.errno == EEXIST {}
            return try system.openWithoutSymlinks(path.lastComponent, in: parent)
        }
    }

    private func mountNew(_ filesystem: String, options: [ByteString], attributes: MountAttributes,
                          at path: ByteString, in root: FileDescriptor,
                          parents: UInt32 = 0o755) throws(SystemError) {
        let mount = try system.newMount(filesystem, options: options, attributes: attributes)
        defer { system.close(mount) }
        let target = try ensureDirectory(path, in: root, parents: parents)
        defer { system.close(target) }
        try system.moveMount(mount, onto: target)
    }

    private func mountProc(at path: ByteString, in root: FileDescriptor, ownPIDNamespace: Bool) throws(SystemError) {
        let attributes: MountAttributes = [.noSetuid, .noDevices, .noExec]
        if ownPIDNamespace {
            try mountNew("proc", options: [], attributes: attributes, at: path, in: root)
        } else {
            // A procfs can only be mounted for a PID namespace the sandbox owns: share the host's.
            try bind(Self.hostPath("/proc"), at: path, in: root, attributes: attributes)
        }
        // Old interfaces that act on the whole machine are made read-only, as in bwrap, where the
        // sandbox could write them: only as the host's root (for anyone else they are the host
        // root's files, out of reach whatever capabilities the sandbox keeps).
        guard callerIsHostRoot else { return }
        let proc = try system.open(path, in: root)
        defer { system.close(proc) }
        for name in Self.procfsEntriesToCover {
            let cover: FileDescriptor
            do { cover = try system.cloneMountTree(name, in: proc) } catch where error.errno == ENOENT {
                continue  // not in this kernel (sysrq-trigger without CONFIG_MAGIC_SYSRQ)
            }
            defer { system.close(cover) }
            try system.setMountAttributes(cover, attributes.union(.readOnly), recursive: true)
            try withOpened(path.appending(name), in: root) { target throws(SystemError) in
                try system.moveMount(cover, onto: target)
            }
        }
    }

    /// A tmpfs with the host's harmless device nodes, the usual links, devpts and shm, as bwrap's --dev.
    private func mountDev(at path: ByteString, in root: FileDescriptor, terminal: ByteString?) throws(SystemError) {
        // Device nodes are bind mounts of the host's: their own mounts, not this tmpfs, decide access.
        try mountNew("tmpfs", options: ["mode=0755"], attributes: [.noSetuid, .noDevices, .noExec],
                     at: path, in: root)
        let dev = try system.open(path, in: root)
        defer { system.close(dev) }
        do {
            let hostDev = try system.openDirectory(Self.hostPath("/dev"))
            defer { system.close(hostDev) }
            for node in MountStep.deviceNodes {
                try bindDeviceNode(system.cloneMountTree(node, in: hostDev), named: node, in: dev)
            }
        }
        if let terminal {
            try bindDeviceNode(system.cloneMountTree(Self.hostPath(terminal), in: nil), named: "console", in: dev)
        }
        try system.makeSymlink("stdin", in: dev, target: "/proc/self/fd/0")
        try system.makeSymlink("stdout", in: dev, target: "/proc/self/fd/1")
        try system.makeSymlink("stderr", in: dev, target: "/proc/self/fd/2")
        try system.makeSymlink("fd", in: dev, target: "/proc/self/fd")
        try system.makeSymlink("core", in: dev, target: "/proc/kcore")
        try system.makeSymlink("ptmx", in: dev, target: MountStep.terminalDirectory.appending("ptmx"))
        try system.makeDirectory(MountStep.sharedMemory, in: dev, permissions: 0o755)
        try mountNew("devpts", options: ["newinstance", "ptmxmode=0666", "mode=620"],
                     attributes: [.noSetuid, .noExec], at: path.appending(MountStep.terminalDirectory), in: root)
    }

    /// A host device node (a copy of its mount) on a new, empty file of the fresh /dev tmpfs:
    /// nothing to resolve or check.
    private func bindDeviceNode(_ node: FileDescriptor, named name: ByteString,
                                in dev: FileDescriptor) throws(SystemError) {
        defer { system.close(node) }
        let target = try system.createFile(name, in: dev, permissions: 0o444)
        defer { system.close(target) }
        // Read-only: a device is still opened for writing through it (the kernel asks a device's
        // mount nothing for that), but the host's node is not changed: no chmod of the host's
        // /dev/null by a root caller's sandbox, none of the relayed pseudo-terminal by anyone's.
        try system.setMountAttributes(node, [.readOnly, .noSetuid, .noExec], recursive: false)
        try system.moveMount(node, onto: target)
    }

    /// overlayfs, as bwrap mounts it: the layers top first in lowerdir, `userxattr` (the sandbox's user
    /// namespace is not the initial one). A temporary upper layer lives in the staging tmpfs, which
    /// nothing can reach once the new root is entered.
    private func mountOverlay(_ layers: [ByteString], at path: ByteString, writes: MountStep.OverlayWrites,
                              in root: FileDescriptor) throws(SystemError) {
        func escaped(_ path: ByteString) -> ByteString {
            var bytes: [UInt8] = []
            for byte in Self.hostPath(path).bytes {
                if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: ",") {
                    bytes.append(UInt8(ascii: "\\"))
                }
                bytes.append(byte)
            }
            return ByteString(bytes)
        }
        var lower: ByteString = "lowerdir="
        for (index, layer) in layers.reversed().enumerated() { lower += (index == 0 ? "" : ":") + escaped(layer) }
        var options: [ByteString] = [lower, "userxattr"]
        var attributes: MountAttributes = [.noSetuid, .noDevices]
        switch writes {
        case .host(let upper, let work):
            options += ["upperdir=" + escaped(upper), "workdir=" + escaped(work)]
        case .temporary:
            // Named after the destination, whose slashes become underscores: one per destination.
            let name = ByteString(path.bytes.map { $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 })
            let upper = "/overlay-upper" + name, work = "/overlay-work" + name
            try system.makeDirectory(upper, permissions: 0o755)
            try system.makeDirectory(work, permissions: 0o755)
            options += ["upperdir=" + upper, "workdir=" + work]
        case .refused:
            attributes.insert(.readOnly)
        }
        try mountNew("overlay", options: options, attributes: attributes, at: path, in: root)
    }

    /// An empty read-only directory over a directory, an empty read-only file over anything else.
    private func hide(_ path: ByteString, in root: FileDescriptor) throws(SystemError) {
        let target: FileDescriptor
        do {
            target = try system.open(path, in: root)
        } catch where error.errno == ENOENT {
            return  // nothing there to hide
        }
        defer { system.close(target) }
        let attributes: MountAttributes = [.readOnly, .noSetuid, .noDevices, .noExec]
        // An empty directory or file of the staging root ("/" until the new root is entered), bound
        // read-only: cheaper than a tmpfs of its own for each hidden directory.
        let directory = try system.kind(of: target) == .directory
        let name = directory ? Self.emptyDirectory : Self.emptyFile
        do {
            let staging = try system.openDirectory("/")
            defer { system.close(staging) }
            if directory {
                try system.makeDirectory(name, in: staging, permissions: 0o755)
            } else {
                system.close(try system.createFile(name, in: staging, permissions: 0o444))
            }
        } catch where error.errno == EEXIST {}
        let cover = try system.cloneMountTree(ByteString.root.appending(name), in: nil)
        defer { system.close(cover) }
        try system.setMountAttributes(cover, attributes, recursive: false)
        try system.moveMount(cover, onto: target)
    }

    static let emptyFile: ByteString = "empty"
    static let emptyDirectory: ByteString = "empty-directory"

    private func makeSymlink(_ path: ByteString, target: ByteString, in root: FileDescriptor) throws(SystemError) {
        // A link right under the root (bin -> usr/bin...) is made in the root descriptor itself.
        let inRoot = path.parent == ByteString.root
        let parent = inRoot ? root : try ensureDirectory(path.parent, in: root)
        defer { if !inRoot { system.close(parent) } }
        let name = path.lastComponent
        do {
            try system.makeSymlink(name, in: parent, target: target)
        } catch where error.errno == EEXIST {
            // As bwrap: an identical existing link is fine.
            guard let existing = system.readSymlink(name, in: parent) else {
                throw SystemError("Can't make symlink at", path: path, errno: EEXIST,
                                  detail: "destination exists and is not a symlink")
            }
            guard existing == target else {
                throw SystemError("Can't make symlink at", path: path, errno: EEXIST,
                                  detail: "existing destination is \(existing)")
            }
        } catch {
            throw SystemError("Can't make symlink at", path: path, errno: error.errno)
        }
    }

    // MARK: - Paths inside the new root

    /// Opens the directory `path` in the new root, creating it and its parents (with mode `parents`) as needed.
    private func ensureDirectory(_ path: ByteString, in root: FileDescriptor, permissions: UInt32 = 0o755,
                                 parents: UInt32 = 0o755) throws(SystemError) -> FileDescriptor {
        if path.parent == ByteString.root && path != ByteString.root {
            // A directory right under the root, usually not there yet in the empty new root: make it
            // first. One name relative to the root descriptor: mkdirat follows no symlink.
            do {
                try system.makeDirectory(path.lastComponent, in: root, permissions: permissions)
                return try system.open(path, in: root)
            } catch where error.errno == EEXIST {}
        }
        do throws(SystemError) {
            let fd = try system.open(path, in: root)
            guard try system.kind(of: fd) == .directory else {
                system.close(fd)
                throw SystemError("opening directory", path: path, errno: ENOTDIR)
            }
            return fd
        } catch where error.errno == ENOENT && path != ByteString.root {
            let parent = try ensureDirectory(path.parent, in: root, permissions: parents, parents: parents)
            defer { system.close(parent) }
            do {
                try system.makeDirectory(path.lastComponent, in: parent, permissions: permissions)
            } catch where error.errno == EEXIST {}
            return try system.open(path, in: root)
        }
    }

    /// Opens `path` in the new root, creating an empty file (and its parents) when it is missing.
    private func ensureFile(_ path: ByteString, in root: FileDescriptor,
                            parents: UInt32 = 0o755) throws(SystemError) -> FileDescriptor {
        do {
            return try system.open(path, in: root)
        } catch where error.errno == ENOENT {
            let parent = try ensureDirectory(path.parent, in: root, permissions: parents, parents: parents)
            defer { system.close(parent) }
            do {
                return try system.createFile(path.lastComponent, in: parent, permissions: 0o444)
            } catch where error.errno == EEXIST {
                return try system.open(path, in: root)
            }
        }
    }

    private func withOpened(_ path: ByteString, in root: FileDescriptor,
                            _ body: (FileDescriptor) throws(SystemError) -> Void) throws(SystemError) {
        let fd = try system.open(path, in: root)
        defer { system.close(fd) }
        try body(fd)
    }

    /// "0755": what String(_:radix:) gives, without its generic path (slow at first use in a static binary).
    static func octal(_ value: UInt32) -> String {
        var digits = ""
        var rest = value
        repeat {
            digits.insert(Character(Unicode.Scalar(UInt8(48 + rest % 8))), at: digits.startIndex)
            rest /= 8
        } while rest > 0
        return "0" + digits
    }

    /// Where the host's `path` is seen during setup.
    static func hostPath(_ path: ByteString) -> ByteString { path == ByteString.root ? oldRoot : oldRoot + path }
}
