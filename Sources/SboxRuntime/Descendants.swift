import CSbox
#if canImport(Glibc)
import Glibc
#endif

/// Without a PID namespace of its own (--share-pid), nothing ends a sandbox's processes with it: a
/// program that starts `sleep 100 &` and exits leaves the sleep to the host's init. So sbox's init
/// and supervisor become child subreapers, which orphans are given to, and end what is left.
enum Descendants {
    /// Orphans below this process become its children instead of the host init's.
    static func adopt() throws(SystemError) {
        guard sbox_prctl(SBOX_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 else {
            throw SystemError("prctl(PR_SET_CHILD_SUBREAPER)", errno: errno)
        }
    }

    /// Kills and reaps every child, then the orphans that their deaths gave this process, until none
    /// is left. `proc`: a procfs of this process's PID namespace.
    static func end(proc: FileDescriptor) {
        while true {
            let children = self.children(proc: proc)
            guard !children.isEmpty else { return }
            for child in children { kill(child, SIGKILL) }
            for child in children { _ = retryingIfInterrupted { waitpid(child, nil, __WALL) } }
        }
    }

    /// This process's children, from /proc/self/task/PID/children (it is single-threaded).
    private static func children(proc: FileDescriptor) -> [Int32] {
        let fd = openat(proc, "self/task/\(getpid())/children", O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let bytes = try? Descriptors.readAll(fd, limit: 1 << 20) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ")
            .compactMap { Int32($0.filter { $0 != "\n" }) }
    }
}
