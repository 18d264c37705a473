// sigcatch READY OUT SIG...
//
// Test program for the signal-forwarding cases of the sbox integration suite.
// Installs a handler for every named signal (e.g. TERM, USR1, WINCH), creates
// the file READY to say it is ready, then waits. On the first caught signal it
// writes the signal's name and a newline to OUT and exits with status 3.
// Signals are caught with handlers (not sigwait), so a signal that reached the
// program as ignored is still observed. Exits 2 on a usage error.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const struct { const char *name; int sig; } table[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"USR1", SIGUSR1},
    {"USR2", SIGUSR2}, {"ALRM", SIGALRM},   {"TERM", SIGTERM}, {"CONT", SIGCONT},
    {"WINCH", SIGWINCH}, {"PIPE", SIGPIPE}, {"TSTP", SIGTSTP}, {"CHLD", SIGCHLD},
};

static const char *out_path;

static void caught(int sig) {
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].sig == sig) {
            int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd >= 0) {
                (void)!write(fd, table[i].name, strlen(table[i].name));
                (void)!write(fd, "\n", 1);
                close(fd);
            }
            break;
        }
    }
    _exit(3);
}

int main(int argc, char **argv) {
    if (argc < 4) return 2;
    out_path = argv[2];
    for (int a = 3; a < argc; a++) {
        const char *n = argv[a];
        if (strncmp(n, "SIG", 3) == 0) n += 3;
        int found = 0;
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
            if (strcmp(table[i].name, n) == 0) {
                struct sigaction sa;
                memset(&sa, 0, sizeof sa);
                sa.sa_handler = caught;
                sigemptyset(&sa.sa_mask);
                if (sigaction(table[i].sig, &sa, NULL) != 0) return 2;
                found = 1;
            }
        }
        if (!found) return 2;
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return 2;
    close(fd);
    for (;;) pause();
}
