"""A --userns-block-fd caller: usernsblock.py SBOX ARGS... runs SBOX ARGS --info-fd 5
--userns-block-fd 6 -- sh -c 'id -u; id -g', reads the sandbox's pid from the info, writes its
uid and gid maps itself (the caller's own ids, as an unprivileged process may), then unblocks it.
Prints the program's output; exits with its status."""
import fcntl, json, os, subprocess, sys

def at(fd, wanted):
    """Moves descriptor `fd` to `wanted`, inheritable."""
    if fd != wanted:
        os.dup2(fd, wanted, inheritable=True)
        os.close(fd)
    os.set_inheritable(wanted, True)

def high(fd):
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100)
    os.close(fd)
    return moved

info_read, info_write = os.pipe()
block_read, block_write = os.pipe()
info_read, block_write = high(info_read), high(block_write)
at(high(info_write), 5)
at(high(block_read), 6)
child = subprocess.Popen(sys.argv[1:] + ["--info-fd", "5", "--userns-block-fd", "6", "--", "sh", "-c", "id -u; id -g"],
                         pass_fds=[5, 6], stdout=subprocess.PIPE, text=True)
os.close(5); os.close(6)
info = b""
while chunk := os.read(info_read, 4096):
    info += chunk
pid = json.loads(info)["child-pid"]
with open(f"/proc/{pid}/setgroups", "w") as f: f.write("deny")
with open(f"/proc/{pid}/uid_map", "w") as f: f.write(f"{os.getuid()} {os.getuid()} 1\n")
with open(f"/proc/{pid}/gid_map", "w") as f: f.write(f"{os.getgid()} {os.getgid()} 1\n")
os.write(block_write, b"x")
print(" ".join(child.stdout.read().split()))
sys.exit(child.wait())
