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

    public func canonicalPath(_ path: String) throws(SystemError) -> String {
        guard let resolved = Glibc.realpath(path, nil) else { throw SystemError("resolving", path: path, errno: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func clone(namespaces flags: Int32) throws(SystemError) -> Int32 {
        let pid = sbox_clone(UInt(UInt32(bitPattern: flags)))
        guard pid >= 0 else { throw SystemError("clone", errno: errno) }
        return pid
    }

    public func unshare(_ flags: Int32) throws(SystemError) {
        try check(sbox_unshare(flags), "unshare")
    }

    public func joinNamespace(descriptor: FileDescriptor, type: Int32) throws(SystemError) {
        try check(sbox_setns(descriptor, type), "setns on descriptor \(descriptor)")
    }

    public func joinNamespace(_ path: String, in directory: FileDescriptor, type: Int32) throws(SystemError) {
        let fd = try descriptor(Glibc.openat(directory, path, O_RDONLY | O_CLOEXEC), "open", path)
        defer { Glibc.close(fd) }
        try check(sbox_setns(fd, type), "setns", path)
    }

    public func sendReport(_ value: Int32, to pipe: FileDescriptor) {
        var value = value
        _ = Glibc.write(pipe, &value, MemoryLayout<Int32>.size)
    }

    public func receiveReport(from pipe: FileDescriptor) throws(SystemError) -> Int32 {
        var value: Int32 = 0
        while true {
            let count = Glibc.read(pipe, &value, MemoryLayout<Int32>.size)
            if count == MemoryLayout<Int32>.size { return value }
            if count < 0 && errno == EINTR { continue }
            throw SystemError("waiting for the init", errno: count < 0 ? errno : EPIPE)
        }
    }

    public func writeFile(_ path: String, in directory: FileDescriptor?, contents: String) throws(SystemError) {
        let fd = Glibc.openat(directory ?? AT_FDCWD, path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        defer { Glibc.close(fd) }
        var text = contents
        let written = text.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == contents.utf8.count else { throw SystemError("write", path: path, errno: written < 0 ? errno : EIO) }
    }

    public func setHostname(_ name: String) throws(SystemError) {
        try check(Glibc.sethostname(name, name.utf8.count), "sethostname", name)
    }

    public func bringUpLoopback() throws(SystemError) {
        try check(sbox_loopback_up(), "bringing up the loopback interface")
    }

    public func setParentDeathSignal(_ signal: Int32) throws(SystemError) {
        try check(sbox_prctl(SBOX_PR_SET_PDEATHSIG, UInt(signal), 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    }

    public func startSession() throws(SystemError) {
        guard Glibc.setsid() >= 0 else { throw SystemError("setsid", errno: errno) }
    }

    public func setNoNewPrivileges() throws(SystemError) {
        try check(sbox_prctl(SBOX_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    }

    public func dropCapabilities(keeping kept: CapabilitySet, ambient: Bool) throws(SystemError) {
        func isKept(_ value: cap_value_t) -> Bool { kept.rawValue & (1 << UInt64(value)) != 0 }
        func name(_ value: cap_value_t) -> String { Capability(rawValue: UInt32(value))?.description ?? "capability \(value)" }
        let last = cap_max_bits()
        for value in 0..<last where !isKept(value) {
            try check(cap_drop_bound(value), "dropping \(name(value)) from the bounding set")
        }
        // One prctl: libcap's cap_reset_ambient first asks about every capability in turn.
        try check(sbox_prctl(SBOX_PR_CAP_AMBIENT, UInt(SBOX_PR_CAP_AMBIENT_CLEAR_ALL), 0, 0, 0), "clearing the ambient capabilities")
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

    public func writeFile(_ name: String, in parent: FileDescriptor, permissions: UInt32, contents: [UInt8]) throws(SystemError) {
        let fd = try descriptor(Glibc.openat(parent, name, O_CREAT | O_TRUNC | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, permissions), "creating", name)
        defer { Glibc.close(fd) }
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw SystemError("writing", path: name, errno: errno) }
            offset += written
        }
        try check(Glibc.fchmod(fd, permissions), "chmod", name)
    }

    public func waitForData(on descriptor: FileDescriptor) throws(SystemError) {
        defer { Glibc.close(descriptor) }
        var byte: UInt8 = 0
        while Glibc.read(descriptor, &byte, 1) < 0 {
            guard errno == EINTR else { throw SystemError("waiting on descriptor \(descriptor)", errno: errno) }
        }
    }

    public func holdLock(on path: String) throws(SystemError) -> FileDescriptor {
        let fd = try descriptor(Glibc.open(path, O_RDONLY | O_CLOEXEC), "open", path)
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

    public func mountTmpfs(on path: String) throws(SystemError) {
        try check(Glibc.mount("tmpfs", path, "tmpfs", UInt(MS_NOSUID | MS_NODEV), "mode=0755"), "mounting a tmpfs on", path)
    }

    public func landlockABI() -> Int { max(0, Int(sbox_landlock_abi())) }

    public func createLandlockRuleset(fileSystem: LandlockRights, network: UInt64, scopes: UInt64) throws(SystemError) -> FileDescriptor {
        try descriptor(sbox_landlock_create_ruleset(fileSystem.rawValue, network, scopes), "landlock_create_ruleset")
    }

    public func addLandlockRule(to ruleset: FileDescriptor, beneath: FileDescriptor, rights: LandlockRights) throws(SystemError) {
        try check(sbox_landlock_add_path_rule(ruleset, rights.rawValue, beneath), "landlock_add_rule")
    }

    public func addLandlockRule(to ruleset: FileDescriptor, port: UInt16, rights: UInt64) throws(SystemError) {
        try check(sbox_landlock_add_port_rule(ruleset, rights, UInt64(port)), "landlock_add_rule", "port \(port)")
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

    public func setFileCreationMask(_ mask: UInt32) -> UInt32 {
        Glibc.umask(mask)
    }

    public func makePropagationSlave(_ path: String) throws(SystemError) {
        try check(Glibc.mount(nil, path, nil, UInt(MS_REC | MS_SLAVE), nil), "making mounts private to the sandbox at", path)
    }

    public func makeDirectory(_ path: String, permissions: UInt32) throws(SystemError) {
        try check(Glibc.mkdir(path, permissions), "mkdir", path)
    }

    public func pivotRoot(_ newRoot: String, putOld: String) throws(SystemError) {
        try check(sbox_pivot_root(newRoot, putOld), "pivot_root", newRoot)
    }

    public func detach(_ path: String) throws(SystemError) {
        try check(Glibc.umount2(path, Int32(MNT_DETACH)), "unmounting", path)
    }

    public func changeDirectory(_ path: String) throws(SystemError) {
        try check(Glibc.chdir(path), "chdir", path)
    }

    public func openDirectory(_ path: String) throws(SystemError) -> FileDescriptor {
        try descriptor(Glibc.open(path, SBOX_O_PATH | O_DIRECTORY | O_CLOEXEC), "open", path)
    }

    public func open(_ path: String, in root: FileDescriptor) throws(SystemError) -> FileDescriptor {
        try descriptor(openInRoot(root, path, O_PATH: true), "open", path)
    }

    /// openat2 with RESOLVE_IN_ROOT. The kernel answers EAGAIN when a rename or a mount anywhere
    /// raced with resolving `..`: it asks to be called again.
    private func openInRoot(_ root: FileDescriptor, _ path: String, O_PATH: Bool) -> Int32 {
        let flags = O_PATH ? SBOX_O_PATH | O_CLOEXEC : O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC
        let resolve = UInt64(SBOX_RESOLVE_IN_ROOT | SBOX_RESOLVE_NO_MAGICLINKS)
        var fd: Int32
        repeat {
            fd = sbox_openat2(root, path, UInt64(flags), 0, resolve)
        } while fd < 0 && errno == EAGAIN
        return fd
    }

    public func makeDirectory(_ name: String, in parent: FileDescriptor, permissions: UInt32) throws(SystemError) {
        try check(Glibc.mkdirat(parent, name, permissions), "mkdir", name)
    }

    public func createFile(_ name: String, in parent: FileDescriptor, permissions: UInt32) throws(SystemError) -> FileDescriptor {
        try descriptor(Glibc.openat(parent, name, O_CREAT | O_EXCL | O_RDONLY | O_NOFOLLOW | O_CLOEXEC, permissions), "creating", name)
    }

    public func makeSymlink(_ name: String, in parent: FileDescriptor, target: String) throws(SystemError) {
        try check(Glibc.symlinkat(target, parent, name), "symlink", name)
    }

    public func readSymlink(_ name: String, in parent: FileDescriptor) -> String? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(PATH_MAX)) { buffer in
            let count = Glibc.readlinkat(parent, name, buffer.baseAddress!, buffer.count)
            return count < 0 ? nil : String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
        }
    }

    public func changePermissions(_ path: String, in root: FileDescriptor, to permissions: UInt32) throws(SystemError) {
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

    public func identity(at path: String) -> FileIdentity? {
        var info = stat()
        guard Glibc.fstatat(AT_FDCWD, path, &info, 0) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    public func cloneMountTree(_ path: String, in directory: FileDescriptor?) throws(SystemError) -> FileDescriptor {
        let flags = UInt32(SBOX_OPEN_TREE_CLONE | SBOX_OPEN_TREE_CLOEXEC | SBOX_AT_RECURSIVE)
        if let directory, !path.utf8.contains(UInt8(ascii: "/")) {
            // One name in a directory: no path to resolve, and its last component is not followed.
            return try descriptor(sbox_open_tree(directory, path, flags | UInt32(SBOX_AT_SYMLINK_NOFOLLOW)), "open_tree", path)
        }
        // Sources are canonical, resolved before any namespace existed: a symlink on the way now
        // means the source changed since, and following it could bind something else.
        let resolve = UInt64(SBOX_RESOLVE_NO_SYMLINKS)
        let opened = sbox_openat2(directory ?? AT_FDCWD, path, UInt64(SBOX_O_PATH | O_CLOEXEC), 0, resolve)
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

    public func newMount(_ filesystem: String, options: [String], attributes: UInt64) throws(SystemError) -> FileDescriptor {
        let context = try descriptor(sbox_fsopen(filesystem, UInt32(SBOX_FSOPEN_CLOEXEC)), "fsopen", filesystem)
        defer { Glibc.close(context) }
        for option in options {
            let rc: Int32
            if let equals = option.firstIndex(of: "=") {
                rc = sbox_fsconfig(context, UInt32(SBOX_FSCONFIG_SET_STRING), String(option[..<equals]), String(option[option.index(after: equals)...]))
            } else {
                rc = sbox_fsconfig(context, UInt32(SBOX_FSCONFIG_SET_FLAG), option, nil)
            }
            try check(rc, "setting option \(option) of", filesystem)
        }
        try check(sbox_fsconfig(context, UInt32(SBOX_FSCONFIG_CMD_CREATE), nil, nil), "creating a file system of type", filesystem)
        return try descriptor(sbox_fsmount(context, UInt32(SBOX_FSMOUNT_CLOEXEC), UInt32(attributes)), "fsmount", filesystem)
    }

    public func setMountAttributes(_ mount: FileDescriptor, _ attributes: UInt64, recursive: Bool) throws(SystemError) {
        let flags = UInt32(SBOX_AT_EMPTY_PATH | (recursive ? SBOX_AT_RECURSIVE : 0))
        try check(sbox_mount_setattr(mount, "", flags, attributes, 0), "mount_setattr")
    }

    public func moveMount(_ mount: FileDescriptor, onto target: FileDescriptor) throws(SystemError) {
        let flags = UInt32(SBOX_MOVE_MOUNT_F_EMPTY_PATH | SBOX_MOVE_MOUNT_T_EMPTY_PATH)
        try check(sbox_move_mount(mount, "", target, "", flags), "move_mount")
    }

    public func moveMount(_ mount: FileDescriptor, onto path: String) throws(SystemError) {
        try check(sbox_move_mount(mount, "", AT_FDCWD, path, UInt32(SBOX_MOVE_MOUNT_F_EMPTY_PATH)), "move_mount", path)
    }

    public func close(_ descriptor: FileDescriptor) {
        Glibc.close(descriptor)
    }

    public func execute(_ file: String, arguments: [String], environment: [String]) -> Int32 {
        let argv = Self.cStrings(arguments), envp = Self.cStrings(environment)
        // The program's PATH, from its own environment, read in place (nothing to free on the way).
        guard let path = environment.last(where: { $0.hasPrefix("PATH=") }) else { return sbox_exec(file, argv, envp, nil) }
        return path.withCString { sbox_exec(file, argv, envp, $0 + 5) }
    }

    /// A NULL-terminated C array of copies of `strings`, for execve. It is never freed: exec
    /// replaces the process, or the process exits.
    private static func cStrings(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for index in 0..<strings.count { array[index] = strdup(strings[index]) }
        array[strings.count] = nil
        return array
    }

    public func fork() throws(SystemError) -> Int32 {
        let pid = Glibc.fork()
        guard pid >= 0 else { throw SystemError("fork", errno: errno) }
        return pid
    }


    // MARK: -

    private func check(_ result: Int32, _ operation: String, _ path: String? = nil) throws(SystemError) {
        guard result == 0 else { throw SystemError(operation, path: path, errno: errno) }
    }

    private func descriptor(_ result: Int32, _ operation: String, _ path: String? = nil) throws(SystemError) -> FileDescriptor {
        guard result >= 0 else { throw SystemError(operation, path: path, errno: errno) }
        return result
    }
}
