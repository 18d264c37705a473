import CCap
import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The real system calls. Each failure carries the operation, the path and errno.
public final class LinuxSystemCalls: SystemCalls {
    public init() {}

    public func threadCount() -> Int? {
        // procfs counts a process's threads in the link count of its task directory.
        var info = stat()
        guard lstat("/proc/self/task", &info) == 0 else { return nil }
        return Int(info.st_nlink) - 2
    }

    public func canonicalPath(_ path: ByteString) throws(SystemError) -> ByteString {
        guard let resolved = path.withCString({ Glibc.realpath($0, nil) }) else {
            throw SystemError("resolving", path: path, errno: errno)
        }
        defer { free(resolved) }
        return ByteString(cString: resolved)
    }

    public func clone(namespaces: Namespaces) throws(SystemError) -> Int32 {
        let pid = sbox_clone(UInt(UInt32(bitPattern: namespaces.cloneFlags)))
        guard pid >= 0 else { throw SystemError("clone", errno: errno) }
        return pid
    }

    public func unshare(_ namespaces: Namespaces) throws(SystemError) {
        try check(sbox_unshare(namespaces.cloneFlags), "unshare")
    }

    public func joinNamespace(descriptor: FileDescriptor, type: Namespaces) throws(SystemError) {
        try check(sbox_setns(descriptor, type.cloneFlags), "setns on descriptor \(descriptor)")
    }

    public func joinNamespace(_ path: ByteString, in directory: FileDescriptor, type: Namespaces) throws(SystemError) {
        let fd = try descriptor(path.withCString { Glibc.openat(directory, $0, O_RDONLY | O_CLOEXEC) }, "open", path)
        defer { Glibc.close(fd) }
        try check(sbox_setns(fd, type.cloneFlags), "setns", path)
    }

    public func makePipe(signalling: Bool) throws(SystemError) -> Pipe {
        var ends: [Int32] = [-1, -1]
        try check(sbox_pipe_cloexec(&ends), "pipe")
        let pipe = Pipe(read: ends[0], write: ends[1])
        if signalling && sbox_signal_on_input(pipe.read) != 0 {
            let error = SystemError("fcntl(O_ASYNC)", errno: errno)
            Glibc.close(pipe.read)
            Glibc.close(pipe.write)
            throw error
        }
        return pipe
    }

    public func readToEnd(_ descriptor: FileDescriptor, limit: Int) throws(SystemError) -> [UInt8] {
        try Descriptors.readAll(descriptor, limit: limit)
    }

    public func seccompMode() -> Int32 { sbox_prctl(SBOX_PR_GET_SECCOMP, 0, 0, 0, 0) }

    public func makeSocketPair() throws(SystemError) -> Pipe {
        var ends: [Int32] = [-1, -1]
        try check(sbox_socketpair_cloexec(&ends), "socketpair")
        return Pipe(read: ends[0], write: ends[1])
    }

    public func sendLoopbackListener(port: UInt16, over socket: FileDescriptor) throws(SystemError) {
        let listener = try Sockets.listenOnLoopback(port: port)
        defer { Glibc.close(listener) }
        try check(sbox_send_descriptor(socket, listener), "sending the listener")
    }

    public func hasInputOrEnd(_ descriptor: FileDescriptor) -> Bool {
        var check = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&check, 1, 0) != 0
    }

    public func terminalName(of descriptor: FileDescriptor) -> ByteString? {
        guard isatty(descriptor) == 1, let name = ttyname(descriptor) else { return nil }
        return ByteString(cString: name)
    }

    public func sendReport(_ value: Int32, to pipe: FileDescriptor) {
        var value = value
        _ = Glibc.write(pipe, &value, MemoryLayout<Int32>.size)
    }

    public func receiveReport(from pipe: FileDescriptor) throws(SystemError) -> Int32 {
        var value: Int32 = 0
        let count = retryingIfInterrupted { Glibc.read(pipe, &value, MemoryLayout<Int32>.size) }
        if count == MemoryLayout<Int32>.size { return value }
        throw SystemError("waiting for the init", errno: count < 0 ? errno : EPIPE)
    }

    public func writeFile(_ path: ByteString, in directory: FileDescriptor?, contents: String) throws(SystemError) {
        let fd = path.withCString { Glibc.openat(directory ?? AT_FDCWD, $0, O_WRONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        var text = contents
        let written = text.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == contents.utf8.count else {
            throw SystemError("write", path: path, errno: written < 0 ? errno : EIO)
        }
    }

    public func setHostname(_ name: ByteString) throws(SystemError) {
        try check(name.withCString { Glibc.sethostname($0, name.count) }, "sethostname", name)
    }

    public func bringUpLoopback() throws(SystemError) {
        try check(sbox_loopback_up(), "bringing up the loopback interface")
    }

    public func setParentDeathSignal(_ signal: Int32) throws(SystemError) {
        try check(sbox_prctl(SBOX_PR_SET_PDEATHSIG, UInt(signal), 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    }

    public func dieWithParent() throws(SystemError) {
        let parent = getppid()
        try setParentDeathSignal(SIGKILL)
        // Re-parented already: the signal will never come.
        if getppid() != parent {
            throw SystemError("prctl(PR_SET_PDEATHSIG): the parent process had already ended", errno: ESRCH)
        }
    }

    public func startSession() throws(SystemError) {
        guard Glibc.setsid() >= 0 else { throw SystemError("setsid", errno: errno) }
    }

    public func setNoNewPrivileges() throws(SystemError) {
        try check(sbox_prctl(SBOX_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    }

    public func dropCapabilities(keeping kept: CapabilitySet, ambient: Bool) throws(SystemError) {
        func isKept(_ value: cap_value_t) -> Bool { kept.rawValue & (1 << UInt64(value)) != 0 }
        func name(_ value: cap_value_t) -> String {
            Capability(rawValue: UInt32(value))?.description ?? "capability \(value)"
        }
        let last = cap_max_bits()
        for value in 0..<last where !isKept(value) {
            try check(cap_drop_bound(value), "dropping \(name(value)) from the bounding set")
        }
        // One prctl: libcap's cap_reset_ambient first asks about every capability in turn.
        try check(sbox_prctl(SBOX_PR_CAP_AMBIENT, UInt(SBOX_PR_CAP_AMBIENT_CLEAR_ALL), 0, 0, 0),
                  "clearing the ambient capabilities")
        guard let caps = cap_init() else { throw SystemError("cap_init", errno: errno) }
        defer { cap_free(UnsafeMutableRawPointer(caps)) }
        for var value in 0..<last where isKept(value) {
            try check(cap_set_flag(caps, CAP_EFFECTIVE, 1, &value, CAP_SET), "cap_set_flag")
            try check(cap_set_flag(caps, CAP_PERMITTED, 1, &value, CAP_SET), "cap_set_flag")
            try check(cap_set_flag(caps, CAP_INHERITABLE, 1, &value, CAP_SET), "cap_set_flag")
        }
        try check(cap_set_proc(caps), "setting the capability sets")
        if ambient {
            for value in 0..<last where isKept(value) {
                try check(cap_set_ambient(value, CAP_SET), "raising ambient \(name(value))")
            }
        }
    }

    public func clearCapabilities() throws(SystemError) {
        guard let caps = cap_init() else { throw SystemError("cap_init", errno: errno) }
        defer { cap_free(UnsafeMutableRawPointer(caps)) }
        try check(cap_set_proc(caps), "clearing the capability sets")
    }

    public func loadSeccompFilter(_ program: [UInt8]) throws(SystemError) {
        try SeccompFilter.load(program)
    }

    public func loadSeccompFilterWithListener(_ program: [UInt8]) throws(SystemError) -> FileDescriptor {
        let fd = program.withUnsafeBytes { sbox_seccomp_load_listener($0.baseAddress, UInt16(program.count / 8)) }
        guard fd >= 0 else { throw SystemError("seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER)", errno: errno) }
        return fd
    }

    public func lowestFreeDescriptor() -> FileDescriptor {
        var fd: Int32 = 0
        while Glibc.fcntl(fd, F_GETFD) >= 0 { fd += 1 }
        return fd
    }

    public func closeDescriptors(from first: FileDescriptor, except kept: [FileDescriptor]) throws(SystemError) {
        var next = UInt32(first)
        for fd in kept.sorted() where fd >= first && UInt32(fd) >= next {
            if UInt32(fd) > next { try check(sbox_close_range(next, UInt32(fd) - 1), "close_range") }
            next = UInt32(fd) + 1
        }
        try check(sbox_close_range(next, UInt32.max), "close_range")
    }

    public func writeFile(_ name: ByteString, in parent: FileDescriptor, permissions: UInt32,
                          contents: [UInt8]) throws(SystemError) {
        let flags = O_CREAT | O_TRUNC | O_WRONLY | O_NOFOLLOW | O_CLOEXEC
        let fd = try descriptor(name.withCString { Glibc.openat(parent, $0, flags, permissions) }, "creating", name)
        defer { Glibc.close(fd) }
        var offset = 0
        while offset < contents.count {
            let written = retryingIfInterrupted {
                contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            }
            guard written > 0 else { throw SystemError("writing", path: name, errno: errno) }
            offset += written
        }
        try check(Glibc.fchmod(fd, permissions), "chmod", name)
    }

    public func controlTerminal(_ terminal: FileDescriptor) throws(SystemError) {
        try PseudoTerminal.control(terminal)
    }

    public func attachTerminal(_ terminal: FileDescriptor, to descriptors: [FileDescriptor],
                               sessionLedByInit: Bool) throws(SystemError) {
        try PseudoTerminal.attach(terminal, to: descriptors, sessionLedByInit: sessionLedByInit)
    }

    public func waitForData(on descriptor: FileDescriptor) throws(SystemError) {
        defer { Glibc.close(descriptor) }
        var byte: UInt8 = 0
        guard retryingIfInterrupted({ Glibc.read(descriptor, &byte, 1) }) >= 0 else {
            throw SystemError("waiting on descriptor \(descriptor)", errno: errno)
        }
    }

    public func holdLock(on path: ByteString) throws(SystemError) -> FileDescriptor {
        let fd = try descriptor(path.withCString { Glibc.open($0, O_RDONLY | O_CLOEXEC) }, "open", path)
        var lock = flock()
        lock.l_type = Int16(F_RDLCK)
        lock.l_whence = Int16(SEEK_SET)
        // As bwrap: a file locked for writing by someone else is an error, not a wait.
        guard Glibc.fcntl(fd, F_SETLK, &lock) == 0 else {
            let error = errno
            Glibc.close(fd)
            throw SystemError("locking", path: path, errno: error)
        }
        return fd
    }

    public func mountTmpfs(on path: ByteString) throws(SystemError) {
        try check(path.withCString { Glibc.mount("tmpfs", $0, "tmpfs", UInt(MS_NOSUID | MS_NODEV), "mode=0755") },
                  "mounting a tmpfs on", path)
    }

    public func landlockABI() -> Int { max(0, Int(sbox_landlock_abi())) }

    public func createLandlockRuleset(fileSystem: LandlockRights, network: UInt64,
                                      scopes: UInt64) throws(SystemError) -> FileDescriptor {
        try descriptor(sbox_landlock_create_ruleset(fileSystem.rawValue, network, scopes), "landlock_create_ruleset")
    }

    public func addLandlockRule(to ruleset: FileDescriptor, beneath: FileDescriptor,
                                rights: LandlockRights) throws(SystemError) {
        try check(sbox_landlock_add_path_rule(ruleset, rights.rawValue, beneath), "landlock_add_rule")
    }

    public func addLandlockRule(to ruleset: FileDescriptor, port: UInt16, rights: UInt64) throws(SystemError) {
        try check(sbox_landlock_add_port_rule(ruleset, rights, UInt64(port)), "landlock_add_rule for port \(port)")
    }

    public func restrictSelf(with ruleset: FileDescriptor) throws(SystemError) {
        try check(sbox_landlock_restrict_self(ruleset), "landlock_restrict_self")
    }

    public func fileAccess(of descriptor: FileDescriptor) -> FileAccess? {
        var info = stat()
        guard Glibc.fstat(descriptor, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG || type == S_IFCHR || type == S_IFBLK else { return nil }
        let flags = Glibc.fcntl(descriptor, F_GETFL)
        guard flags >= 0, flags & SBOX_O_PATH == 0 else { return nil }
        let mode = flags & O_ACCMODE
        return FileAccess(readable: mode != O_WRONLY, writable: mode != O_RDONLY, device: type != S_IFREG)
    }

    public func characterDeviceOwner(of descriptor: FileDescriptor) -> UInt32? {
        var info = stat()
        return Glibc.fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR ? info.st_uid : nil
    }

    public func reopen(_ descriptor: FileDescriptor, through node: FileDescriptor,
                       proc: FileDescriptor) throws(SystemError) {
        let flags = Glibc.fcntl(descriptor, F_GETFL)
        guard flags >= 0 else { throw SystemError("fcntl of \(descriptor)", errno: errno) }
        let link = ByteString("self/fd/\(node)")
        let fd = try self.descriptor(link.withCString {
            Glibc.openat(proc, $0, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK) | O_NOCTTY | O_CLOEXEC)
        }, "reopening descriptor \(descriptor)")
        defer { Glibc.close(fd) }
        try check(Glibc.dup2(fd, descriptor) < 0 ? -1 : 0, "dup2 onto \(descriptor)")
    }

    public func setFileCreationMask(_ mask: UInt32) -> UInt32 {
        Glibc.umask(mask)
    }

    public func makePropagationSlave(_ path: ByteString) throws(SystemError) {
        try check(path.withCString { Glibc.mount(nil, $0, nil, UInt(MS_REC | MS_SLAVE), nil) },
                  "making mounts private to the sandbox at", path)
    }

    public func makeDirectory(_ path: ByteString, permissions: UInt32) throws(SystemError) {
        try check(path.withCString { Glibc.mkdir($0, permissions) }, "mkdir", path)
    }

    public func pivotRoot(_ newRoot: ByteString, putOld: ByteString) throws(SystemError) {
        try check(newRoot.withCString { new in putOld.withCString { sbox_pivot_root(new, $0) } }, "pivot_root", newRoot)
    }

    public func detach(_ path: ByteString) throws(SystemError) {
        try check(path.withCString { Glibc.umount2($0, Int32(MNT_DETACH)) }, "unmounting", path)
    }

    public func changeDirectory(_ path: ByteString) throws(SystemError) {
        try check(path.withCString { Glibc.chdir($0) }, "chdir", path)
    }

    public func openDirectory(_ path: ByteString) throws(SystemError) -> FileDescriptor {
        try descriptor(path.withCString { Glibc.open($0, SBOX_O_PATH | O_DIRECTORY | O_CLOEXEC) }, "open", path)
    }

    public func open(_ path: ByteString, in root: FileDescriptor) throws(SystemError) -> FileDescriptor {
        try descriptor(openInRoot(root, path, O_PATH: true), "open", path)
    }

    public func openWithoutSymlinks(_ path: ByteString, in root: FileDescriptor) throws(SystemError) -> FileDescriptor {
        try descriptor(openInRoot(root, path, O_PATH: true, symlinks: false), "open", path)
    }

    /// openat2 with RESOLVE_IN_ROOT. The kernel answers EAGAIN when a rename or a mount anywhere
    /// raced with resolving `..`: it asks to be called again.
    private func openInRoot(_ root: FileDescriptor, _ path: ByteString, O_PATH: Bool, symlinks: Bool = true) -> Int32 {
        let flags = O_PATH ? SBOX_O_PATH | O_CLOEXEC : O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        let resolve = UInt64(SBOX_RESOLVE_IN_ROOT | SBOX_RESOLVE_NO_MAGICLINKS
                             | (symlinks ? 0 : SBOX_RESOLVE_NO_SYMLINKS))
        var fd: Int32
        repeat {
            fd = path.withCString { sbox_openat2(root, $0, UInt64(flags), 0, resolve) }
        } while fd < 0 && errno == EAGAIN
        return fd
    }

    public func makeDirectory(_ name: ByteString, in parent: FileDescriptor, permissions: UInt32) throws(SystemError) {
        try check(name.withCString { Glibc.mkdirat(parent, $0, permissions) }, "mkdir", name)
    }

    public func createFile(_ name: ByteString, in parent: FileDescriptor,
                           permissions: UInt32) throws(SystemError) -> FileDescriptor {
        let flags = O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC
        return try descriptor(name.withCString { Glibc.openat(parent, $0, flags, permissions) }, "creating", name)
    }

    public func makeSymlink(_ name: ByteString, in parent: FileDescriptor, target: ByteString) throws(SystemError) {
        try check(target.withCString { target in name.withCString { Glibc.symlinkat(target, parent, $0) } },
                  "symlink", name)
    }

    public func readSymlink(_ name: ByteString, in parent: FileDescriptor) -> ByteString? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(PATH_MAX)) { buffer in
            let count = name.withCString { Glibc.readlinkat(parent, $0, buffer.baseAddress!, buffer.count) }
            return count < 0 ? nil : ByteString(Array(UnsafeBufferPointer(rebasing: buffer[..<count])))
        }
    }

    public func changePermissions(_ path: ByteString, in root: FileDescriptor,
                                  to permissions: UInt32) throws(SystemError) {
        // O_PATH descriptors cannot be chmod-ed; open the file itself, still resolved in the root.
        let file = try descriptor(openInRoot(root, path, O_PATH: false), "open", path)
        defer { Glibc.close(file) }
        try check(Glibc.fchmod(file, permissions), "chmod", path)
    }

    public func kind(of descriptor: FileDescriptor) throws(SystemError) -> FileKind {
        var info = stat()
        try check(Glibc.fstat(descriptor, &info), "stat")
        let type = info.st_mode & S_IFMT
        return type == S_IFDIR ? .directory : type == S_IFCHR ? .device : .other
    }

    public func fileKind(at path: ByteString) -> FileKind? {
        var info = stat()
        guard path.withCString({ Glibc.fstatat(AT_FDCWD, $0, &info, 0) }) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .other
        default: return nil
        }
    }

    public func isSocket(_ path: ByteString) -> Bool {
        var info = stat()
        return path.withCString { Glibc.fstatat(AT_FDCWD, $0, &info, 0) } == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    public func isWritableByEveryone(_ path: ByteString) -> Bool {
        var info = stat()
        return path.withCString { Glibc.fstatat(AT_FDCWD, $0, &info, 0) } == 0
            && info.st_mode & S_IFMT == S_IFDIR && info.st_mode & S_IWOTH != 0
    }

    public func mountID(at path: ByteString) -> UInt64? {
        var id: UInt64 = 0
        return path.withCString({ sbox_mount_id($0, &id) }) == 0 ? id : nil
    }

    public func cloneMountTree(_ path: ByteString,
                               in directory: FileDescriptor?) throws(SystemError) -> FileDescriptor {
        let flags = UInt32(SBOX_OPEN_TREE_CLONE | SBOX_OPEN_TREE_CLOEXEC | SBOX_AT_RECURSIVE)
        if let directory, !path.contains(UInt8(ascii: "/")) {
            // One name in a directory: no path to resolve, and its last component is not followed.
            let fd = path.withCString { sbox_open_tree(directory, $0, flags | UInt32(SBOX_AT_SYMLINK_NOFOLLOW)) }
            return try descriptor(fd, "open_tree", path)
        }
        // Sources are canonical, resolved before any namespace existed: a symlink on the way now
        // means the source changed since, and following it could bind something else.
        let resolve = UInt64(SBOX_RESOLVE_NO_SYMLINKS)
        let opened = path.withCString {
            sbox_openat2(directory ?? AT_FDCWD, $0, UInt64(SBOX_O_PATH | O_CLOEXEC), 0, resolve)
        }
        if opened < 0 && errno == ELOOP {
            throw SystemError("binding \(path): it changed after it was resolved (a symlink appeared)", errno: ELOOP)
        }
        let source = try descriptor(opened, "open", path)
        defer { Glibc.close(source) }
        return try descriptor(sbox_open_tree(source, "", flags | UInt32(SBOX_AT_EMPTY_PATH)), "open_tree", path)
    }

    public func setResourceLimit(_ kind: ResourceKind, to value: UInt64?) throws(SystemError) {
        let resource: __rlimit_resource = switch kind {
        case .openFiles: RLIMIT_NOFILE
        case .processes: __rlimit_resource(rawValue: 6)  // RLIMIT_NPROC, a macro Swift does not import
        case .addressSpace: RLIMIT_AS
        case .cpuSeconds: RLIMIT_CPU
        case .fileSize: RLIMIT_FSIZE
        case .coreSize: RLIMIT_CORE
        }
        let bound = value.map { rlim_t($0) } ?? rlim_t.max  // RLIM_INFINITY
        // CPU time: the hard limit a second later, so that the program gets SIGXCPU (which says why)
        // before the kernel's SIGKILL.
        let hard = kind == .cpuSeconds && bound < rlim_t.max ? bound + 1 : bound
        var limit = rlimit(rlim_cur: bound, rlim_max: hard)
        try check(Glibc.setrlimit(__rlimit_resource_t(resource.rawValue), &limit), "setrlimit \(kind.rawValue)")
    }

    public func identity(of descriptor: FileDescriptor) -> FileIdentity? {
        var info = stat()
        guard Glibc.fstat(descriptor, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    public func newMount(_ filesystem: String, options: [ByteString],
                         attributes: MountAttributes) throws(SystemError) -> FileDescriptor {
        let context = try descriptor(sbox_fsopen(filesystem, UInt32(SBOX_FSOPEN_CLOEXEC)), "fsopen",
                                     ByteString(filesystem))
        defer { Glibc.close(context) }
        for option in options {
            let rc: Int32
            if let equals = option.bytes.firstIndex(of: UInt8(ascii: "=")) {
                let key = option[0..<equals], value = option.dropFirst(equals + 1)
                rc = key.withCString { key in
                    value.withCString { sbox_fsconfig(context, UInt32(SBOX_FSCONFIG_SET_STRING), key, $0) }
                }
            } else {
                rc = option.withCString { sbox_fsconfig(context, UInt32(SBOX_FSCONFIG_SET_FLAG), $0, nil) }
            }
            try check(rc, "setting option \(option) of", ByteString(filesystem))
        }
        try check(sbox_fsconfig(context, UInt32(SBOX_FSCONFIG_CMD_CREATE), nil, nil),
                  "creating a file system of type", ByteString(filesystem))
        return try descriptor(sbox_fsmount(context, UInt32(SBOX_FSMOUNT_CLOEXEC), UInt32(attributes.rawValue)),
                              "fsmount", ByteString(filesystem))
    }

    public func setMountAttributes(_ mount: FileDescriptor, _ attributes: MountAttributes,
                                   recursive: Bool) throws(SystemError) {
        let flags = UInt32(SBOX_AT_EMPTY_PATH | (recursive ? SBOX_AT_RECURSIVE : 0))
        try check(sbox_mount_setattr(mount, "", flags, attributes.rawValue, 0), "mount_setattr")
    }

    public func moveMount(_ mount: FileDescriptor, onto target: FileDescriptor) throws(SystemError) {
        let flags = UInt32(SBOX_MOVE_MOUNT_F_EMPTY_PATH | SBOX_MOVE_MOUNT_T_EMPTY_PATH)
        try check(sbox_move_mount(mount, "", target, "", flags), "move_mount")
    }

    public func moveMount(_ mount: FileDescriptor, onto path: ByteString) throws(SystemError) {
        try check(path.withCString { sbox_move_mount(mount, "", AT_FDCWD, $0, UInt32(SBOX_MOVE_MOUNT_F_EMPTY_PATH)) },
                  "move_mount", path)
    }

    public func close(_ descriptor: FileDescriptor) {
        Glibc.close(descriptor)
    }

    public func execute(_ file: ByteString, arguments: [ByteString], environment: [ByteString]) -> Int32 {
        let argv = Self.cStrings(arguments), envp = Self.cStrings(environment)
        func run(_ path: ByteString) -> Int32 {
            _ = path.withCString { Glibc.execve($0, argv, envp) }
            return errno
        }
        if file.contains(UInt8(ascii: "/")) { return run(file) }
        // As execvp, in the program's PATH, from its own environment (the last, as getenv finds it
        // once exec is done); an empty entry is the current directory.
        let search = environment.last(where: { $0.hasPrefix("PATH=") })?.dropFirst(5) ?? "/bin:/usr/bin"
        var failure = ENOENT
        for directory in search.split(separator: UInt8(ascii: ":")) {
            let error = run((directory.isEmpty ? "." : directory) + "/" + file)
            // A file that existed but could not be run is remembered; missing ones are passed.
            if error == EACCES { failure = EACCES } else if error != ENOENT && error != ENOTDIR { return error }
        }
        return failure
    }

    /// A NULL-terminated C array of copies of `strings`, their bytes as they are, for execve. It is
    /// never freed: exec replaces the process, or the process exits.
    private static func cStrings(_ strings: [ByteString]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for index in 0..<strings.count {
            let bytes = strings[index].bytes
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            bytes.withUnsafeBytes {
                UnsafeMutableRawPointer(copy).copyMemory(from: $0.baseAddress!, byteCount: bytes.count)
            }
            copy[bytes.count] = 0
            array[index] = copy
        }
        array[strings.count] = nil
        return array
    }

    public func fork() throws(SystemError) -> Int32 {
        let pid = Glibc.fork()
        guard pid >= 0 else { throw SystemError("fork", errno: errno) }
        return pid
    }


    // MARK: -

    private func check(_ result: Int32, _ operation: String, _ path: ByteString? = nil) throws(SystemError) {
        guard result == 0 else { throw SystemError(operation, path: path, errno: errno) }
    }

    private func descriptor(_ result: Int32, _ operation: String,
                            _ path: ByteString? = nil) throws(SystemError) -> FileDescriptor {
        guard result >= 0 else { throw SystemError(operation, path: path, errno: errno) }
        return result
    }
}
