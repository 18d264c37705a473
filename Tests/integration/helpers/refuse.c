// refuse ERRNO FIRST[-LAST] PROGRAM [ARG...]: runs PROGRAM as on a kernel without some system calls.
// A seccomp filter makes system calls FIRST to LAST (x86-64 numbers) fail with ERRNO (ENOSYS, as when
// the kernel lacks them; EOPNOTSUPP, as Landlock disabled at boot; EPERM, as a container's policy),
// for this process and everything it starts, sbox and its sandbox included.
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: refuse ENOSYS|EOPNOTSUPP|EPERM FIRST[-LAST] PROGRAM [ARG...]\n");
        return 2;
    }
    unsigned int error = strcmp(argv[1], "EOPNOTSUPP") == 0 ? EOPNOTSUPP : strcmp(argv[1], "EPERM") == 0 ? EPERM : ENOSYS;
    char *dash = strchr(argv[2], '-');
    unsigned int first = (unsigned int)strtoul(argv[2], NULL, 10);
    unsigned int last = dash ? (unsigned int)strtoul(dash + 1, NULL, 10) : first;
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, first, 0, 2),
        BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, last, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | error),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = { .len = sizeof code / sizeof code[0], .filter = code };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        perror("refuse: seccomp");
        return 2;
    }
    execvp(argv[3], argv + 3);
    perror(argv[3]);
    return 127;
}
