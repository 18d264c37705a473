# description: A test run: the current directory (the workspace) read-write, the system read-only, a private home and /tmp, no network.
include system
proc /proc
dev /dev
tmpfs /tmp
tmpfs /var/tmp
# Debian's package database, read-only: dpkg -l, apt-cache policy and build scripts that ask it.
ro-try /var/lib/dpkg
ro-try /var/lib/apt
ro-try /var/cache/apt
private-home
rw-cwd
# A CI job's tokens stay outside: the test suite runs code nobody reviewed (keepenv NAME keeps one).
drop-credentials
syscalls @system-service
