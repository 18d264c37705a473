# description: Command-line tools: the system read-only, a private home and /tmp, no network, the current directory read-only.
include system
proc /proc
dev /dev
tmpfs /tmp
# An empty writable home at $HOME: nothing of the real one is visible.
private-home
# The directory sbox was started in, read-only (nothing when that is / or contains the home).
ro-cwd
# The caller's tokens, keys, passwords, agents' sockets and LD_PRELOAD stay outside (keepenv NAME keeps one).
drop-credentials
# What command-line tools need; everything else is refused with EPERM.
syscalls @system-service
