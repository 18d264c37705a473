// steptrace OUT LO HI UID -- PROGRAM [ARGUMENTS...]
//
// A developer tool for scripts/startup-order, not part of sbox. Single-steps PROGRAM (as UID, when
// it is 0 or more) and every process it starts, until each executes another program, and writes to
// OUT one line per instruction address in [LO, HI) that ran: the address in hex, a mask of the
// processes that ran it (1: the first, 2: its first child, 4: that child's first child, which for
// sbox are the supervisor, the init and the worker), and the step at which it first ran.
// Needs CAP_SYS_PTRACE over the traced processes (run it as root).
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

enum { roleCount = 3 };
static pid_t roles[roleCount];
static int knownRoles;

static int roleOf(pid_t pid) {
    for (int i = 0; i < knownRoles; i++)
        if (roles[i] == pid) return i;
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 7 || strcmp(argv[5], "--") != 0) {
        fprintf(stderr, "usage: steptrace OUT LO HI UID -- PROGRAM [ARGUMENTS...]\n");
        return 2;
    }
    const char *out = argv[1];
    unsigned long lo = strtoul(argv[2], 0, 0), hi = strtoul(argv[3], 0, 0);
    long uid = strtol(argv[4], 0, 10);
    if (hi <= lo) { fprintf(stderr, "steptrace: empty range\n"); return 2; }
    unsigned char *ran = calloc(hi - lo, 1);
    unsigned long *first = calloc(hi - lo, sizeof *first);
    if (!ran || !first) { perror("steptrace"); return 1; }

    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
        if (uid >= 0 && (setgroups(0, 0) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid))) _exit(126);
        execv(argv[6], argv + 6);
        _exit(127);
    }
    int status;
    waitpid(child, &status, 0);
    roles[knownRoles++] = child;
    ptrace(PTRACE_SETOPTIONS, child, 0,
           PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    ptrace(PTRACE_SINGLESTEP, child, 0, 0);

    unsigned long steps = 0;
    int live = 1, programs = 0;
    while (live > 0) {
        pid_t pid = waitpid(-1, &status, __WALL);
        if (pid < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (WIFEXITED(status) || WIFSIGNALED(status)) { live--; continue; }
        if (!WIFSTOPPED(status)) continue;
        int signal = WSTOPSIG(status), event = (unsigned)status >> 16;
        if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
            unsigned long created;
            ptrace(PTRACE_GETEVENTMSG, pid, 0, &created);
            if (knownRoles < roleCount) roles[knownRoles++] = (pid_t)created;
            live++;
            ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
            continue;
        }
        if (event == PTRACE_EVENT_EXEC) {
            // The first is PROGRAM itself; later ones are what it runs, which is not traced.
            if (programs++ > 0) { ptrace(PTRACE_DETACH, pid, 0, 0); live--; continue; }
            ptrace(PTRACE_SINGLESTEP, pid, 0, 0);
            continue;
        }
        int deliver = 0;
        if (signal == SIGTRAP) {
            struct user_regs_struct registers;
            ptrace(PTRACE_GETREGS, pid, 0, &registers);
            int role = roleOf(pid);
            if (role >= 0 && registers.rip >= lo && registers.rip < hi) {
                unsigned long offset = registers.rip - lo;
                ran[offset] |= 1 << role;
                if (!first[offset]) first[offset] = steps + 1;
            }
            steps++;
        } else if (signal != SIGSTOP || event != 0) {
            deliver = signal;  // the program's own signals go through; a new process's first stop does not
        }
        ptrace(PTRACE_SINGLESTEP, pid, 0, deliver);
    }

    FILE *file = fopen(out, "w");
    if (!file) { perror(out); return 1; }
    for (unsigned long offset = 0; offset < hi - lo; offset++)
        if (ran[offset]) fprintf(file, "%lx %d %lu\n", lo + offset, ran[offset], first[offset]);
    fclose(file);
    fprintf(stderr, "steptrace: %lu steps\n", steps);
    return 0;
}
