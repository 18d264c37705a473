// The few Linux calls that Swift cannot make by itself: variadic `syscall`, `prctl`,
// the new mount API, `pivot_root`, `openat2`, and the wait-status macros.
// Swift's Glibc module is built without _GNU_SOURCE, so the constants sbox needs are
// restated here with an SBOX_ prefix (values from the kernel's uapi headers).
#ifndef CSBOX_H
#define CSBOX_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/random.h>
#include <signal.h>

// clone(2) / unshare(2)
#define SBOX_CLONE_NEWNS     0x00020000
#define SBOX_CLONE_NEWCGROUP 0x02000000
#define SBOX_CLONE_NEWUTS    0x04000000
#define SBOX_CLONE_NEWIPC    0x08000000
#define SBOX_CLONE_NEWUSER   0x10000000
#define SBOX_CLONE_NEWPID    0x20000000
#define SBOX_CLONE_NEWNET    0x40000000

// open(2), openat2(2)
#define SBOX_O_PATH          010000000
#define SBOX_RESOLVE_NO_MAGICLINKS 0x02
#define SBOX_RESOLVE_NO_SYMLINKS 0x04
#define SBOX_RESOLVE_IN_ROOT 0x10

// *at(2) flags
#define SBOX_AT_SYMLINK_NOFOLLOW 0x100
#define SBOX_AT_EMPTY_PATH   0x1000
#define SBOX_AT_RECURSIVE    0x8000

// open_tree(2), move_mount(2), fsopen(2), fsmount(2), mount_setattr(2)
#define SBOX_OPEN_TREE_CLONE   1
#define SBOX_OPEN_TREE_CLOEXEC 02000000
#define SBOX_MOVE_MOUNT_F_EMPTY_PATH 0x04
#define SBOX_MOVE_MOUNT_T_EMPTY_PATH 0x40
#define SBOX_FSOPEN_CLOEXEC    0x01
#define SBOX_FSMOUNT_CLOEXEC   0x01
#define SBOX_FSCONFIG_SET_FLAG   0
#define SBOX_FSCONFIG_SET_STRING 1
#define SBOX_FSCONFIG_CMD_CREATE 6

// prctl(2)
#define SBOX_PR_SET_PDEATHSIG    1
#define SBOX_PR_GET_SECCOMP      21
#define SBOX_PR_SET_CHILD_SUBREAPER 36
#define SBOX_PR_SET_NO_NEW_PRIVS 38
#define SBOX_PR_CAP_AMBIENT      47
#define SBOX_PR_CAP_AMBIENT_CLEAR_ALL 4

/// clone(2) without a new stack: returns twice, like fork(2), with `flags` (CLONE_NEW*) and SIGCHLD.
pid_t sbox_clone(unsigned long flags);
int sbox_unshare(int flags);
int sbox_setns(int fd, int type);
int sbox_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5);
int sbox_pivot_root(const char *new_root, const char *put_old);
int sbox_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);
int sbox_open_tree(int dirfd, const char *path, unsigned int flags);
int sbox_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags);
int sbox_mount_setattr(int dirfd, const char *path, unsigned int flags, uint64_t attr_set, uint64_t attr_clr);
int sbox_fsopen(const char *fstype, unsigned int flags);
int sbox_fsconfig(int fd, unsigned int cmd, const char *key, const char *value);
int sbox_fsmount(int fd, unsigned int flags, unsigned int attr_flags);
/// close_range(2) for [first, last].
int sbox_close_range(unsigned int first, unsigned int last);
/// Non-blocking, and SIGIO to this process when data arrives (O_ASYNC, F_SETOWN).
int sbox_signal_on_input(int fd);
/// pipe2(2) with O_CLOEXEC (Swift's Glibc module does not have pipe2).
int sbox_pipe_cloexec(int fds[2]);
/// Brings the loopback interface of the current network namespace up (what `ip link set lo up` does).
int sbox_loopback_up(void);

/// seccomp(SECCOMP_SET_MODE_FILTER) with a BPF program of `count` instructions (8 bytes each).
int sbox_seccomp_load(const void *program, unsigned short count);

/// Landlock (system calls 444-446), with its structures as of ABI 6: Debian 12's headers stop at
/// ABI 2. The kernel accepts the larger structure as long as the fields it does not know are zero.
/// The ABI of the running kernel, or -1 with errno (ENOSYS: not built; EOPNOTSUPP: disabled).
int sbox_landlock_abi(void);
int sbox_landlock_create_ruleset(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped);
int sbox_landlock_add_path_rule(int ruleset, uint64_t allowed, int parent);
int sbox_landlock_add_port_rule(int ruleset, uint64_t allowed, uint64_t port);
int sbox_landlock_restrict_self(int ruleset);

/// sbox learn: a filter loaded with a listener (SECCOMP_FILTER_FLAG_NEW_LISTENER), whose descriptor
/// is returned; the supervisor takes a copy with pidfd_getfd and answers each notification.
int sbox_seccomp_load_listener(const void *program, unsigned short count);
int sbox_pidfd_open(pid_t pid);
int sbox_pidfd_getfd(int pidfd, int fd);
struct sbox_notification {
    uint64_t id;
    uint32_t pid;
    int32_t nr;
    uint64_t args[6];
};
/// SECCOMP_IOCTL_NOTIF_RECV; 0 or -1 with errno.
int sbox_notification_receive(int listener, struct sbox_notification *notification);
/// SECCOMP_IOCTL_NOTIF_SEND with SECCOMP_USER_NOTIF_FLAG_CONTINUE: the system call goes on.
int sbox_notification_continue(int listener, uint64_t id);
/// SECCOMP_IOCTL_NOTIF_SEND with an error: the system call fails with `error` (an errno).
int sbox_notification_refuse(int listener, uint64_t id, int error);
/// process_vm_readv: up to `length` bytes at `address` in process `pid`.
long sbox_read_memory(pid_t pid, uint64_t address, void *buffer, unsigned long length);
/// The ID of the mount PATH is on (statx STATX_MNT_ID, Linux 5.8), following symlinks.
int sbox_mount_id(const char *path, uint64_t *id);

/// Terminals. A new pseudo-terminal pair (both ends close-on-exec, neither a controlling terminal):
/// the slave's path is written to `name`. 0, or -1 with errno.
int sbox_open_pty(int *master, int *slave, char *name, unsigned long size);
/// The terminal at `fd` becomes the calling process's controlling terminal (it leads a session).
int sbox_tty_make_controlling(int fd);
/// The window size of terminal `from`, given to `to`.
int sbox_tty_copy_window_size(int from, int to);
/// The terminal's modes are saved in `saved` (an opaque struct termios of `size` bytes), then
/// made raw: every byte goes to the reader as typed, none is echoed or turned into a signal.
int sbox_tty_make_raw(int fd, void *saved, unsigned long size);
/// Modes saved by sbox_tty_make_raw, set again (TCSADRAIN: after what was written is sent).
int sbox_tty_restore(int fd, const void *saved);
/// The terminal's modes given to another (`from`'s to `to`).
int sbox_tty_copy_modes(int from, int to);
/// The size of a struct termios, for the buffer sbox_tty_make_raw fills.
unsigned long sbox_termios_size(void);
/// A signalfd for the signals in `mask` (close-on-exec, non-blocking); reads give their numbers.
int sbox_signalfd(const sigset_t *mask);
/// The next signal number from a signalfd, 0 when none is queued, -1 on error.
int sbox_signalfd_read(int fd);
/// The foreground process group of terminal `fd` is the caller's.
int sbox_tty_is_foreground(int fd);

int sbox_wifexited(int status);
int sbox_wifstopped(int status);
int sbox_wstopsig(int status);
int sbox_wexitstatus(int status);
int sbox_wifsignaled(int status);
int sbox_wtermsig(int status);

// Sockets between sbox's processes: the egress proxy's listener, made in the sandbox's network
// namespace, goes to the supervisor (SCM_RIGHTS needs the CMSG macros).
int sbox_socketpair_cloexec(int fds[2]);
/// Sends `fd` over the unix socket `socket`; 0, or -1 and errno.
int sbox_send_descriptor(int socket, int fd);
/// A descriptor received over `socket` (close-on-exec), or -1 and errno.
int sbox_receive_descriptor(int socket);
/// accept4, non-blocking and close-on-exec (not in Swift's Glibc module).
int sbox_accept(int listener);
/// splice(2) of up to `length` bytes between descriptors, one of them a pipe, without blocking.
long sbox_splice(int from, int to, unsigned long length);
/// A non-blocking pipe for the proxy's relay, of `size` bytes if allowed; returns its size, or -1.
int sbox_relay_pipe(int fds[2], int size);

/// Moves the calling process to its other allowed CPUs, if any (1 when it did): the child it has just
/// forked, queued behind it on this CPU, then runs at once. sbox_return_cpu gives the CPU back.
int sbox_leave_cpu(void);
void sbox_return_cpu(void);

#endif
