# description: The least that still runs a program from /usr: /usr read-only, no /proc, /dev, /tmp or home, an empty environment but PATH.
include usr
# The dynamic linker's cache: on multiarch systems libraries are not found without it.
ro-try /etc/ld.so.cache
clearenv
setenv PATH /usr/local/bin:/usr/bin:/bin
# Reading and writing files and memory; no sockets, no new processes, no ioctl, no IPC.
syscalls @default @basic-io @file-system @memory @signal
