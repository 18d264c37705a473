import CSbox
import CSeccomp
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// sbox learn's supervisor side: it takes a copy of the sandbox's seccomp listener, records each
/// notification (a system call BASE refuses, a file opened, executed or changed, a socket), and lets
/// the call go on. Processes the program starts inherit the filter: they are followed too.
public final class Learner {
    /// The system calls that name files (or open sockets): reported even when BASE allows them.
    static let watchedCalls = ["open", "openat", "openat2", "creat", "execve", "execveat", "mkdir", "mkdirat", "rmdir",
                               "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink",
                               "symlinkat", "truncate", "socket", "connect", "sendto", "sendmsg", "set_robust_list",
                               "wait4", "waitid"]

    /// Creating processes and threads is let through without a notification: a signal that arrives
    /// before sbox has received one (the SIGCHLD of the previous child) would make fork fail with
    /// EINTR. The run used it when notifications came from more than one thread (glibc's new threads
    /// and processes call set_robust_list first), or when it waited for a child.
    static let processCalls = ["clone", "fork", "vfork"]

    public private(set) var record = LearningRecord()

    /// Where the program went through the egress proxy.
    func reached(_ destinations: [Destination]) { record.reachedHosts = destinations }
    /// The program started under the filter: there is something to learn from.
    public private(set) var started = false
    private var threads = Set<Int32>()
    private let allowed: Set<String>?
    private let denied: Set<String>
    private var names: [Int32: String] = [:]
    /// What no learned profile gets: the calls in no group (mount, ptrace, bpf...), refused as BASE
    /// would refuse them. A profile that needs one must name it itself.
    private let dangerous = Set(SyscallGroups.dangerous)

    /// The errno BASE's refusal gives (EPERM, or ENOSYS for `seccomp-action enosys`).
    private let refusal: Int32

    /// --allow-sockets: the program may reach the host's unix sockets (and what it reached is learned).
    private let socketsAllowed: Bool

    /// Reads the program's descriptors and directories in the host's /proc.
    let system: SystemCalls

    public init(base: Plan, allowSockets: Bool = false, system: SystemCalls = LinuxSystemCalls()) {
        self.system = system
        allowed = base.allowedSyscalls.map(Set.init)
        denied = Set(base.deniedSyscalls)
        refusal = base.seccompAction == .enosys ? ENOSYS : EPERM
        socketsAllowed = allowSockets
        record.socketsAllowed = allowSockets
    }

    /// What taking the sandbox's listener gave: it, the sandbox's end first, or nothing to learn.
    enum Listener { case taken(FileDescriptor), ended(status: Int32, timedOut: Bool), none }

    /// `report` gives the worker's pid and the number its listener will have; the listener is copied
    /// as soon as it exists. Nothing arrives when the setup failed before the filter.
    func takeListener(_ wait: inout SandboxWait, report: FileDescriptor) -> Listener {
        var values: [Int32] = []
        reading: while values.count < 2 {
            switch wait.report(from: report) {
            case .value(let value): values.append(value)
            case .closed: break reading
            case .ended(let status):
                system.close(report)
                return .ended(status: status, timedOut: wait.timedOut)
            }
        }
        system.close(report)
        guard values.count == 2 else { return .none }
        let (copy, error) = copyListener(of: values[0], number: values[1])
        guard let listener = copy else {
            // The program waits for an answer that would never come: end the sandbox.
            system.sendSignal(SIGKILL, to: wait.pid)
            _ = wait.signals.forward(to: wait.pid, timeout: nil)
            Diagnostics.error("learn: cannot take the sandbox's seccomp listener "
                + "(pidfd_getfd: \(SystemError("", errno: error).reason)); "
                + "is ptrace restricted here (kernel.yama.ptrace_scope)?")
            return .ended(status: ExitStatus.sandboxFailure, timedOut: false)
        }
        started = true
        return .taken(listener)
    }

    /// The worker reports its listener's number before it loads the filter: its copy appears as soon
    /// as the filter is in, and the worker waits on the first notification until it is answered.
    /// The copy, or nil and the errno of what failed.
    private func copyListener(of worker: Int32, number: Int32) -> (FileDescriptor?, Int32) {
        let process: FileDescriptor
        do { process = try system.openProcess(worker) } catch { return (nil, error.errno) }
        defer { system.close(process) }
        for _ in 0..<50_000 {  // ten seconds
            do {
                let fd = try system.copyDescriptor(number, from: process)
                let link = system.readSymlink(ByteString("/proc/self/fd/\(fd)"), in: AT_FDCWD) ?? ""
                if link.contains("seccomp") { return (fd, 0) }
                system.close(fd)
            } catch where error.errno != EBADF {
                return (nil, error.errno)  // the worker is gone, or this process may not take its descriptors
            } catch {}
            system.pause(microseconds: 200)
        }
        return (nil, ETIMEDOUT)
    }

    func answer(_ listener: Int32) {
        guard let notification = system.receiveNotification(from: listener) else { return }
        let name = self.name(notification.number)
        if dangerous.contains(name) && !(allowed?.contains(name) ?? !denied.contains(name)) {
            record.refused.insert(name)
            system.answer(notification, on: listener, refusal: allowed == nil ? EPERM : refusal)
            return
        }
        if threads.insert(notification.pid).inserted && threads.count > 1 || name == "wait4" || name == "waitid" {
            if allowed.map({ !$0.contains("clone") }) ?? false || denied.contains("clone") {
                record.syscalls.insert("clone")
            }
        }
        if let allowed, !allowed.contains(name) { record.syscalls.insert(name) }
        if denied.contains(name) { record.syscalls.insert(name) }
        system.answer(notification, on: listener, refusal: note(name, notification))
    }

    private func name(_ nr: Int32) -> String {
        if let known = names[nr] { return known }
        var text = "syscall \(nr)"
        if let resolved = seccomp_syscall_resolve_num_arch(seccomp_arch_native(), nr) {
            text = String(cString: resolved)
            free(resolved)
        }
        names[nr] = text
        return text
    }

    /// The file a watched call names, as the sandbox sees it, and what it does to it; the errno the call
    /// gets instead of going on, if any: without --allow-sockets, a unix socket's (its places are hidden
    /// too, or in overlays; this also covers the others, as far as a program that does not race its
    /// own memory goes).
    private func note(_ name: String, _ call: SeccompNotification) -> Int32? {
        let a = call.arguments
        let pid = call.pid
        func path(_ index: Int, directory: Int? = nil) -> ByteString? {
            resolve(a[index], in: pid, directory: directory.map { a[$0] })
        }
        func opened(_ index: Int, flags: UInt64, directory: Int? = nil) {
            let writes = flags & UInt64(O_ACCMODE) != UInt64(O_RDONLY) || flags & UInt64(O_CREAT | O_TRUNC) != 0
            add(path(index, directory: directory), writes ? .write : .read)
        }
        func add(_ path: ByteString?, _ kind: FileAccessRecord.Kind) {
            if let path { record.accesses.append(FileAccessRecord(path, kind)) }
        }
        switch name {
        case "open": opened(0, flags: a[1])
        case "openat": opened(1, flags: a[2], directory: 0)
        case "openat2":
            var flags: UInt64 = 0
            _ = withUnsafeMutableBytes(of: &flags) { system.readMemory(of: pid, at: a[2], into: $0) }
            opened(1, flags: flags, directory: 0)
        case "creat", "mkdir", "rmdir", "unlink", "truncate": add(path(0), .write)
        case "mkdirat", "unlinkat": add(path(1, directory: 0), .write)
        case "execve": add(path(0), .execute)
        case "execveat": add(path(1, directory: 0), .execute)
        case "rename", "link":
            add(path(0), .write)
            add(path(1), .write)
        case "renameat", "renameat2", "linkat":
            add(path(1, directory: 0), .write)
            add(path(3, directory: 2), .write)
        case "symlink": add(path(1), .write)
        case "symlinkat": add(path(2, directory: 1), .write)
        case "socket": if a[0] == UInt64(AF_INET) || a[0] == UInt64(AF_INET6) { record.network = true }
        case "connect": return unixAddress(a[1], length: a[2], pid: pid)
        case "sendto": return a[4] == 0 ? nil : unixAddress(a[4], length: a[5], pid: pid)
        case "sendmsg":
            // struct msghdr begins with msg_name and msg_namelen.
            var header: (UInt64, UInt32) = (0, 0)
            guard withUnsafeMutableBytes(of: &header, {
                system.readMemory(of: pid, at: a[1], into: UnsafeMutableRawBufferPointer(rebasing: $0[..<12]))
            }) == 12, header.0 != 0 else { break }
            return unixAddress(header.0, length: UInt64(header.1), pid: pid)
        default: break
        }
        return nil
    }

    /// A unix socket address the program gives: by path, a file the program needs (a daemon's
    /// socket), recorded; refused, abstract or not, unless the run allows sockets.
    private func unixAddress(_ address: UInt64, length: UInt64, pid: Int32) -> Int32? {
        guard length > 2 else { return nil }
        var family: UInt16 = 0
        let read = withUnsafeMutableBytes(of: &family) { system.readMemory(of: pid, at: address, into: $0) }
        guard read == 2, family == UInt16(AF_UNIX) else { return nil }
        var first: UInt8 = 0
        let abstract = withUnsafeMutableBytes(of: &first) { system.readMemory(of: pid, at: address + 2, into: $0) } == 1
            && first == 0
        if !abstract, let path = resolve(address + 2, in: pid, directory: nil) {
            record.accesses.append(FileAccessRecord(path, .connect))
        }
        return socketsAllowed ? nil : ECONNREFUSED
    }

    /// The path at `address` in `pid`'s memory, absolute: a relative one is read from its directory
    /// descriptor or its working directory, which the host's /proc shows as the sandbox sees them.
    private func resolve(_ address: UInt64, in pid: Int32, directory: UInt64?) -> ByteString? {
        guard let text = string(at: address, in: pid), !text.isEmpty else { return nil }
        if text.isAbsolute { return text.lexicallyNormalized }
        let base: ByteString?
        if let directory, Int32(truncatingIfNeeded: directory) != AT_FDCWD {
            base = system.readSymlink(ByteString("/proc/\(pid)/fd/\(Int32(truncatingIfNeeded: directory))"),
                                      in: AT_FDCWD)
        } else {
            base = system.readSymlink(ByteString("/proc/\(pid)/cwd"), in: AT_FDCWD)
        }
        guard let base, base.isAbsolute else { return nil }
        return (base + "/" + text).lexicallyNormalized
    }

    private func string(at address: UInt64, in pid: Int32) -> ByteString? {
        guard address != 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Int(PATH_MAX)) { buffer in
            let count = system.readMemory(of: pid, at: address, into: UnsafeMutableRawBufferPointer(buffer))
            guard count > 0 else { return nil }
            let bytes = UnsafeBufferPointer(rebasing: buffer[..<count])
            guard let end = bytes.firstIndex(of: 0) else { return nil }
            return ByteString(Array(UnsafeBufferPointer(rebasing: bytes[..<end])))
        }
    }
}
