#define _GNU_SOURCE
#include "csbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/filter.h>
#include <linux/mount.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

pid_t sbox_clone(unsigned long flags) {
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

int sbox_unshare(int flags) { return unshare(flags); }

int sbox_setns(int fd, int type) { return setns(fd, type); }

int sbox_prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5) {
    return prctl(option, arg2, arg3, arg4, arg5);
}

int sbox_pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int sbox_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

int sbox_open_tree(int dirfd, const char *path, unsigned int flags) {
    return (int)syscall(SYS_open_tree, dirfd, path, flags);
}

int sbox_move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path, unsigned int flags) {
    return (int)syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags);
}

int sbox_mount_setattr(int dirfd, const char *path, unsigned int flags, uint64_t attr_set, uint64_t attr_clr) {
    struct mount_attr attr = { .attr_set = attr_set, .attr_clr = attr_clr };
    return (int)syscall(SYS_mount_setattr, dirfd, path, flags, &attr, sizeof attr);
}

int sbox_fsopen(const char *fstype, unsigned int flags) {
    return (int)syscall(SYS_fsopen, fstype, flags);
}

int sbox_fsconfig(int fd, unsigned int cmd, const char *key, const char *value) {
    return (int)syscall(SYS_fsconfig, fd, cmd, key, value, 0);
}

int sbox_fsmount(int fd, unsigned int flags, unsigned int attr_flags) {
    return (int)syscall(SYS_fsmount, fd, flags, attr_flags);
}

// No fallback: sbox needs Linux 5.12 or later anyway (mount_setattr), and a loop bounded by
// RLIMIT_NOFILE could leave higher descriptors open.
int sbox_close_range(unsigned int first, unsigned int last) {
    if (first > last) return 0;
    return (int)syscall(SYS_close_range, first, last, 0);
}

int sbox_signal_on_input(int fd) {
    if (fcntl(fd, F_SETOWN, getpid()) != 0) return -1;
    int flags = fcntl(fd, F_GETFL);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK | O_ASYNC);
}

int sbox_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int sbox_loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int sbox_seccomp_load(const void *program, unsigned short count) {
    struct sock_fprog fprog = { .len = count, .filter = (struct sock_filter *)program };
    // prctl rather than seccomp(): a filter already loaded (a caller's, given with --add-seccomp-fd)
    // may allow prctl and not seccomp, and more filters must still stack on it, as in bwrap.
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
}

int sbox_wifexited(int status) { return WIFEXITED(status); }
int sbox_wexitstatus(int status) { return WEXITSTATUS(status); }
int sbox_wifsignaled(int status) { return WIFSIGNALED(status); }
int sbox_wtermsig(int status) { return WTERMSIG(status); }
int sbox_wifstopped(int status) { return WIFSTOPPED(status); }
int sbox_wstopsig(int status) { return WSTOPSIG(status); }

int sbox_open_pty(int *master, int *slave, char *name, unsigned long size) {
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return -1;
    if (grantpt(m) != 0 || unlockpt(m) != 0 || ptsname_r(m, name, size) != 0) goto fail;
    int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) goto fail;
    *master = m;
    *slave = s;
    return 0;
fail:;
    int saved = errno;
    close(m);
    errno = saved;
    return -1;
}

int sbox_tty_make_controlling(int fd) { return ioctl(fd, TIOCSCTTY, 0); }

int sbox_tty_copy_window_size(int from, int to) {
    struct winsize size;
    if (ioctl(from, TIOCGWINSZ, &size) != 0) return -1;
    return ioctl(to, TIOCSWINSZ, &size);
}

unsigned long sbox_termios_size(void) { return sizeof(struct termios); }

int sbox_tty_make_raw(int fd, void *saved, unsigned long size) {
    if (size < sizeof(struct termios) || tcgetattr(fd, (struct termios *)saved) != 0) return -1;
    struct termios raw = *(struct termios *)saved;
    cfmakeraw(&raw);
    return tcsetattr(fd, TCSADRAIN, &raw);
}

int sbox_tty_restore(int fd, const void *saved) { return tcsetattr(fd, TCSADRAIN, (const struct termios *)saved); }

int sbox_tty_copy_modes(int from, int to) {
    struct termios modes;
    if (tcgetattr(from, &modes) != 0) return -1;
    return tcsetattr(to, TCSANOW, &modes);
}

int sbox_signalfd(const sigset_t *mask) { return signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK); }

int sbox_signalfd_read(int fd) {
    struct signalfd_siginfo info;
    ssize_t count = read(fd, &info, sizeof info);
    if (count == sizeof info) return (int)info.ssi_signo;
    return count < 0 && errno == EAGAIN ? 0 : -1;
}

int sbox_tty_is_foreground(int fd) {
    pid_t group = tcgetpgrp(fd);
    return group >= 0 && group == getpgrp();
}

// Landlock's uapi (linux/landlock.h), restated: the build machine's headers may predate ABI 4.
#define SBOX_SYS_landlock_create_ruleset 444
#define SBOX_SYS_landlock_add_rule 445
#define SBOX_SYS_landlock_restrict_self 446
#define SBOX_LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define SBOX_LANDLOCK_RULE_PATH_BENEATH 1
#define SBOX_LANDLOCK_RULE_NET_PORT 2

struct sbox_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct sbox_landlock_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

struct sbox_landlock_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

int sbox_landlock_abi(void) {
    return (int)syscall(SBOX_SYS_landlock_create_ruleset, NULL, 0, SBOX_LANDLOCK_CREATE_RULESET_VERSION);
}

int sbox_landlock_create_ruleset(uint64_t handled_fs, uint64_t handled_net, uint64_t scoped) {
    struct sbox_landlock_ruleset_attr attr = { .handled_access_fs = handled_fs, .handled_access_net = handled_net, .scoped = scoped };
    return (int)syscall(SBOX_SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
}

int sbox_landlock_add_path_rule(int ruleset, uint64_t allowed, int parent) {
    struct sbox_landlock_path_beneath_attr attr = { .allowed_access = allowed, .parent_fd = parent };
    return (int)syscall(SBOX_SYS_landlock_add_rule, ruleset, SBOX_LANDLOCK_RULE_PATH_BENEATH, &attr, 0);
}

int sbox_landlock_add_port_rule(int ruleset, uint64_t allowed, uint64_t port) {
    struct sbox_landlock_net_port_attr attr = { .allowed_access = allowed, .port = port };
    return (int)syscall(SBOX_SYS_landlock_add_rule, ruleset, SBOX_LANDLOCK_RULE_NET_PORT, &attr, 0);
}

int sbox_landlock_restrict_self(int ruleset) {
    return (int)syscall(SBOX_SYS_landlock_restrict_self, ruleset, 0);
}

#define SBOX_SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)

int sbox_seccomp_load_listener(const void *program, unsigned short count) {
    struct sock_fprog prog = { .len = count, .filter = (struct sock_filter *)program };
    // Once sbox has received a notification, only a fatal signal ends the wait (5.19): else a signal
    // that arrives meanwhile (SIGCHLD...) makes fork or open fail with EINTR, which programs do not
    // expect. An older kernel does not know the flag (EINVAL): the wait stays interruptible there.
    int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER | SBOX_SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &prog);
    if (fd < 0 && errno == EINVAL)
        fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    return fd;
}

int sbox_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

int sbox_pidfd_getfd(int pidfd, int fd) { return (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0); }

int sbox_notification_receive(int listener, struct sbox_notification *notification) {
    struct seccomp_notif request;
    memset(&request, 0, sizeof request);  // the kernel refuses a request that is not zeroed
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) != 0) return -1;
    notification->id = request.id;
    notification->pid = request.pid;
    notification->nr = request.data.nr;
    for (int i = 0; i < 6; i++) notification->args[i] = request.data.args[i];
    return 0;
}

int sbox_notification_continue(int listener, uint64_t id) {
    struct seccomp_notif_resp response = { .id = id, .val = 0, .error = 0, .flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE };
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
}

int sbox_notification_refuse(int listener, uint64_t id, int error) {
    struct seccomp_notif_resp response = { .id = id, .val = 0, .error = -error, .flags = 0 };
    return ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
}

long sbox_read_memory(pid_t pid, uint64_t address, void *buffer, unsigned long length) {
    struct iovec local = { .iov_base = buffer, .iov_len = length };
    struct iovec remote = { .iov_base = (void *)(uintptr_t)address, .iov_len = length };
    return (long)process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

int sbox_mount_id(const char *path, uint64_t *id) {
    struct statx info;
    if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &info) != 0) return -1;
    if (!(info.stx_mask & STATX_MNT_ID)) { errno = ENOSYS; return -1; }
    *id = info.stx_mnt_id;
    return 0;
}

int sbox_socketpair_cloexec(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
}

int sbox_send_descriptor(int socket, int fd) {
    char byte = 0;
    struct iovec data = { .iov_base = &byte, .iov_len = 1 };
    union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    return sendmsg(socket, &message, MSG_NOSIGNAL) == 1 ? 0 : -1;
}

int sbox_receive_descriptor(int socket) {
    char byte;
    struct iovec data = { .iov_base = &byte, .iov_len = 1 };
    union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
    if (recvmsg(socket, &message, MSG_CMSG_CLOEXEC) != 1) return -1;
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    if (header == NULL || header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS
        || header->cmsg_len != CMSG_LEN(sizeof(int))) { errno = EPROTO; return -1; }
    int fd;
    memcpy(&fd, CMSG_DATA(header), sizeof(int));
    return fd;
}

int sbox_accept(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

long sbox_splice(int from, int to, unsigned long length) {
    return (long)splice(from, NULL, to, NULL, length, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}

int sbox_relay_pipe(int fds[2], int size) {
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    int granted = fcntl(fds[1], F_SETPIPE_SZ, size);  // more than the default 64 KiB where allowed
    return granted > 0 ? granted : fcntl(fds[1], F_GETPIPE_SZ);
}

// The init's CPU, given up while it creates the network namespace (see FirstProcess.forkWorker).
static cpu_set_t sbox_saved_cpus;
static int sbox_cpus_saved = 0;

int sbox_leave_cpu(void) {
    int here = sched_getcpu();
    if (here < 0 || sched_getaffinity(0, sizeof sbox_saved_cpus, &sbox_saved_cpus) != 0) return 0;
    cpu_set_t elsewhere = sbox_saved_cpus;
    CPU_CLR(here, &elsewhere);
    if (CPU_COUNT(&elsewhere) == 0 || sched_setaffinity(0, sizeof elsewhere, &elsewhere) != 0) return 0;
    sbox_cpus_saved = 1;
    return 1;
}

void sbox_return_cpu(void) {
    if (sbox_cpus_saved) sched_setaffinity(0, sizeof sbox_saved_cpus, &sbox_saved_cpus);
    sbox_cpus_saved = 0;
}
