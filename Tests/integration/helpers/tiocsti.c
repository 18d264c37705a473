// Tries to push a character into a terminal's input with TIOCSTI, as CVE-2017-5226 did, once plainly
// and once with bits above 32 set in the request (CVE-2019-10063: the kernel compares 32 bits).
// The kernel allows it on the caller's controlling terminal, so this takes a new pty as its own
// first: then only a seccomp filter can refuse it.
// Prints "plain=<errno name> wide=<errno name>"; "ok" where the ioctl succeeded.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *result(long rc) { return rc == 0 ? "ok" : errno == EPERM ? "EPERM" : strerror(errno); }

int main(void) {
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) || unlockpt(master)) { perror("ptmx"); return 2; }
    if (setsid() < 0) { perror("setsid"); return 2; }
    int terminal = open(ptsname(master), O_RDWR);
    if (terminal < 0) { perror("pts"); return 2; }
    if (ioctl(terminal, TIOCSCTTY, 0) < 0) { perror("TIOCSCTTY"); return 2; }
    char c = 'x';
    long plain = syscall(SYS_ioctl, terminal, (unsigned long)TIOCSTI, &c);
    const char *first = result(plain);
    long wide = syscall(SYS_ioctl, terminal, (unsigned long)TIOCSTI | (1UL << 32), &c);
    printf("plain=%s wide=%s\n", first, result(wide));
    return 0;
}
