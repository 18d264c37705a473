// Makes a system call through another ABI than the native one: "int80" calls i386's getpid through
// int 0x80; "x32" calls getpid with the x32 bit set. Prints "survived" if it was not killed.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv) {
    long rc = -1;
    if (argc > 1 && strcmp(argv[1], "int80") == 0) {
        long nr = 20;  // getpid on i386
        __asm__ volatile("int $0x80" : "=a"(rc) : "a"(nr) : "memory");
    } else if (argc > 1 && strcmp(argv[1], "x32") == 0) {
        rc = syscall(0x40000000L | SYS_getpid);
    } else {
        fprintf(stderr, "usage: foreignabi int80|x32\n");
        return 2;
    }
    printf("survived rc=%ld\n", rc);
    return 0;
}
