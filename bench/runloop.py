#!/usr/bin/env python3
# runloop.py: bench/runloop.c for machines without a C compiler (same arguments, same output).
# Python's own start-up is outside the timed batches, but each run costs it a little more than the
# C driver (posix_spawn and a wait from Python): compare ratios from the same driver only.
import os
import sys
import time


def main():
    args = sys.argv[1:]
    if len(args) < 5:
        sys.exit("usage: runloop.py BATCH ROUNDS WARMUP K N1 ARG... [N2 ARG...]...")
    batch, rounds, warmup, k = (int(a) for a in args[:4])
    if batch < 1 or rounds < 1 or warmup < 0 or not 1 <= k <= 16:
        sys.exit("runloop: bad counts")
    commands, at = [], 4
    for c in range(k):
        n = int(args[at]) if at < len(args) else 0
        if n < 1 or at + 1 + n > len(args):
            sys.exit(f"runloop: command {c + 1}: bad argument count")
        commands.append(args[at + 1:at + 1 + n])
        at += 1 + n
    if at != len(args):
        sys.exit(f"runloop: {len(args) - at} arguments left over")
    quiet = os.open("/dev/null", os.O_RDWR)
    actions = [(os.POSIX_SPAWN_DUP2, quiet, 0), (os.POSIX_SPAWN_DUP2, quiet, 1)]
    if "RUNLOOP_STDERR" not in os.environ:
        actions.append((os.POSIX_SPAWN_DUP2, quiet, 2))
    each = "RUNLOOP_EACH" in os.environ

    def start(argv, c):
        begin = time.monotonic_ns()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
        _, status = os.waitpid(pid, 0)
        elapsed = time.monotonic_ns() - begin
        if os.waitstatus_to_exitcode(status) != 0:
            sys.stderr.write(f"runloop: command {c + 1} ({argv[0]}) failed: {os.waitstatus_to_exitcode(status)}\n")
            sys.exit(1)
        return elapsed

    for c, argv in enumerate(commands):
        for _ in range(warmup):
            start(argv, c)
    for r in range(rounds):
        for c, argv in enumerate(commands):
            begin = time.monotonic_ns()
            times = [start(argv, c) for _ in range(batch)]
            total = time.monotonic_ns() - begin
            print(f"batch {r + 1} {c + 1} {total}")
            if each:
                for i, t in enumerate(times):
                    print(f"run {r + 1} {c + 1} {i + 1} {t}")
            sys.stdout.flush()


main()
