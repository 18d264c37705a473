// runloop: starts commands in batches, in turn, and times each batch (CLOCK_MONOTONIC).
//
//   runloop BATCH ROUNDS WARMUP K  N1 ARG... N2 ARG... ... NK ARG...
//
// K commands, each given as its argument count and its arguments (so that no separator can clash
// with a command's own "--"). First WARMUP runs of each command, untimed; then ROUNDS rounds, each
// running BATCH starts of command 1 one after the other, then BATCH of command 2, and so on. Every
// run is fork + execv + waitpid, with standard input and output on /dev/null (as hyperfine -N).
// Prints, per round and command, "batch ROUND COMMAND NANOSECONDS" (the whole batch), and with
// RUNLOOP_EACH=1 in the environment also "run ROUND COMMAND INDEX NANOSECONDS" for every start.
// Exits 1, saying which, when a start does not exit 0. Used by bench/startup (the paired ratio) and
// bench/breakdown (a loop to trace); bench/runloop.py is the same for machines without a compiler.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int quiet = -1;

static long long start(char **argv, int command) {
    long long begin = now();
    pid_t pid = fork();
    if (pid < 0) { perror("runloop: fork"); exit(1); }
    if (pid == 0) {
        dup2(quiet, 0);
        dup2(quiet, 1);
        if (!getenv("RUNLOOP_STDERR")) dup2(quiet, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {}
    long long elapsed = now() - begin;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "runloop: command %d (%s) failed: %s %d\n", command + 1, argv[0],
                WIFEXITED(status) ? "exit status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        exit(1);
    }
    return elapsed;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: runloop BATCH ROUNDS WARMUP K N1 ARG... [N2 ARG...]...\n");
        return 2;
    }
    int batch = atoi(argv[1]), rounds = atoi(argv[2]), warmup = atoi(argv[3]), k = atoi(argv[4]);
    if (batch < 1 || rounds < 1 || warmup < 0 || k < 1 || k > 16) { fprintf(stderr, "runloop: bad counts\n"); return 2; }
    char **commands[16];
    int at = 5;
    for (int c = 0; c < k; c++) {
        int n = at < argc ? atoi(argv[at]) : 0;
        if (n < 1 || at + 1 + n > argc) { fprintf(stderr, "runloop: command %d: bad argument count\n", c + 1); return 2; }
        commands[c] = calloc(n + 1, sizeof(char *));
        for (int i = 0; i < n; i++) commands[c][i] = argv[at + 1 + i];
        at += 1 + n;
    }
    if (at != argc) { fprintf(stderr, "runloop: %d arguments left over\n", argc - at); return 2; }
    quiet = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (quiet < 0) { perror("runloop: /dev/null"); return 1; }
    int each = getenv("RUNLOOP_EACH") != NULL;
    for (int c = 0; c < k; c++)
        for (int i = 0; i < warmup; i++) start(commands[c], c);
    for (int r = 0; r < rounds; r++) {
        for (int c = 0; c < k; c++) {
            long long times[batch];
            long long begin = now();
            for (int i = 0; i < batch; i++) times[i] = start(commands[c], c);
            long long total = now() - begin;
            printf("batch %d %d %lld\n", r + 1, c + 1, total);
            if (each)
                for (int i = 0; i < batch; i++) printf("run %d %d %d %lld\n", r + 1, c + 1, i + 1, times[i]);
            fflush(stdout);
        }
    }
    return 0;
}
