#!/usr/bin/env python3
"""Reads traces of many starts of one sandbox tool and prints where a start's time goes.

    breakdown.py TOOL FORMAT TRACE [UNTRACED]

TOOL: sbox or bwrap (which step table applies). FORMAT: perf (`perf script -F tid,time,event,trace
--ns` of raw_syscalls:sys_enter/sys_exit and sched:sched_process_fork/exec/exit) or strace (`strace
-f -ttt -T`). TRACE: the trace of bench/runloop.c starting the tool RUNS times. UNTRACED: runloop's
output (RUNLOOP_EACH=1) for the same command untraced, for the time a start takes without a tracer.

A start is split at system calls into steps along its critical path: from the driver's fork, through
the tool's processes (for sbox: the supervisor S, the init I, the worker W that becomes the program;
for bwrap: the outer process B, the sandbox's PID 1 C, the program P), to the moment the driver's
waitpid returns. Each step ends at a marker (a system call's entry or exit, an exec, an exit) found
after the previous step's end; a step whose marker is missing in a run is merged into the next one.
Work done off the critical path (the init creating the network namespace while the worker mounts)
is shown apart. Prints, per step, the median and the 10th and 90th percentiles over the runs, and
the median time spent inside system calls of that process during the step.
"""
import re
import statistics
import sys
import textwrap

# ----------------------------------------------------------------------------- system call names

FALLBACK_NAMES = {
    0: "read", 1: "write", 3: "close", 7: "poll", 16: "ioctl", 22: "pipe", 56: "clone", 57: "fork",
    58: "vfork", 59: "execve", 60: "exit", 61: "wait4", 62: "kill", 80: "chdir", 83: "mkdir",
    89: "readlink", 112: "setsid", 126: "capset", 128: "rt_sigtimedwait", 155: "pivot_root",
    157: "prctl", 161: "chroot", 165: "mount", 166: "umount2", 231: "exit_group", 247: "waitid",
    257: "openat", 258: "mkdirat", 262: "newfstatat", 272: "unshare", 293: "pipe2", 308: "setns",
    317: "seccomp", 435: "clone3", 436: "close_range", 437: "openat2", 444: "landlock_create_ruleset",
    445: "landlock_add_rule", 446: "landlock_restrict_self", 79: "getcwd", 41: "socket", 290: "eventfd2",
}


def syscall_names():
    names = dict(FALLBACK_NAMES)
    for header in ("/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h"):
        try:
            for line in open(header):
                m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
                if m:
                    names[int(m.group(2))] = m.group(1)
            break
        except OSError:
            continue
    return names


# ----------------------------------------------------------------------------- the trace model

class Call:
    __slots__ = ("name", "start", "end", "args", "ret")

    def __init__(self, name, start, end, args, ret):
        self.name, self.start, self.end, self.args, self.ret = name, start, end, args, ret


class Proc:
    def __init__(self, pid):
        self.pid = pid
        self.parent = None
        self.children = []
        self.forked = None   # when the parent's fork/clone created it
        self.first = None    # its first event of its own
        self.execs = []      # (time, file name)
        self.exited = None
        self.calls = []
        self.probes = []     # (time, name): uprobes at function entries (perf only)
        self.faults = []     # times of page faults (perf only)

    def note(self, t):
        if self.first is None or t < self.first:
            self.first = t


def read_perf(path, names):
    procs, open_calls = {}, {}
    line_re = re.compile(r"\s*(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)")

    def proc(pid):
        if pid not in procs:
            procs[pid] = Proc(pid)
        return procs[pid]

    for line in open(path, errors="replace"):
        m = line_re.match(line)
        if not m:
            continue
        pid, t, event, rest = int(m.group(1)), float(m.group(2)), m.group(3), m.group(4)
        p = proc(pid)
        if event == "raw_syscalls:sys_enter":
            m2 = re.match(r"NR (\d+) \(([^)]*)\)", rest)
            if not m2:
                continue
            nr = int(m2.group(1))
            args = [int(a, 16) for a in m2.group(2).split(",")] if m2.group(2).strip() else []
            open_calls[pid] = Call(names.get(nr, f"sys_{nr}"), t, None, args, None)
            if p.first is None:
                p.note(t)
        elif event == "raw_syscalls:sys_exit":
            m2 = re.match(r"NR (-?\d+) = (-?\d+)", rest)
            if not m2:
                continue
            nr = int(m2.group(1))
            call = open_calls.pop(pid, None)
            if call is None:
                # A new process's first event: the return from the fork/clone that made it.
                p.note(t)
                continue
            call.end, call.ret = t, int(m2.group(2))
            p.calls.append(call)
        elif event == "sched:sched_process_fork":
            m2 = re.search(r"pid=(\d+) child_comm=.* child_pid=(\d+)", rest)
            if m2:
                parent, child = proc(int(m2.group(1))), proc(int(m2.group(2)))
                child.parent = parent.pid
                child.forked = t
                parent.children.append(child.pid)
        elif event == "sched:sched_process_exec":
            m2 = re.search(r"filename=(.*) pid=\d+ old_pid=\d+", rest)
            p.execs.append((t, m2.group(1) if m2 else "?"))
            p.note(t)
        elif event == "sched:sched_process_exit":
            p.exited = t
        elif event.startswith("exceptions:page_fault"):
            p.faults.append(t)
        elif ":" in event and not event.startswith(("raw_syscalls:", "sched:", "exceptions:")):
            # A uprobe placed by bench/breakdown: GROUP:NAME, or GROUP:NAME_2 for a second symbol.
            name = re.sub(r"_\d+$", "", event.split(":", 1)[1])
            if not name.endswith("__return"):
                p.probes.append((t, name))
    # Calls that never returned (exit_group) keep their entry time as their end.
    for pid, call in open_calls.items():
        call.end = call.start
        procs[pid].calls.append(call)
    for p in procs.values():
        p.calls.sort(key=lambda c: c.start)
    return procs


def read_strace(path):
    procs, pending = {}, {}
    line_re = re.compile(r"(\d+)\s+([\d.]+)\s+(.*)")
    clones = []  # (time, pid, returned pid) of fork-like calls

    def proc(pid):
        if pid not in procs:
            procs[pid] = Proc(pid)
        return procs[pid]

    def duration(text):
        m = re.search(r"<([\d.]+)>\s*$", text)
        return float(m.group(1)) if m else 0.0

    def retval(text):
        m = re.search(r"\)\s+=\s+(-?\d+|\?)", text)
        return int(m.group(1)) if m and m.group(1) != "?" else None

    for line in open(path, errors="replace"):
        m = line_re.match(line)
        if not m:
            continue
        pid, t, rest = int(m.group(1)), float(m.group(2)), m.group(3)
        p = proc(pid)
        p.note(t)
        if rest.startswith("+++"):
            p.exited = t
            continue
        if rest.startswith("---"):
            continue
        m2 = re.match(r"<\.\.\. (\w+) resumed>(.*)", rest)
        if m2:
            call = pending.pop(pid, None)
            if call is None:
                continue
            call.end = call.start + duration(rest) if duration(rest) else t
            call.ret = retval(" )" + m2.group(2)) if ")" in m2.group(2) else None
            p.calls.append(call)
            if call.name in ("clone", "clone3", "fork", "vfork"):
                clones.append((call.start, pid, call.ret))
            if call.name == "execve" and call.ret == 0:
                p.execs.append((call.end, "?"))
            continue
        m2 = re.match(r"(\w+)\((.*)", rest)
        if not m2:
            continue
        name, text = m2.group(1), m2.group(2)
        args = text
        if text.endswith("<unfinished ...>"):
            pending[pid] = Call(name, t, None, args, None)
            continue
        call = Call(name, t, t + duration(text), args, retval(text))
        p.calls.append(call)
        if name in ("clone", "clone3", "fork", "vfork"):
            clones.append((t, pid, call.ret))
        if name == "execve" and call.ret == 0:
            m3 = re.match(r'"([^"]*)"', text)
            p.execs.append((call.end, m3.group(1) if m3 else "?"))
    for pid, call in pending.items():
        call.end = call.start
        procs[pid].calls.append(call)
    # Parents: a fork-like call returning a traced pid names its child; one returning a pid of
    # another PID namespace gets the next process first seen after it that has no parent yet.
    order = sorted(procs.values(), key=lambda q: q.first if q.first is not None else 0)
    for t, pid, ret in sorted(clones):
        if ret is None or ret <= 0:
            continue
        child = procs.get(ret)
        if child is None or child.parent is not None or child.pid == pid:
            child = next((q for q in order if q.parent is None and q.pid != pid and q.first is not None
                          and q.first >= t and q is not order[0]), None)
        if child is None:
            continue
        child.parent, child.forked = pid, t
        procs[pid].children.append(child.pid)
    for p in procs.values():
        p.calls.sort(key=lambda c: c.start)
        p.children.sort(key=lambda c: procs[c].forked or 0)
    return procs


# ----------------------------------------------------------------------------- markers and steps

class Run:
    """One start: the driver's fork of it, its processes by role, the driver's waitpid return."""

    def __init__(self, procs, roles, begin, end):
        self.procs, self.roles, self.begin, self.end = procs, roles, begin, end

    def p(self, role):
        return self.procs.get(self.roles.get(role))


def is_seccomp_load(call):
    if call.name == "seccomp":
        return True
    if call.name != "prctl":
        return False
    a = call.args
    return (isinstance(a, list) and a and a[0] == 22) or (isinstance(a, str) and a.startswith("PR_SET_SECCOMP"))


def find(run, role, kind, after, names=(), which="first", pred=None):
    """The time of a marker in process `role` at or after `after`, or None."""
    p = run.p(role)
    if p is None:
        return None
    if kind == "exec":
        ts = [t for t, _ in p.execs if t >= after]
        return ts[0] if ts else None
    if kind == "exited":
        return p.exited if p.exited is not None and p.exited >= after else None
    if kind == "first":
        return p.first if p.first is not None and p.first >= after else None
    if kind == "end":
        return run.end if run.end >= after else None
    if kind == "probe":
        ts = [t for t, name in p.probes if t >= after and name in names]
        return ts[0] if ts else None
    hits = []
    for c in p.calls:
        t = c.start if kind == "enter" else c.end
        if t is None or t < after:
            continue
        if names and c.name not in names:
            continue
        if pred and not pred(c):
            continue
        hits.append(t)
        if which == "first":
            break
    if not hits:
        return None
    return hits[0] if which == "first" else hits[-1]


def M(role, kind, *names, which="first", pred=None):
    return (role, kind, names, which, pred)


# Each step: (process, what, category, marker of its end). The steps follow one another in time.
# Markers of kind "probe" are uprobes at the entry of sbox's functions (bench/breakdown places them
# when it runs as root and the binary has its symbols); without them those steps merge into the next.
SBOX_STEPS = [
    ("S", "fork + execve of sbox (by the driver)", "exec tool", M("S", "exec")),
    ("S", "static glibc start: CPU features, caches (cpuid)", "libc start", M("S", "enter")),
    ("S", "Swift runtime and libcap initialisers", "runtime start", M("S", "probe", "main")),
    ("S", "main: arguments as bytes, subcommand", "before clone", M("S", "probe", "parse")),
    ("S", "parsing the command line", "before clone", M("S", "probe", "hostctx")),
    ("S", "host context: environment, stack check", "before clone", M("S", "enter", "getcwd")),
    ("S", "host context: cwd, ttys", "before clone", M("S", "probe", "hostpaths")),
    ("S", "realpaths of home, runtime dir, own dirs", "before clone", M("S", "probe", "opts")),
    ("S", "profiles", "before clone", M("S", "probe", "compile")),
    ("S", "plan compile", "before clone", M("S", "probe", "run")),
    ("S", "Sandbox.run: thread check, mkdir own dirs, sources", "before clone", M("S", "probe", "seccomp")),
    ("S", "seccomp program (cache, MAC), data", "before clone",
     M("S", "enter", "landlock_create_ruleset", "clone", "clone3")),
    ("S", "Landlock ABI, /proc, signals, pipes", "before clone", M("S", "enter", "clone", "clone3")),
    ("S>I", "clone (user, mount, PID, IPC namespaces) until the init runs", "namespaces", M("I", "first")),
    ("I", "die-with-parent, lifeline check, chdir /", "id maps", M("I", "enter", "openat")),
    ("I", "id maps (setgroups, uid_map, gid_map)", "id maps", M("I", "enter", "setsid")),
    ("I", "setsid", "id maps", M("I", "exit", "setsid")),
    ("I>W", "pipes, fork until the worker runs", "init/worker fork", M("W", "first")),
    ("W", "mounts (new root, binds, proc, dev, tmpfs)", "mounts", M("W", "enter", "pivot_root", which="last")),
    ("W", "pivot_root, detach the old root", "pivot", M("W", "exit", "umount2")),
    ("W", "join the init's network namespace (waits for it)", "network", M("W", "exit", "setns")),
    ("W", "lock: unshare user+mnt(+uts, cgroup), id maps, chdir", "lock", M("W", "enter", "prctl", "capset")),
    ("W", "drop capabilities (no_new_privs, bounding set, capset)", "privileges", M("W", "exit", "capset")),
    ("W", "close inherited descriptors", "privileges", M("W", "exit", "close_range")),
    ("W", "Landlock (ruleset, rules, restrict_self)", "Landlock", M("W", "exit", "landlock_restrict_self")),
    ("W", "seccomp filter load", "seccomp", M("W", "exit", "seccomp", "prctl", pred=is_seccomp_load)),
    ("W", "execve /bin/true", "exec program", M("W", "exec")),
    ("P", "ld.so start: CPU features, caches (cpuid)", "program", M("W", "enter", "mmap")),
    ("P", "/bin/true: libc loaded, runs, exit_group", "program", M("W", "enter", "exit_group")),
    ("P", "program exit (its teardown)", "reap", M("W", "exited")),
    ("I>S", "init reaps, reports the status; sbox wakes", "reap", M("S", "exit")),
    ("S", "sbox reads the status, exit_group", "reap", M("S", "enter", "exit_group")),
    ("S", "sbox's exit (teardown) until the driver's waitpid returns", "reap", M("S", "end")),
]

# Off the critical path: (process, what, start marker, end marker).
SBOX_SIDE = [
    ("I", "network namespace (unshare NEWNET, loopback up), in the init", M("I", "enter", "unshare"),
     M("I", "exit", "ioctl", which="last")),
    ("S", "supervisor after clone until it waits", M("S", "exit", "clone", "clone3"),
     M("S", "enter", "rt_sigtimedwait", "ppoll", "poll", "wait4", "waitid", "read")),
    ("S", "the clone system call itself, in sbox", M("S", "enter", "clone", "clone3"), M("S", "exit", "clone", "clone3")),
    ("I", "the fork system call itself, in the init", M("I", "enter", "clone", "clone3", "fork"), M("I", "exit", "clone", "clone3", "fork")),
    ("W", "mount lock unshare (user, mnt, uts, cgroup)", M("W", "enter", "unshare"), M("W", "exit", "unshare")),
    ("W", "umount2 of the old root (after pivot_root)", M("W", "enter", "umount2"), M("W", "exit", "umount2")),
]

BWRAP_STEPS = [
    ("B", "fork + execve of bwrap (by the driver)", "exec tool", M("B", "exec")),
    ("B", "ld.so start", "libc start", M("B", "enter")),
    ("B", "ld.so: CPU features, caches (cpuid)", "libc start", M("B", "enter", "mmap")),
    ("B", "ld.so: libselinux, libcap, libc, libpcre2; relocations", "runtime start", M("B", "enter", "prctl", "statfs")),
    ("B", "arguments, checks, /proc", "before clone", M("B", "enter", "clone", "clone3")),
    ("B>C", "clone (all seven namespaces) until the child runs", "namespaces", M("C", "first")),
    ("C", "wait for the parent's go (eventfd)", "id maps", M("C", "exit", "read")),
    ("C", "drop the bounding set", "privileges", M("C", "enter", "socket")),
    ("C", "loopback up (netlink)", "network", M("C", "enter", "mount")),
    ("C", "mounts", "mounts", M("C", "enter", "pivot_root", which="last")),
    ("C", "pivot_root, detach the old root", "pivot", M("C", "exit", "umount2")),
    ("C", "unshare user, caps, id maps, chdir", "lock", M("C", "enter", "setsid")),
    ("C", "setsid", "id maps", M("C", "exit", "setsid")),
    ("C>P", "fork until the program's process runs", "init/worker fork", M("P", "first")),
    ("P", "close descriptors, execve /bin/true", "exec program", M("P", "exec")),
    ("P", "ld.so start: CPU features, caches (cpuid)", "program", M("P", "enter", "mmap")),
    ("P", "/bin/true: libc loaded, runs, exit_group", "program", M("P", "enter", "exit_group")),
    ("P", "program exit (its teardown)", "reap", M("P", "exited")),
    ("C>B", "PID 1 reaps, reports (eventfd); bwrap wakes", "reap", M("B", "exit")),
    ("B", "bwrap exit_group", "reap", M("B", "enter", "exit_group")),
    ("B", "bwrap's exit (teardown) until the driver's waitpid returns", "reap", M("B", "end")),
]

BWRAP_SIDE = [
    ("B", "outer bwrap after clone until it waits", M("B", "exit", "clone", "clone3"), M("B", "enter", "poll", "ppoll", "read")),
    ("B", "the clone system call itself, in bwrap", M("B", "enter", "clone", "clone3"), M("B", "exit", "clone", "clone3")),
    ("C", "the fork system call itself, in PID 1", M("C", "enter", "clone", "clone3", "fork"), M("C", "exit", "clone", "clone3", "fork")),
    ("C", "umount2 of the old root (after pivot_root)", M("C", "enter", "umount2"), M("C", "exit", "umount2")),
]


def runs_of(procs, tool):
    """Every start: a child of the driver (the process that executed runloop, or the trace's first)."""
    driver = None
    for p in sorted(procs.values(), key=lambda q: q.first or 0):
        if any(f.endswith("runloop") for _, f in p.execs):
            driver = p
            break
    if driver is None:
        driver = min(procs.values(), key=lambda q: q.first or 0)
    roots = [procs[c] for c in driver.children if c in procs]
    waits = [c for c in driver.calls if c.name in ("wait4", "waitid") and c.ret and c.ret > 0]
    runs = []
    for root in roots:
        end = next((c.end for c in waits if c.ret == root.pid), None)
        if end is None or root.forked is None:
            continue
        roles = {}
        if tool == "sbox":
            roles["S"] = root.pid
            if root.children:
                roles["I"] = root.children[0]
                init = procs[root.children[0]]
                if init.children:
                    roles["W"] = init.children[0]
        else:
            roles["B"] = root.pid
            if root.children:
                roles["C"] = root.children[0]
                child = procs[root.children[0]]
                if child.children:
                    roles["P"] = child.children[0]
        runs.append(Run(procs, roles, root.forked, end))
    return runs


def in_calls(run, role, start, end):
    """Time this process spent inside system calls between start and end."""
    p = run.p(role)
    if p is None or end is None or start is None:
        return None
    total = 0.0
    for c in p.calls:
        if c.end is None or c.end <= start or c.start >= end:
            continue
        total += min(c.end, end) - max(c.start, start)
    return total


def faults_in(run, role, start, end):
    p = run.p(role)
    if p is None or not p.faults:
        return None
    return sum(1 for t in p.faults if start <= t < end)


def percentile(values, q):
    v = sorted(values)
    if not v:
        return None
    k = (len(v) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def present_steps(runs, steps):
    """The steps whose marker most starts have; each missing one is merged into the next present
    one (its label joined to that step's). Returns [(who, what, category, marker)]."""
    found = [0] * len(steps)
    for run in runs:
        cursor = run.begin
        for i, (_, _, _, marker) in enumerate(steps):
            role, kind, names, which, pred = marker
            t = find(run, role, kind, cursor, names, which, pred)
            if t is not None:
                found[i] += 1
                cursor = t
    merged, pending = [], []
    for i, (who, what, category, marker) in enumerate(steps):
        if found[i] == 0:
            continue  # a step this tool or sandbox does not take (or no uprobes): no time goes there
        if found[i] * 2 < len(runs):
            pending.append(what)
            continue
        label = " + ".join(pending + [what]) if pending else what
        merged.append((who, label, category if not pending else steps[i - len(pending)][2], marker))
        pending = []
    return merged


def analyse(runs, steps, side):
    steps = present_steps(runs, steps)
    table = [[] for _ in steps]
    syscall = [[] for _ in steps]
    faults = [[] for _ in steps]
    totals = []
    side_values = [[] for _ in side]
    for run in runs:
        cursor = run.begin
        for i, (who, _, _, marker) in enumerate(steps):
            role, kind, names, which, pred = marker
            t = find(run, role, kind, cursor, names, which, pred)
            if t is None:
                continue  # merged into the next step
            table[i].append(t - cursor)
            # The process whose work the step is (the one that starts it, for a step across two).
            proc_role = who.split(">")[0]
            if proc_role == "P" and "W" in run.roles:
                proc_role = "W"
            s = in_calls(run, proc_role, cursor, t)
            if s is not None:
                syscall[i].append(s)
            f = faults_in(run, proc_role, cursor, t)
            if f is not None:
                faults[i].append(f)
            cursor = t
        totals.append(run.end - run.begin)
        for j, (_, _, start, end) in enumerate(side):
            t0 = find(run, start[0], start[1], run.begin, start[2], start[3], start[4])
            if t0 is None:
                continue
            t1 = find(run, end[0], end[1], t0, end[2], end[3], end[4])
            if t1 is not None:
                side_values[j].append(t1 - t0)
    return steps, table, syscall, faults, totals, side_values


def main():
    tool, fmt, trace = sys.argv[1], sys.argv[2], sys.argv[3]
    untraced = sys.argv[4] if len(sys.argv) > 4 else None
    procs = read_perf(trace, syscall_names()) if fmt == "perf" else read_strace(trace)
    runs = runs_of(procs, tool)
    if not runs:
        sys.exit(f"breakdown: no complete start of {tool} found in {trace}")
    steps, side = (SBOX_STEPS, SBOX_SIDE) if tool == "sbox" else (BWRAP_STEPS, BWRAP_SIDE)
    steps, table, syscall, faults, totals, side_values = analyse(runs, steps, side)
    us = 1e6
    n = len(runs)
    print(f"{'proc':<5} {'step (µs)':<62} {'median':>7} {'p10':>6} {'p90':>6} {'in sys':>6} {'faults':>6} {'runs':>5}")
    median_sum = 0.0
    by_category = {}
    for (who, what, category, _), values, sysv, fv in zip(steps, table, syscall, faults):
        if not values:
            continue  # no marker in any run (no uprobes, or a step this tool or sandbox has not)
        med = statistics.median(values)
        median_sum += med
        by_category[category] = by_category.get(category, 0.0) + med
        sys_med = f"{statistics.median(sysv) * us:.0f}" if sysv else ""
        f_med = f"{statistics.median(fv):.0f}" if fv else ""
        lines = textwrap.wrap(what, 62) or [""]
        for extra in lines[:-1]:
            print(f"{who:<5} {extra}")
            who = ""
        print(f"{who:<5} {lines[-1]:<62} {med * us:>7.0f} {percentile(values, 0.1) * us:>6.0f} "
              f"{percentile(values, 0.9) * us:>6.0f} {sys_med:>6} {f_med:>6} {len(values):>5}")
    total = statistics.median(totals)
    print(f"{'':<5} {'sum of the step medians':<62} {median_sum * us:>7.0f}")
    print(f"{'':<5} {'a start, traced (fork to waitpid): median':<62} {total * us:>7.0f} "
          f"{percentile(totals, 0.1) * us:>6.0f} {percentile(totals, 0.9) * us:>6.0f} {'':>6} {n:>5}")
    if untraced:
        times = [int(line.split()[4]) / 1e9 for line in open(untraced) if line.startswith("run ")]
        if times:
            print(f"{'':<5} {'a start, untraced (same driver): median':<62} {statistics.median(times) * us:>7.0f} "
                  f"{percentile(times, 0.1) * us:>6.0f} {percentile(times, 0.9) * us:>6.0f} {'':>6} {len(times):>5}")
    print()
    print("off the critical path (in parallel with the steps above):")
    for (who, what, _, _), values in zip(side, side_values):
        if values:
            print(f"{who:<5} {what[:62]:<62} {statistics.median(values) * us:>7.0f} "
                  f"{percentile(values, 0.1) * us:>6.0f} {percentile(values, 0.9) * us:>6.0f} {'':>6} {len(values):>5}")
    print()
    print("by category (sum of step medians, µs): " + ", ".join(f"{k} {v * us:.0f}" for k, v in by_category.items()))
    # Machine-readable lines for a side-by-side table.
    for k, v in by_category.items():
        print(f"CATEGORY\t{k}\t{v * us:.1f}")
    print(f"TOTAL\t{total * us:.1f}")


if __name__ == "__main__":
    main()
