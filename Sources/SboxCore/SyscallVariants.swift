/// System calls that do the same thing, among which a libc chooses at run time (Debian's dash starts
/// a simple command with vfork, a pipeline with fork; glibc opens with openat, an older one with
/// open). A profile learned from one run holds the whole set, so that the next run works whichever
/// one it takes.
public enum SyscallVariants {
    static let sets: [[String]] = [
        ["clone", "fork", "vfork"],
        ["pipe", "pipe2"],
        ["open", "openat", "openat2", "creat"],
        ["stat", "lstat", "fstat", "newfstatat", "statx", "fstatat64", "stat64", "lstat64", "fstat64"],
        ["access", "faccessat", "faccessat2"],
        ["dup", "dup2", "dup3"],
        ["wait4", "waitid"],
        ["readlink", "readlinkat"],
        ["mkdir", "mkdirat"], ["unlink", "unlinkat"], ["rmdir", "unlinkat"], ["rename", "renameat", "renameat2"],
        ["link", "linkat"], ["symlink", "symlinkat"], ["chmod", "fchmod", "fchmodat", "fchmodat2"],
        ["chown", "lchown", "fchown", "fchownat"], ["utime", "utimes", "utimensat", "futimesat"],
        ["getdents", "getdents64"],
        ["select", "pselect6", "poll", "ppoll"], ["epoll_wait", "epoll_pwait", "epoll_pwait2"],
        ["epoll_create", "epoll_create1"], ["eventfd", "eventfd2"], ["signalfd", "signalfd4"],
        ["inotify_init", "inotify_init1"], ["accept", "accept4"],
        ["getrlimit", "prlimit64"], ["setrlimit", "prlimit64"],
        ["sendfile", "copy_file_range", "splice"],
    ]

    /// `names` with every set that one of them belongs to.
    public static func completing(_ names: Set<String>) -> Set<String> {
        var result = names
        for set in sets where set.contains(where: names.contains) { result.formUnion(set) }
        return result
    }
}
