# Seccomp cases: sourced by run.sh after profiles.sh (uses its run_home and make_home helpers).
# The C helpers (tiocsti, nsattempt, foreignabi) are built into $WORK/bin and bound at /h.

need_helpers() { ((HAVE_CC)) || skip "no C compiler for the seccomp helpers"; }

t_seccomp_every_profile() {
    make_home
    cd "$(scratch work)" || fail "cd"
    local profile
    for profile in default strict ci gui browser none; do
        local extra=(); [[ $profile == none ]] && extra=(--ro /usr --ro-try /bin --ro-try /lib --ro-try /lib64)
        run_home --profile "$profile" "${extra[@]}" --proc /proc -- /usr/bin/grep -E '^Seccomp:' /proc/self/status
        expect_ok "--profile $profile: the program runs"
        expect_out $'Seccomp:\t2' "--profile $profile: a seccomp filter is loaded"
    done
}
add_case "a seccomp filter under every shipped profile and without one" t_seccomp_every_profile

t_seccomp_always_on() {
    need_helpers
    make_home
    cd "$(scratch work)" || fail "cd"
    # TIOCSTI: kernels since 6.2 may refuse it themselves (dev.tty.legacy_tiocsti=0), which would
    # hide whether the filter does. As root, allow it for this case (restored on the way out), so that
    # only the filter can refuse; the control shows the kernel lets it through.
    local sysctl=/proc/sys/dev/tty/legacy_tiocsti legacy=""
    if [[ -w $sysctl && $(<"$sysctl") == 0 ]]; then
        legacy=0
        echo 1 >"$sysctl"
        trap 'echo 0 >'"$sysctl" EXIT
    fi
    local host; host=$(as_user "$WORK/bin/tiocsti")
    local test_tiocsti=1
    if [[ $host != "plain=ok wide=ok" ]]; then
        [[ -r $sysctl && $(<"$sysctl") == 0 ]] || fail "control: TIOCSTI on the host gave '$host'"
        test_tiocsti=0  # the kernel refuses it already and this run cannot change that
        echo "note: dev.tty.legacy_tiocsti is 0 and cannot be set here: the TIOCSTI check is skipped"
    fi
    [[ $(as_user "$WORK/bin/foreignabi" int80) == survived* ]] || fail "control: int 0x80 on the host"
    local profile
    for profile in default none; do
        local extra=(); [[ $profile == none ]] && extra=(--ro /usr --ro-try /bin --ro-try /lib --ro-try /lib64 --dev /dev --proc /proc)
        if ((test_tiocsti)); then
            run_home --profile "$profile" "${extra[@]}" --ro-bind "$WORK/bin" /h -- /h/tiocsti
            expect_out "plain=EPERM wide=EPERM" "--profile $profile: TIOCSTI refused, also with high bits set"
        fi
        run_home --profile "$profile" "${extra[@]}" --ro-bind "$WORK/bin" /h -- /h/nsattempt
        expect_out "unshare=EPERM clone=EPERM setns=EPERM clone3=ENOSYS" "--profile $profile: no new namespace; clone3 ENOSYS"
        if [[ $profile == none ]]; then  # (the default profile's allowlist has no unshare at all)
            run_home --profile none "${extra[@]}" -- /usr/bin/python3 -c 'import ctypes; print(ctypes.CDLL(None).unshare(0x600))'
            expect_out "0" "--profile none: unshare(CLONE_FS|CLONE_FILES) is not a namespace: the prelude lets it through"
        fi
        run_home --profile "$profile" "${extra[@]}" --ro-bind "$WORK/bin" /h -- /h/foreignabi int80
        expect_rc 159 "--profile $profile: a system call through int 0x80 kills the process (SIGSYS)"
        run_home --profile "$profile" "${extra[@]}" --ro-bind "$WORK/bin" /h -- /h/foreignabi x32
        expect_rc 159 "--profile $profile: an x32 system call kills the process (SIGSYS)"
    done
}
add_case "always on: TIOCSTI, nested namespaces, clone3, int 0x80 and x32 refused or killed" t_seccomp_always_on

t_seccomp_actions() {
    make_home
    cd "$(scratch work)" || fail "cd"
    run_home --profile default -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_out "socket ok" "control: the default profile allows a socket"
    run_home --profile strict -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_out "socket 1" "strict refuses socket() with EPERM"
    run_home --profile strict --seccomp-action enosys -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_out "socket 38" "seccomp-action enosys: ENOSYS"
    run_home --profile strict --seccomp-action kill -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_rc 159 "seccomp-action kill: SIGSYS, exit status 159"
    run_home --profile default --syscalls-deny socket -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_out "socket 1" "syscalls-deny wins over the profile's allowance"
}
add_case "a refused system call gets EPERM, ENOSYS or SIGSYS as configured; allowed ones work" t_seccomp_actions

t_seccomp_deny_list_refuses_io_uring() {
    make_home
    cd "$(scratch work)" || fail "cd"
    # io_uring_setup(1, NULL): EFAULT when the kernel gets the call, EPERM when the filter refuses it.
    local py='import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); r = libc.syscall(425, 1, None); print(r, ctypes.get_errno())'
    run_home --profile none --ro /usr --ro-try /lib --ro-try /lib64 --symlink usr/bin /bin --proc /proc -- /usr/bin/python3 -c "$py"
    expect_out "-1 1" "no allowlist: the prelude refuses io_uring_setup"
    run_home --profile none --ro /usr --ro-try /lib --ro-try /lib64 --symlink usr/bin /bin --proc /proc --syscalls-deny @network-io -- /usr/bin/python3 -c "$py"
    expect_out "-1 1" "a deny list: io_uring cannot do the sockets it forbids"
    run_home --profile none --ro /usr --ro-try /lib --ro-try /lib64 --symlink usr/bin /bin --proc /proc --unsafe-no-seccomp -- /usr/bin/python3 -c "$py"
    expect_out "-1 14" "control: without a filter the kernel gets the call (EFAULT)"
}
add_case "without an allowlist, io_uring is refused (it would bypass a deny list)" t_seccomp_deny_list_refuses_io_uring

t_seccomp_threads_and_strict() {
    make_home
    cd "$(scratch work)" || fail "cd"
    run_home -- /usr/bin/python3 -c 'import threading; r=[]; t=threading.Thread(target=r.append, args=(1,)); t.start(); t.join(); print("threads", r)'
    expect_out "threads [1]" "a program with threads works under the default profile"
    run_home --profile strict -- /usr/bin/sh -c 'echo strict-runs; /usr/bin/true && echo forked'
    expect_out "strict-runs" "strict runs a shell but it cannot start another program (no fork/clone)"
    run_home --profile strict -- /usr/bin/python3 -c 'import os; print(os.getpid())'
    expect_ok "strict runs a dynamically linked program from /usr"
}
add_case "threads work under default; strict is tight (no sockets, no new processes)" t_seccomp_threads_and_strict

t_seccomp_check() {
    make_home
    user_profile risky.profile $'include default\nsyscalls ptrace mmap2'
    user_profile typo.profile $'include default\nsyscalls opne'
    local dir=$CT/home/.config/sbox/profiles
    run_home check risky
    expect_ok "a profile naming ptrace is valid"
    expect_err_has "warning: $dir/risky.profile:2: syscalls ptrace mmap2: 'ptrace' reaches kernel attack surface" "check warns about ptrace"
    expect_err_has "'mmap2' does not exist on this architecture" "check warns about a name of another architecture"
    run_home check typo
    expect_rc 1 "an unknown system call"
    expect_err_has "$dir/typo.profile:2: syscalls opne: unknown system call 'opne' (did you mean 'open'?)" "check names the closest system call"
    run_home --profile typo -- true
    expect_rc 125 "an unknown system call stops sbox at run time"
    run_home syscalls @io-event
    expect_out_has "epoll_wait" "sbox syscalls @GROUP lists its members"
}
add_case "sbox check warns about dangerous and foreign system calls and refuses unknown ones" t_seccomp_check

t_seccomp_given_filter() {
    make_home
    cd "$(scratch work)" || fail "cd"
    # A compiled filter as bwrap's callers pass it: EPERM for getpid (x86-64: 39), allow the rest.
    python3 -c 'import struct,sys; sys.stdout.buffer.write(b"".join(struct.pack("<HBBI",*i) for i in [(0x20,0,0,0),(0x15,0,1,39),(0x06,0,0,0x50001),(0x06,0,0,0x7fff0000)]))' >"$CT/deny-getpid.bpf"
    local py='import ctypes; print(ctypes.CDLL(None).syscall(39))'
    run_home -- /usr/bin/python3 -c "$py"
    expect_out 2 "control: getpid without the given filter (PID 2)"
    run_home --seccomp 5 -- /usr/bin/python3 -c "$py" 5<"$CT/deny-getpid.bpf"
    expect_out -1 "--seccomp FD: the given filter applies, with sbox's own"
    run_home --add-seccomp-fd 5 -- /usr/bin/python3 -c "$py" 5<"$CT/deny-getpid.bpf"
    expect_out -1 "--add-seccomp-fd FD"
    echo short >"$CT/bad.bpf"
    run_home --seccomp 5 -- true 5<"$CT/bad.bpf"
    expect_rc 125 "a malformed filter stops sbox"
    expect_err_has "--seccomp 5: not a compiled BPF program" "the error names the option"
}
add_case "bwrap's --seccomp FD and --add-seccomp-fd load the caller's compiled filter" t_seccomp_given_filter

t_seccomp_unsafe_off() {
    need_helpers
    make_home
    cd "$(scratch work)" || fail "cd"
    local opts=(--profile none --ro /usr --ro-try /bin --ro-try /lib --ro-try /lib64 --dev /dev --proc /proc --ro-bind "$WORK/bin" /h)
    run_home "${opts[@]}" --unsafe-no-seccomp -- /usr/bin/grep -E '^Seccomp:' /proc/self/status
    expect_out $'Seccomp:\t0' "--unsafe-no-seccomp: no filter at all"
    run_home "${opts[@]}" --unsafe-no-seccomp -- /h/nsattempt
    expect_out_has "clone3=" "--unsafe-no-seccomp: the helper ran"
    expect_out_lacks "clone3=ENOSYS" "--unsafe-no-seccomp: clone3 is not answered ENOSYS"
    make_home
    user_profile off.profile $'include default\nunsafe-no-seccomp'
    run_home check off
    expect_err_has "no seccomp filter: TIOCSTI, new namespaces and other ABIs are not refused" "check warns about unsafe-no-seccomp"
    run_home explain --profile off
    expect_out_has "UNSAFE, no seccomp filter" "explain shows it"
}
add_case "--unsafe-no-seccomp loads no filter; check warns, explain says so" t_seccomp_unsafe_off
