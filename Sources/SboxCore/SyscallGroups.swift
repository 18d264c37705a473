/// Named groups of system calls, modeled on systemd's documented `SystemCallFilter=` groups, for the
/// `syscalls` directive. What would reach kernel attack surface a sandbox must keep closed is in no
/// group (`SyscallGroups.dangerous`): a profile must name it, and `sbox check` warns when one does.
/// Names that do not exist on the running architecture (the 32-bit and time64 variants) are skipped.
public enum SyscallGroups {
    public static let names = [
        "@default", "@aio", "@basic-io", "@chown", "@file-system", "@io-event", "@ipc", "@memlock", "@memory",
        "@network-io", "@process", "@resources", "@setuid", "@signal", "@sync", "@timer", "@system-service",
    ]

    public static func summary(of group: String) -> String {
        switch group {
        case "@default": return "always needed: exit, time, ids, futex, the thread area"
        case "@aio": return "asynchronous I/O (not io_uring)"
        case "@basic-io": return "read, write, seek, close, dup"
        case "@chown": return "changing the owner of files"
        case "@file-system": return "opening, reading and changing files and directories"
        case "@io-event": return "event loops: poll, select, epoll, eventfd"
        case "@ipc": return "pipes, System V and POSIX IPC, memfd"
        case "@memlock": return "locking memory"
        case "@memory": return "mapping and protecting memory"
        case "@network-io": return "sockets"
        case "@process": return "processes and threads: clone (no new namespaces), exec, wait, kill"
        case "@resources": return "priorities, affinity, resource limits"
        case "@setuid": return "changing user and group ids"
        case "@signal": return "signal handling"
        case "@sync": return "flushing files to storage"
        case "@timer": return "timers and alarms"
        case "@system-service": return "what a service or command-line tool needs: the groups above and more"
        default: return ""
        }
    }

    /// The members of `group` (with the `@`), or nil for an unknown group. Groups may name groups.
    public static func members(of group: String) -> [String]? {
        switch group {
        case "@default":
            return ["clock_getres", "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep",
                    "clock_nanosleep_time64", "execve", "exit", "exit_group", "futex", "futex_time64", "futex_waitv",
                    "get_robust_list", "get_thread_area", "getegid", "getegid32", "geteuid", "geteuid32", "getgid",
                    "getgid32", "getgroups", "getgroups32", "getpgid", "getpgrp", "getpid", "getppid", "getresgid",
                    "getresgid32", "getresuid", "getresuid32", "getrlimit", "getsid", "gettid", "gettimeofday",
                    "getuid", "getuid32", "membarrier", "nanosleep", "pause", "prlimit64", "restart_syscall", "rseq",
                    "rt_sigreturn", "sched_yield", "set_robust_list", "set_thread_area", "set_tid_address", "set_tls",
                    "sigreturn", "time", "ugetrlimit", "arch_prctl", "brk", "uname", "getrandom", "getcpu", "sysinfo"]
        case "@aio":
            return ["io_cancel", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "io_setup",
                    "io_submit"]
        case "@basic-io":
            return ["_llseek", "close", "close_range", "dup", "dup2", "dup3", "lseek", "pread64", "preadv", "preadv2",
                    "pwrite64", "pwritev", "pwritev2", "read", "readv", "write", "writev"]
        case "@chown":
            return ["chown", "chown32", "fchown", "fchown32", "fchownat", "lchown", "lchown32"]
        case "@file-system":
            return ["access", "chdir", "chmod", "close", "creat", "faccessat", "faccessat2", "fallocate", "fchdir",
                    "fchmod", "fchmodat", "fchmodat2", "fcntl", "fcntl64", "fgetxattr", "flistxattr", "fremovexattr",
                    "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64", "ftruncate", "ftruncate64",
                    "futimesat", "getcwd", "getdents", "getdents64", "getxattr", "inotify_add_watch", "inotify_init",
                    "inotify_init1", "inotify_rm_watch", "lgetxattr", "link", "linkat", "listxattr", "llistxattr",
                    "lremovexattr", "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat", "mknod", "mknodat", "mmap",
                    "mmap2", "munmap", "newfstatat", "oldfstat", "oldlstat", "oldstat", "open", "openat", "openat2",
                    "readlink", "readlinkat", "removexattr", "rename", "renameat", "renameat2", "rmdir", "setxattr",
                    "stat", "stat64", "statfs", "statfs64", "statx", "symlink", "symlinkat", "truncate", "truncate64",
                    "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", "flock",
                    "copy_file_range", "fadvise64", "fadvise64_64", "readahead", "sendfile", "sendfile64", "splice",
                    "tee", "vmsplice", "umask", "name_to_handle_at"]
        case "@io-event":
            return ["_newselect", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_pwait2",
                    "epoll_wait", "eventfd", "eventfd2", "poll", "ppoll", "ppoll_time64", "pselect6", "pselect6_time64",
                    "select"]
        case "@ipc":
            return ["ipc", "memfd_create", "mq_getsetattr", "mq_notify", "mq_open", "mq_timedreceive",
                    "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64", "mq_unlink", "msgctl", "msgget",
                    "msgrcv", "msgsnd", "pipe", "pipe2", "semctl", "semget", "semop", "semtimedop", "semtimedop_time64",
                    "shmat", "shmctl", "shmdt", "shmget"]
        case "@memlock":
            return ["mlock", "mlock2", "mlockall", "munlock", "munlockall"]
        case "@memory":
            return ["brk", "madvise", "mincore", "mmap", "mmap2", "mprotect", "mremap", "msync", "munmap",
                    "remap_file_pages", "get_mempolicy", "mseal", "pkey_alloc", "pkey_free", "pkey_mprotect"]
        case "@network-io":
            return ["accept", "accept4", "bind", "connect", "getpeername", "getsockname", "getsockopt", "listen",
                    "recv", "recvfrom", "recvmmsg", "recvmmsg_time64", "recvmsg", "send", "sendmmsg", "sendmsg",
                    "sendto", "setsockopt", "shutdown", "socket", "socketcall", "socketpair"]
        case "@process":
            // clone: the filter refuses new namespaces; clone3 answers ENOSYS so libc falls back to clone.
            return ["capget", "clone", "execveat", "fork", "getrusage", "kill", "pidfd_open", "pidfd_send_signal",
                    "pidfd_getfd", "prctl", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "tgkill", "times", "tkill", "vfork",
                    "wait4", "waitid", "waitpid", "setpgid", "setsid", "kcmp", "personality"]
        case "@resources":
            return ["getpriority", "ioprio_get", "ioprio_set", "nice", "sched_get_priority_max",
                    "sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
                    "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
                    "sched_setattr", "sched_setparam", "sched_setscheduler", "setpriority", "setrlimit", "mbind",
                    "set_mempolicy", "migrate_pages", "move_pages"]
        case "@setuid":
            return ["setgid", "setgid32", "setgroups", "setgroups32", "setregid", "setregid32", "setresgid",
                    "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setuid", "setuid32",
                    "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "capset"]
        case "@signal":
            return ["rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigsuspend", "rt_sigtimedwait",
                    "rt_sigtimedwait_time64", "sigaction", "sigaltstack", "signal", "signalfd", "signalfd4",
                    "sigpending", "sigprocmask", "sigsuspend"]
        case "@sync":
            return ["fdatasync", "fsync", "msync", "sync", "sync_file_range", "sync_file_range2", "syncfs"]
        case "@timer":
            return ["alarm", "getitimer", "setitimer", "timer_create", "timer_delete", "timer_getoverrun",
                    "timer_gettime", "timer_gettime64", "timer_settime", "timer_settime64", "timerfd_create",
                    "timerfd_gettime", "timerfd_gettime64", "timerfd_settime", "timerfd_settime64", "times"]
        case "@system-service":
            return ["@default", "@aio", "@basic-io", "@chown", "@file-system", "@io-event", "@ipc", "@memlock",
                    "@memory", "@network-io", "@process", "@resources", "@setuid", "@signal", "@sync", "@timer",
                    "ioctl"]
        default:
            return nil
        }
    }

    /// Every system call a group stands for, groups expanded, sorted, without repeats.
    public static func expand(_ group: String) -> [String]? {
        guard let members = members(of: group) else { return nil }
        var result: [String] = []
        for member in members {
            if member.hasPrefix("@") { result += expand(member) ?? [] } else { result.append(member) }
        }
        return uniqueSorted(result)
    }

    /// Sorting then dropping neighbours that repeat: linear after the sort, where `contains` in a
    /// loop would be quadratic over a few hundred names.
    public static func uniqueSorted(_ names: [String]) -> [String] {
        var result: [String] = []
        for name in names.sorted() where result.last != name { result.append(name) }
        return result
    }

    /// In no group: kernel attack surface or power over the host. A profile that names one gets it,
    /// and `sbox check` warns.
    public static let dangerous = [
        "mount", "umount", "umount2", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree",
        "mount_setattr", "pivot_root", "chroot", "bpf", "perf_event_open", "kexec_load", "kexec_file_load",
        "init_module", "finit_module", "delete_module", "add_key", "keyctl", "request_key", "userfaultfd",
        "io_uring_setup", "io_uring_enter", "io_uring_register", "ptrace", "open_by_handle_at",
        "process_vm_readv", "process_vm_writev", "process_madvise", "reboot", "swapon", "swapoff", "acct",
        "clock_settime", "clock_settime64", "settimeofday", "stime", "adjtimex", "clock_adjtime",
        "clock_adjtime64", "unshare", "setns", "clone3", "quotactl", "quotactl_fd", "lookup_dcookie",
        "nfsservctl", "iopl", "ioperm", "syslog", "vhangup", "sethostname", "setdomainname", "fanotify_init",
    ]
}
