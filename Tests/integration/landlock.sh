# Landlock cases: sourced by run.sh. The helper refuse (C, built into $WORK/bin) runs sbox as on a
# kernel without Landlock: a seccomp filter makes Landlock's system calls (444-446) fail.

# run_sb_refusing ERRNO FIRST[-LAST] SBOX-ARGS...: run_sb, with those system calls failing with ERRNO.
run_sb_refusing() {
    local saved=("${SB_CMD[@]}")
    SB_CMD=("${SB_CMD[@]:0:${#SB_CMD[@]}-1}" "$WORK/bin/refuse" "$1" "$2" "$SBOX_BIN")
    shift 2
    run_sb "$@"
    SB_CMD=("${saved[@]}")
}

need_landlock() {
    local abi
    abi=$(python3 -c 'import ctypes; print(ctypes.CDLL(None).syscall(444, None, 0, 1))' 2>/dev/null)
    [[ $abi =~ ^[0-9]+$ ]] && ((abi >= ${1:-1})) || skip "this kernel has no Landlock ABI ${1:-1} ($abi)"
}

t_landlock_write_only_there() {
    need_landlock
    local s other; s=$(scratch allowed); other=$(scratch other)
    # --bind / / exposes the whole host writable: only Landlock refuses.
    run_sb --bind / / --landlock-write "$s" -- sh -c "echo in >$s/f && echo WROTE; echo out >$other/f; echo rc=\$?"
    expect_out $'WROTE\nrc=2' "--landlock-write: writing in the directory works, elsewhere is refused"
    expect_err_has "Permission denied" "--landlock-write: the write elsewhere fails with EACCES"
    [[ $(<"$s/f") == in && ! -e $other/f ]] || fail "--landlock-write: the host files are not as expected"
    # Control: without it, the same write elsewhere works. (--bind / / alone is refused: it would let
    # the program change sbox's own files.)
    run_sb --ro-bind / / --bind "$other" "$other" -- sh -c "echo out >$other/f && echo WROTE"
    expect_out WROTE "control: a writable bind writes"
    run_sb --bind / / -- true
    expect_rc 125 "--bind / / without --landlock-write"
    # Reading elsewhere stays possible; sbox's /dev devices and the caller's stderr (a host file of
    # the user's, outside the sandbox's view) stay usable.
    local errors=$other/errors
    : >"$errors"; own "$errors"
    run_sb --bind / / --dev /dev --landlock-write "$s" -- sh -c "cat $other/f; echo x >/dev/null && echo NULL;"
    expect_out $'out\nNULL' "--landlock-write: reads elsewhere, /dev/null"
    "${SB_CMD[@]}" "${BASE[@]}" --landlock-write /tmp -- sh -c 'echo reopened >/dev/stderr' 2>"$errors"
    [[ $(<"$errors") == reopened ]] || fail "--landlock-write: echo >/dev/stderr (a host file) gave '$(oneline "$(<"$errors")")'"
}
add_case "landlock: --landlock-write with --bind / /: writes only there" t_landlock_write_only_there

t_landlock_read_only_there() {
    need_landlock
    local s; s=$(scratch secret)
    echo secret >"$s/f"; own "$s"
    run_sb --ro-bind / / --landlock-read /usr --landlock-read /etc -- /usr/bin/sh -c "cat /etc/hostname >/dev/null 2>&1; echo rc=\$?; cat $s/f; ls /"
    expect_out_lacks secret "--landlock-read: a file elsewhere is not readable"
    expect_err_has "Permission denied" "--landlock-read: reading elsewhere fails with EACCES"
    run_sb --ro-bind / / --landlock-read /usr --landlock-read /etc --landlock-read "$s" -- /usr/bin/cat "$s/f"
    expect_out secret "--landlock-read: a listed directory is readable"
    # Renames between directories still work: the layer handles REFER and grants it where it does not restrict writes.
    run_sb --ro-bind / / --bind "$s" "$s" --landlock-read / -- python3 -c "import os; os.makedirs('$s/a'); os.makedirs('$s/b'); open('$s/a/f', 'w').close(); os.rename('$s/a/f', '$s/b/f'); print('MOVED')"
    expect_out MOVED "--landlock-read: a rename between directories works"
    run_sb --ro-bind / / --landlock-read /usr --landlock-read /nowhere -- /usr/bin/true
    expect_rc 125 "--landlock-read: a path that is not in the sandbox stops it"
    expect_err_has "/nowhere is not in the sandbox" "--landlock-read of a missing path"
}
add_case "landlock: --landlock-read: reads only beneath the paths" t_landlock_read_only_there

t_landlock_mirror() {
    need_landlock
    local s; s=$(scratch host)
    echo host >"$s/file"; own "$s"
    # In bwrap mode the caller's descriptors are passed on: fd 5 is a host file outside the
    # sandbox's view. Reopened through /proc it is writable, unless Landlock is on: the mirror of the
    # mounts has no rule for it.
    local view=(bwrap --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64
                --proc /proc --dev /dev --unshare-pid)
    run_sb "${view[@]}" -- sh -c 'echo changed >/proc/self/fd/5 && echo REOPENED' 5<"$s/file"
    expect_out REOPENED "control: without Landlock, a passed descriptor can be reopened for writing"
    echo host >"$s/file"
    run_sb "${view[@]}" --landlock best-effort -- sh -c 'echo changed >/proc/self/fd/5 && echo REOPENED' 5<"$s/file"
    expect_out "" "--landlock best-effort: what the mounts do not show cannot be reopened"
    expect_err_has "Permission denied" "the mirror refuses with EACCES"
    [[ $(<"$s/file") == host ]] || fail "the host file was changed through the passed descriptor"
    # The mirror itself: explain lists it.
    run_sb explain "${BASE[@]}" --bind "$s" /w -- true
    expect_out_has $'  list /\n  read /usr\n  write /proc\n  devices /dev\n  write /tmp\n  write /w' "explain shows the mirror"
}
add_case "landlock: the mirror refuses what the mounts do not show" t_landlock_mirror

t_landlock_scopes() {
    need_landlock 6
    command -v python3 >/dev/null || skip "python3 not installed"
    local name="sbox-it-$$-$RANDOM"
    # A host process with an abstract unix socket, and the sandbox sharing the network and PIDs.
    "${AS_USER[@]}" python3 -c "
import socket, time
s = socket.socket(socket.AF_UNIX); s.bind('\0$name'); s.listen(1); time.sleep(60)" &
    local listener=$!
    track_pid "$listener"
    sleep 0.3
    local probe="import socket, os, errno
s = socket.socket(socket.AF_UNIX)
try:
    s.connect('\0$name'); print('connected')
except OSError as e: print(errno.errorcode[e.errno])
try:
    os.kill($listener, 0); print('signalled')
except OSError as e: print(errno.errorcode[e.errno])"
    # (bwrap mode: sbox mode refuses --share-pid without the signal scope.)
    run_sb bwrap --ro-bind / / -- python3 -c "$probe"
    expect_out $'connected\nsignalled' "control: without Landlock the host's abstract socket and processes are reachable"
    run_sh --share-pid --landlock off -- true
    expect_rc 125 "--share-pid without Landlock's signal scope"
    expect_err_has "--share-pid needs Landlock's signal scoping" "the refusal says why"
    run_sh --share-net --share-pid -- "python3 -c \"$probe\""
    expect_out $'EPERM\nEPERM' "Landlock ABI 6: abstract sockets and signals outside the sandbox are refused"
    kill "$listener" 2>/dev/null
}
add_case "landlock: abstract unix sockets and signals stay inside" t_landlock_scopes

t_landlock_ports() {
    need_landlock 4
    command -v python3 >/dev/null || skip "python3 not installed"
    local py="import socket, errno
def attempt(what, port):
    s = socket.socket()
    try:
        s.bind(('127.0.0.1', port)) if what == 'bind' else s.connect(('127.0.0.1', port))
        return 'ok'
    except OSError as e: return errno.errorcode[e.errno]
a = socket.socket(); a.bind(('127.0.0.1', 4001)); a.listen()
print('bind-4002', attempt('bind', 4002))
print('connect-4001', attempt('connect', 4001), 'connect-4003', attempt('connect', 4003))"
    run_sh --landlock-bind 4001 --landlock-connect 4001 -- "python3 -c \"$py\""
    expect_out $'bind-4002 EACCES\nconnect-4001 ok connect-4003 EACCES' "--landlock-bind/-connect: only the listed ports"
    run_sh -- "python3 -c \"$py\""
    expect_out $'bind-4002 ok\nconnect-4001 ok connect-4003 ECONNREFUSED' "control: any port without them"
}
add_case "landlock: --landlock-connect and --landlock-bind allow only their ports" t_landlock_ports

t_landlock_absent() {
    ((HAVE_CC)) || skip "no C compiler for the refuse helper"
    local errno
    for errno in ENOSYS EOPNOTSUPP; do
        run_sb_refusing "$errno" 444-446 --landlock required "${BASE[@]}" -- true
        expect_rc 125 "--landlock required on a kernel without Landlock ($errno)"
        expect_err_has "--landlock required: this kernel has no Landlock" "required: the message says why"
        run_sb_refusing "$errno" 444-446 --verbose "${BASE[@]}" -- sh -c 'echo RAN'
        expect_ok "best-effort on a kernel without Landlock: the program runs"
        expect_out RAN "best-effort without Landlock"
        expect_err_has "Landlock: none (this kernel has none, or it is disabled)" "best-effort: --verbose says so"
        run_sb_refusing "$errno" 444-446 "${BASE[@]}" --landlock-write /tmp -- true
        expect_rc 125 "--landlock-write is never dropped: no Landlock, no run"
    done
}
add_case "landlock: required without Landlock exits 125; best effort says what it dropped" t_landlock_absent
