# mountcalls.py: run inside the sandbox (python3 /h/mountcalls.py PATH).
# Uses mount(2)/umount2(2) directly (no util-linux option handling) and prints
# one "NAME RESULT" line per attempt, RESULT being "ok" or the strerror text.
#   control-*  on a tmpfs the program mounts itself at /tmp/sbox-it-m: these
#              must succeed whenever the program has CAP_SYS_ADMIN
#   target-*   on PATH (a read-only bind made by sbox): these must fail
import ctypes
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]
MS_RDONLY, MS_REMOUNT, MS_BIND = 1, 32, 4096
MNT_DETACH = 2


def result(r):
    return "ok" if r == 0 else os.strerror(ctypes.get_errno())


def mount(src, target, fstype, flags):
    return result(libc.mount(src, target.encode(), fstype, flags, None))


def umount(target, flags):
    return result(libc.umount2(target.encode(), flags))


target = sys.argv[1]
control = "/tmp/sbox-it-m"
os.makedirs(control, exist_ok=True)
print("control-mount", mount(b"none", control, b"tmpfs", 0))
print("control-remount-ro", mount(None, control, None, MS_REMOUNT | MS_BIND | MS_RDONLY))
print("control-remount-rw", mount(None, control, None, MS_REMOUNT | MS_BIND))
print("target-bind-remount-rw", mount(None, target, None, MS_REMOUNT | MS_BIND))
print("target-sb-remount-rw", mount(None, target, None, MS_REMOUNT))
print("target-umount", umount(target, 0))
print("target-umount-detach", umount(target, MNT_DETACH))
sys.stdout.flush()
