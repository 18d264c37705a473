// fdlist: print the file descriptors open in this process, sorted, separated
// by spaces and followed by a newline (the descriptor used to read
// /proc/self/fd itself is left out). Used by the fd-leak case of the sbox
// integration suite, run directly as the sandboxed program so that no shell
// adds or removes descriptors. Exits 2 if /proc/self/fd cannot be read.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp(const void *a, const void *b) {
    return *(const int *)a - *(const int *)b;
}

int main(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) { perror("fdlist: /proc/self/fd"); return 2; }
    int fds[4096], n = 0, self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) && n < 4096) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd != self) fds[n++] = fd;
    }
    closedir(d);
    qsort(fds, n, sizeof fds[0], cmp);
    for (int i = 0; i < n; i++) printf(i ? " %d" : "%d", fds[i]);
    printf("\n");
    return 0;
}
