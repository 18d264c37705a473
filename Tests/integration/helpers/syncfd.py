"""A --sync-fd caller: syncfd.py DONE BWRAP ARGS... runs BWRAP ARGS --sync-fd 5 -- PROGRAM with the
write end of a pipe as descriptor 5, where PROGRAM says whether it sees descriptor 5, then creates
DONE before it exits. Prints the program's line, then whether end of file on the pipe came only
after the program had finished (EOF_AFTER_EXIT) or before (EOF_EARLY)."""
import fcntl, os, subprocess, sys

done, command = sys.argv[1], sys.argv[2:]
read_end, write_end = os.pipe()
high = fcntl.fcntl(read_end, fcntl.F_DUPFD_CLOEXEC, 100)  # out of the way of descriptor 5
os.close(read_end)
read_end = high
if write_end != 5:
    os.dup2(write_end, 5, inheritable=True)
    os.close(write_end)
os.set_inheritable(5, True)
program = f'[ -e /proc/self/fd/5 ] && echo INHERITED || echo NOT_INHERITED; sleep 0.2; touch {done}'
child = subprocess.Popen(command + ["--sync-fd", "5", "--", "sh", "-c", program], pass_fds=[5], stdout=subprocess.PIPE, text=True)
os.close(5)
os.read(read_end, 1)  # end of file once no process holds the write end
finished = os.path.exists(done)
print(child.stdout.read().strip(), "EOF_AFTER_EXIT" if finished else "EOF_EARLY")
sys.exit(child.wait())
