// Tries every way to a new namespace and prints what each got: unshare, clone with CLONE_NEWUSER,
// setns, clone3. Expected in sbox: EPERM, EPERM, EPERM, ENOSYS.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int e) {
    switch (e) { case 0: return "ok"; case EPERM: return "EPERM"; case ENOSYS: return "ENOSYS"; case ENOSPC: return "ENOSPC"; default: return strerror(e); }
}

int main(void) {
    int e;
    e = unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
    printf("unshare=%s ", name(e));
    long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    printf("clone=%s ", name(pid >= 0 ? 0 : errno));
    int fd = open("/proc/self/ns/uts", O_RDONLY);
    e = fd < 0 ? errno : setns(fd, 0) == 0 ? 0 : errno;
    printf("setns=%s ", name(e));
    struct { unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; } args = { 0 };
    args.exit_signal = SIGCHLD;
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) _exit(0);
    if (pid > 0) waitpid((pid_t)pid, NULL, 0);
    printf("clone3=%s\n", name(pid >= 0 ? 0 : errno));
    return 0;
}
