# Cases of the sbox integration suite; sourced by run.sh, which provides the
# helpers (run_sb, run_sh, expect_*, fail, skip, scratch, sb_bg, ...) and the
# variables MODE, MUID, MGID (the host uid/gid sbox runs as), CT (a fresh
# directory owned by that uid, also the cwd), BASE (a minimal root), WORK,
# SBOX_BIN.
# shellcheck shell=bash disable=SC2016

EROFS_MSG="Read-only file system"

# ------------------------------------------------------------- filesystem

t_ro_bind_readonly() {
    local s; s=$(scratch data)
    echo original >"$s/existing"; own "$s"
    # Control: the same writes work through a writable --bind and reach the host.
    run_sh --bind "$s" /w -- 'echo hello >/w/new && echo changed >/w/existing && echo WROTE'
    expect_ok "--bind: writing works"
    expect_out WROTE "--bind: writing works"
    [[ $(<"$s/new") == hello ]] || fail "--bind: /w/new written inside is not on the host"
    [[ $(<"$s/existing") == changed ]] || fail "--bind: change inside is not on the host"
    echo original >"$s/existing"; rm -f "$s/new"

    run_sh --ro-bind "$s" /w -- 'echo x >/w/new; echo x >/w/existing; rm /w/existing; mkdir /w/d; cat /w/existing'
    expect_out original "--ro-bind: file readable and unchanged inside"
    expect_err_has "$EROFS_MSG" "--ro-bind: write fails with EROFS"
    [[ ! -e $s/new && ! -e $s/d ]] || fail "--ro-bind: a file was created on the host"
    [[ $(<"$s/existing") == original ]] || fail "--ro-bind: the host file was modified"
}
add_case "read-only bind is read-only, writable bind writes through" t_ro_bind_readonly

t_ro_bind_submount() {
    [[ $EUID -eq 0 ]] || skip "needs root on the host to create a tmpfs submount"
    local s; s=$(scratch tree)
    mkdir -p "$s/inner"
    mount -t tmpfs -o "size=1M,mode=0755,uid=$MUID,gid=$MGID" sbox-it-sub "$s/inner" || fail "host: mount tmpfs failed"
    track_mount "$s/inner"
    echo host >"$s/inner/hostfile"; own "$s"
    # Control: through --bind the submount is visible and writable.
    run_sh --bind "$s" /t -- 'cat /t/inner/hostfile && echo x >/t/inner/viabind && echo WROTE'
    expect_ok "--bind with a submount"
    expect_out $'host\nWROTE' "--bind with a submount"
    [[ -e $s/inner/viabind ]] || fail "--bind: write into the submount did not reach the host tmpfs"
    rm -f "$s/inner/viabind"

    run_sh --ro-bind "$s" /t -- 'cat /t/inner/hostfile; echo x >/t/inner/new; echo x > /t/inner/hostfile; grep " /t/inner " /proc/self/mountinfo'
    expect_out_has host "--ro-bind: submount content visible"
    expect_err_has "$EROFS_MSG" "--ro-bind: write into the submount fails with EROFS"
    [[ ! -e $s/inner/new && $(<"$s/inner/hostfile") == host ]] || fail "--ro-bind: the host submount was modified"
    [[ $OUT == *" /t/inner ro,"* ]] || fail "--ro-bind: /t/inner not mounted read-only inside: $(oneline "$OUT")"
}
add_case "read-only bind covers submounts (tmpfs below the source)" t_ro_bind_submount

t_ro_bind_dev_submount() {
    grep -q ' /dev/shm ' /proc/self/mountinfo || skip "the host has no /dev/shm mount"
    [[ -w /dev/shm ]] || skip "/dev/shm is not writable on the host"
    local f=sbox-it-$$-$RANDOM
    track_file "/dev/shm/$f"
    # Control: --dev-bind of the host /dev writes into the host's /dev/shm.
    run_sb "${BASE[@]}" --dev-bind /dev /hostdev -- sh -c "echo x >/hostdev/shm/$f && echo WROTE"
    expect_out WROTE "--dev-bind /dev: writing /hostdev/shm works"
    [[ -e /dev/shm/$f ]] || fail "--dev-bind /dev: the file did not reach the host /dev/shm"
    rm -f "/dev/shm/$f"
    run_sb "${BASE[@]}" --ro-bind /dev /hostdev -- sh -c "test -d /hostdev/shm && echo SEEN; echo x >/hostdev/shm/$f"
    expect_out SEEN "--ro-bind /dev: /hostdev/shm visible"
    expect_err_has "$EROFS_MSG" "--ro-bind /dev: write to the /dev/shm submount fails with EROFS"
    [[ ! -e /dev/shm/$f ]] || fail "--ro-bind /dev: a file appeared in the host /dev/shm"
}
add_case "read-only bind of /dev covers its /dev/shm submount" t_ro_bind_dev_submount

t_remount_denied() {
    local f=/usr/.sbox-it-remount-$$ opts
    for opts in "" "--cap-add ALL" "--uid 0 --cap-add ALL"; do
        # With mount(8).
        # shellcheck disable=SC2086
        run_sh $opts -- "
            if mount -o remount,rw /usr 2>/dev/null; then echo REMOUNT_RW_SUCCEEDED; fi
            if mount -o remount,bind,rw /usr 2>/dev/null; then echo BIND_REMOUNT_RW_SUCCEEDED; fi
            touch $f"
        [[ $OUT != *SUCCEEDED* ]] || fail "${opts:-no options}: $(oneline "$OUT") (ro bind /usr remounted rw from inside)"
        expect_err_has "$EROFS_MSG" "${opts:-no options}: /usr still read-only after mount -o remount,rw"
        [[ ! -e $f ]] || { rm -f "$f"; fail "${opts:-no options}: $f created on the host"; }
    done
    # With the system calls directly; the control mounts prove that the
    # program does hold CAP_SYS_ADMIN over its mount namespace. Without Landlock, which refuses
    # every mount: the mount lock alone is under test.
    for opts in "--cap-add ALL" "--uid 0 --cap-add ALL" "--uid 0 --cap-add CAP_SYS_ADMIN"; do
        # shellcheck disable=SC2086
        run_sh $opts --landlock off --ro-bind "$WORK/bin" /h -- "python3 /h/mountcalls.py /usr; touch $f"
        local want=$'control-mount ok\ncontrol-remount-ro ok\ncontrol-remount-rw ok'
        [[ $OUT == "$want"* ]] || fail "$opts: control mounts failed, test cannot judge: $(oneline "$OUT") $(oneline "$ERR")"
        local line bad=()
        while read -r line; do
            [[ $line == target-* && $line == *" ok" ]] && bad+=("${line% ok}")
        done <<<"$OUT"
        ((${#bad[@]} == 0)) || fail "$opts: these succeeded on the read-only /usr: ${bad[*]}"
        [[ $OUT == *"target-umount "* ]] || fail "$opts: probe incomplete: $(oneline "$OUT")"
        expect_err_has "$EROFS_MSG" "$opts: /usr still read-only after the attempts"
        [[ ! -e $f ]] || { rm -f "$f"; fail "$opts: $f created on the host"; }
    done
}
add_case "ro bind cannot be remounted rw or unmounted from inside (even with --cap-add)" t_remount_denied

t_root_readonly() {
    run_sh -- 'touch /tmp/ok && echo TMP_OK; touch /newfile; mkdir /newdir; ln -s x /newlink; test -e /newfile || test -e /newdir || test -L /newlink || echo ABSENT'
    expect_out $'TMP_OK\nABSENT' "root: /tmp writable, / not"
    expect_err_has "$EROFS_MSG" "writing / fails with EROFS"
    run_sb "${BASE[@]}" -- sh -c 'grep -E "^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / " /proc/self/mountinfo'
    [[ $OUT =~ ^[0-9]+\ [0-9]+\ [^\ ]+\ [^\ ]+\ /\ ro, ]] || fail "/ is not mounted read-only: $(oneline "$OUT")"
}
add_case "the root / is read-only" t_root_readonly

t_unexposed() {
    local p present=()
    for p in /etc/hostname /etc/passwd /home /root "$WORK" /var /boot; do
        [[ -e $p ]] && present+=("$p")
    done
    ((${#present[@]} >= 3)) || skip "too few of the probe paths exist on the host"
    local script=''
    for p in "${present[@]}"; do script+="test -e '$p' && echo 'VISIBLE $p'; "; done
    run_sh -- "$script ls /"
    expect_ok "probe"
    [[ $OUT != *VISIBLE* ]] || fail "host paths visible without a bind: $(oneline "$(grep VISIBLE <<<"$OUT")")"
    # Control: the probe does see a host path once it is bound.
    run_sh --ro-bind /etc /etc -- 'test -e /etc/passwd && echo VISIBLE'
    expect_out VISIBLE "control: /etc/passwd visible with --ro-bind /etc /etc"
}
add_case "host files that are not bound are absent" t_unexposed

t_symlink_no_escape() {
    local s; s=$(scratch esc)
    mkdir -p "$s/d" "$s/hosttarget" "$s/payload"
    echo host >"$s/hosttarget/orig"; echo payload >"$s/payload/pf"
    ln -s "$s/hosttarget" "$s/d/link"            # absolute symlink to a host dir
    ln -s ../../../../../../../../.. "$s/d/up"    # relative, climbs above /
    own "$s"
    # Inside, $s/hosttarget is a fresh directory on the sandbox's /tmp tmpfs
    # (or the root); the destinations below /d/link must land there.
    run_sb "${BASE[@]}" --dir "$s/hosttarget" --bind "$s/d" /d \
        --ro-bind "$s/payload" /d/link/mnt --dir /d/link/newdir --symlink x /d/link/newlink \
        --dir /d/up/sbox-it-updir -- sh -c "cat $s/hosttarget/mnt/pf; ls $s/hosttarget | tr '\n' ' '; echo; test -d /sbox-it-updir && echo UPDIR"
    # First the host: nothing may have been created or mounted through the links.
    local now; now=$(cd "$s/hosttarget" && ls -A | tr '\n' ' ')
    [[ $now == "orig " ]] || fail "host directory behind the symlink changed: now contains: $now"
    [[ $(<"$s/hosttarget/orig") == host ]] || fail "host file behind the symlink changed"
    [[ ! -e /sbox-it-updir ]] || { rmdir /sbox-it-updir; fail "/sbox-it-updir was created on the host"; }
    [[ $(cd "$s/d" && ls -A | tr '\n' ' ') == "link up " ]] || fail "bound dir changed on host: $(ls -A "$s/d")"
    # Then the sandbox: everything landed at the in-sandbox resolution.
    expect_ok "binds through symlinked destinations"
    expect_out $'payload\nmnt newdir newlink \nUPDIR' "in-sandbox resolution of /d/link/* and /d/up/*"
}
add_case "symlinks in a bind destination resolve inside the sandbox, never on the host" t_symlink_no_escape

t_dotdot_under_renames() {
    command -v python3 >/dev/null || skip "python3 not installed (host-side rename loop)"
    local s; s=$(scratch dd); mkdir "$s/d" "$s/r"; ln -s ../../../../../../.. "$s/d/up"; own "$s"
    # Renames anywhere on the system make the kernel's checked ".." resolution
    # (openat2 RESOLVE_IN_ROOT/BENEATH) fail with EAGAIN; such a failure is
    # transient and must be retried, not reported. Keep renaming while sbox runs.
    python3 -c '
import os, sys, time
os.chdir(sys.argv[1]); open("a", "w").close(); end = time.time() + 30
while time.time() < end and not os.path.exists("stop"):
    os.rename("a", "b"); os.rename("b", "a")
' "$s/r" &
    local rp=$!; track_pid "$rp"
    local i n=0 errs="" args
    for args in "--dir /tmp/../x" "--ro-bind /usr/share /tmp/../y" "--bind $s/d /d --dir /d/up/z"; do
        for ((i = 0; i < 40; i++)); do
            # shellcheck disable=SC2086
            sb "${BASE[@]}" $args -- true 2>"$CT/.err" >/dev/null || { n=$((n + 1)); errs=$(head -1 "$CT/.err"); }
        done
    done
    touch "$s/r/stop"; wait "$rp"
    ((n == 0)) || fail "$n of 120 runs failed while the host renamed files, e.g.: $errs"
}
add_case "destinations with '..' resolve reliably while the host renames files" t_dotdot_under_renames

t_tmpfs_perms_size() {
    run_sb "${BASE[@]}" --tmpfs /a --perms 0700 --tmpfs /b --perms 1777 --size 64K --tmpfs /c -- \
        sh -c 'stat -c %a /a /b /c'
    expect_out $'755\n700\n1777' "modes of --tmpfs, --perms 0700 --tmpfs, --perms 1777 --tmpfs"
    run_sb "${BASE[@]}" --size 1M --tmpfs /s -- sh -c '
        head -c 524288 /dev/zero >/s/half && echo HALF_OK
        head -c 2097152 /dev/zero >/s/big && echo BIG_OK
        grep " /s " /proc/self/mountinfo'
    expect_out_has HALF_OK "--size 1M: 512 KiB fit"
    expect_out_lacks BIG_OK "--size 1M: 2 MiB must not fit"
    expect_err_has "No space left on device" "--size 1M: 2 MiB write fails with ENOSPC"
    expect_out_has "size=1024k" "--size 1M: mount option"
    # Control: without --size, 2 MiB fit.
    run_sb "${BASE[@]}" --tmpfs /s -- sh -c 'head -c 2097152 /dev/zero >/s/big && echo BIG_OK'
    expect_out BIG_OK "control: 2 MiB fit in a --tmpfs without --size"
}
add_case "--tmpfs with --perms and --size" t_tmpfs_perms_size

t_dir_perms() {
    run_sb "${BASE[@]}" --dir /d1 --perms 0710 --dir /d2 --perms 0700 --dir /tmp/a/b -- \
        sh -c 'stat -c "%a %F" /d1 /d2 /tmp/a/b; touch /tmp/a/b/f && echo WRITABLE'
    expect_out $'755 directory\n710 directory\n700 directory\nWRITABLE' "--dir modes (default 0755, --perms)"
    # The mode is the one asked for, whatever the caller's umask.
    run_sb "${BASE[@]}" --perms 0777 --dir /open --perms 1777 --dir /sticky -- stat -c %a /open /sticky
    expect_out $'777\n1777' "--perms 0777 --dir, --perms 1777 --dir (caller's umask 022)"
    umask 077
    run_sb "${BASE[@]}" --dir /d --perms 0750 --dir /e --tmpfs /t -- stat -c %a /d /e /t
    umask 022
    expect_out $'755\n750\n755' "--dir (default 0755), --perms 0750 --dir, --tmpfs with the caller's umask 077"
}
add_case "--dir with and without --perms, independent of the umask" t_dir_perms

t_chmod() {
    run_sb "${BASE[@]}" --tmpfs /t --dir /t/d --chmod 0700 /t/d --chmod 1777 /t -- sh -c 'stat -c %a /t/d /t'
    expect_out $'700\n1777' "--chmod"
    local s; s=$(scratch c); echo x >"$s/f"; chmod 0644 "$s/f"; own "$s"
    run_sb "${BASE[@]}" --bind "$s" /w --chmod 0600 /w/f -- stat -c %a /w/f
    expect_out 600 "--chmod of a file in a --bind"
}
add_case "--chmod" t_chmod

t_remount_ro() {
    local s; s=$(scratch r); mkdir "$s/sub"; own "$s"
    # Control: without --remount-ro both writes work.
    run_sb "${BASE[@]}" --bind "$s" /w --tmpfs /w/sub -- sh -c 'echo x >/w/f && echo x >/w/sub/f && echo BOTH_WRITABLE'
    expect_out BOTH_WRITABLE "control: /w and /w/sub writable without --remount-ro"
    rm -f "$s/f"
    run_sb "${BASE[@]}" --bind "$s" /w --tmpfs /w/sub --remount-ro /w -- sh -c 'echo x >/w/f && echo W_WRITABLE; echo x >/w/sub/f && echo SUB_WRITABLE; echo DONE'
    expect_out_lacks W_WRITABLE "--bind DIR /w --remount-ro /w: /w is still writable"
    [[ ! -e $s/f ]] || fail "--remount-ro: /w/f reached the host"
    # As bwrap: only the mount at DEST becomes read-only, not those mounted below it.
    expect_out $'SUB_WRITABLE\nDONE' "--tmpfs /w/sub --remount-ro /w: /w/sub (mounted below /w) must stay writable, as in bwrap"
    run_sb "${BASE[@]}" --tmpfs /t --dir /t/x --remount-ro /t -- sh -c 'test -d /t/x && echo SEEN; touch /t/y'
    expect_out SEEN "--remount-ro of a tmpfs keeps content"
    expect_err_has "$EROFS_MSG" "--remount-ro of a tmpfs"
}
add_case "--remount-ro makes the mount at DEST read-only, not those below" t_remount_ro

t_bind_try() {
    local s; s=$(scratch b); echo hi >"$s/f"; own "$s"
    local missing=/nonexistent-sbox-it-$$
    run_sb "${BASE[@]}" --bind-try "$missing" /x --ro-bind-try "$missing" /y --dev-bind-try "$missing" /z -- \
        sh -c 'for p in /x /y /z; do test -e $p && echo "PRESENT $p"; done; echo RAN'
    expect_ok "-try options with a missing source"
    expect_out RAN "-try options with a missing source are skipped (destination not created)"
    # Control: with an existing source, they bind (rw and ro respectively).
    run_sb "${BASE[@]}" --bind-try "$s" /x --ro-bind-try "$s" /y -- \
        sh -c 'cat /x/f /y/f; echo w >/x/new && echo X_WRITABLE; echo w >/y/new2 || echo Y_READONLY'
    expect_out $'hi\nhi\nX_WRITABLE\nY_READONLY' "-try options with an existing source"
    [[ -e $s/new && ! -e $s/new2 ]] || fail "--bind-try/--ro-bind-try: host side wrong"
}
add_case "--bind-try/--ro-bind-try/--dev-bind-try skip a missing source" t_bind_try

t_dev_bind() {
    run_sb "${BASE[@]}" --bind /dev/null /x --ro-bind /dev/null /z --dev-bind /dev/null /y -- \
        sh -c 'echo b >/y && echo Y_OK; echo a >/x || echo X_DENIED; cat /z || echo Z_DENIED'
    expect_out $'Y_OK\nX_DENIED\nZ_DENIED' "device node through --dev-bind usable, through --bind/--ro-bind not"
    expect_err_has "Permission denied" "device access through --bind"
}
add_case "--dev-bind gives device access, --bind and --ro-bind do not" t_dev_bind

t_dev() {
    run_sh -- 'for n in null zero full random urandom tty pts shm; do test -e /dev/$n || echo "MISSING $n"; done
        echo x >/dev/null && echo NULL_WRITABLE
        head -c 16 /dev/urandom | wc -c
        head -c 4 /dev/zero | od -An -tx1 | tr -d " "
        test -c /dev/null && test -c /dev/tty && test -d /dev/pts && echo TYPES_OK
        head -c 1 /dev/zero >/dev/full || echo FULL_REFUSED'
    expect_out $'NULL_WRITABLE\n16\n00000000\nTYPES_OK\nFULL_REFUSED' "--dev contents"
    expect_err_has "No space left on device" "/dev/full write"
    local hostdev
    hostdev=$(ls /dev | grep -E '^(vda|sda|nvme0n1|kmsg|mem|loop0)$' | head -1)
    if [[ -n $hostdev ]]; then
        run_sh -- "test -e /dev/$hostdev && echo VISIBLE; echo DONE"
        expect_out DONE "host device /dev/$hostdev must not be in --dev"
    fi
}
add_case "--dev provides null/zero/full/urandom/tty/pts and nothing else of the host" t_dev

t_mqueue() {
    run_sh -- 'test -e /dev/mqueue && echo EXISTS; echo DONE'
    expect_out DONE "control: no /dev/mqueue without --mqueue"
    run_sh --mqueue /dev/mqueue -- 'grep " /dev/mqueue " /proc/self/mountinfo | sed "s/.* - //" | cut -d" " -f1; touch /dev/mqueue/sbox-it && head -c 6 /dev/mqueue/sbox-it; echo'
    expect_ok "--mqueue"
    expect_out $'mqueue\nQSIZE:' "--mqueue mounts a working mqueue filesystem"
}
add_case "--mqueue mounts an mqueue filesystem" t_mqueue

# ------------------------------------------------------------- namespaces

ns_inode() { readlink "/proc/self/ns/$1"; }

t_namespaces() {
    local ns script='' host=()
    for ns in user mnt pid ipc uts net cgroup; do script+="readlink /proc/self/ns/$ns; "; done
    run_sh -- "$script"
    expect_ok "reading namespaces"
    local -a inside; mapfile -t inside <<<"$OUT"
    local i=0
    for ns in user mnt pid ipc uts net cgroup; do
        [[ ${inside[$i]:-} == "$ns:["* ]] || fail "could not read /proc/self/ns/$ns inside: $(oneline "$OUT")"
        [[ ${inside[$i]} != "$(ns_inode $ns)" ]] || fail "$ns namespace is the host's by default"
        i=$((i + 1))
    done
    for ns in pid ipc uts net cgroup; do
        run_sh --share-$ns -- "readlink /proc/self/ns/$ns"
        expect_out "$(ns_inode $ns)" "--share-$ns keeps the host's $ns namespace"
    done
}
add_case "all namespaces new by default; --share-* keeps the host's" t_namespaces

t_pid_isolation() {
    # ps is the only child of the shell while it runs.
    run_sh -- 'echo $$; ps -e -o pid=,comm= >/tmp/ps; tr -s " " </tmp/ps | sed "s/^ //" | tr "\n" ","'
    local -a l; mapfile -t l <<<"$OUT"
    [[ ${l[0]} == 2 ]] || fail "program is PID ${l[0]}, expected 2"
    [[ ${l[1]:-} =~ ^"1 "[^,]+",2 sh,"[0-9]+" ps,"$ ]] || fail "ps inside shows '${l[1]:-}' (expected only: 1 init, 2 sh, N ps)"
    run_sh --as-pid-1 -- 'echo $$; ps -e -o pid=,comm= >/tmp/ps; tr -s " " </tmp/ps | sed "s/^ //" | tr "\n" ","'
    mapfile -t l <<<"$OUT"
    [[ ${l[0]} == 1 ]] || fail "--as-pid-1: program is PID ${l[0]}, expected 1"
    [[ ${l[1]:-} =~ ^"1 sh,"[0-9]+" ps,"$ ]] || fail "--as-pid-1: ps inside shows '${l[1]:-}' (expected only: 1 sh, N ps)"
    local hostn; hostn=$(ls -d /proc/[0-9]* | wc -l)
    run_sh --share-pid -- 'echo $$; ps -e -o pid= | wc -l; cat /proc/1/comm'
    mapfile -t l <<<"$OUT"
    [[ ${l[0]} =~ ^[0-9]+$ && ${l[0]} -gt 2 ]] || fail "--share-pid: program PID ${l[0]:-?} (expected a host PID > 2)"
    [[ ${l[1]} -gt 5 && ${l[2]} == "$(</proc/1/comm)" ]] || fail "--share-pid: host processes not visible (${l[1]} processes, pid 1 is '${l[2]:-}'; host has $hostn)"
}
add_case "PID namespace: program is PID 2 (1 with --as-pid-1), host processes hidden unless --share-pid" t_pid_isolation

t_uts() {
    local h; h=$(hostname)
    run_sh --hostname sbox-it-host -- 'hostname; cat /proc/sys/kernel/hostname'
    expect_out $'sbox-it-host\nsbox-it-host' "--hostname"
    [[ $(hostname) == "$h" ]] || fail "the host's name changed to $(hostname)"
    run_sh --share-uts -- 'hostname'
    expect_out "$h" "--share-uts keeps the host's name"
}
add_case "UTS namespace: --hostname sets the name inside only" t_uts

t_ipc() {
    command -v ipcmk >/dev/null || skip "ipcmk not installed"
    local out id
    out=$(ipcmk -M 4096 2>&1) || skip "ipcmk failed: $out"
    id=${out##* }; track_shm "$id"
    grep -Eq "^ *-?[0-9]+ +$id " /proc/sysvipc/shm || fail "host: segment $id not listed in /proc/sysvipc/shm"
    local ids
    run_sb "${BASE[@]}" -- cat /proc/sysvipc/shm
    expect_ok "reading /proc/sysvipc/shm"
    [[ $OUT == *shmid* ]] || fail "no header in /proc/sysvipc/shm: $(oneline "$OUT")"
    ids=$(tail -n +2 <<<"$OUT" | tr -s ' ' | sed 's/^ //' | cut -d' ' -f2 | tr '\n' ' ')
    [[ -z ${ids// /} ]] || fail "new IPC namespace lists SysV segments: $ids"
    run_sb "${BASE[@]}" --share-ipc -- cat /proc/sysvipc/shm
    ids=$(tail -n +2 <<<"$OUT" | tr -s ' ' | sed 's/^ //' | cut -d' ' -f2 | tr '\n' ' ')
    [[ " $ids" == *" $id "* ]] || fail "--share-ipc: host segment $id not visible (ids: $ids)"
}
add_case "IPC namespace: host SysV segments invisible unless --share-ipc" t_ipc

NET_PY='
import socket, errno
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
c = socket.create_connection(srv.getsockname(), timeout=5)
a, _ = srv.accept(); c.sendall(b"ping"); print("LOOPBACK", a.recv(4).decode())
print("IFACES", " ".join(sorted(n for _, n in socket.if_nameindex())))
s = socket.socket(); s.settimeout(5)
try:
    s.connect(("192.0.2.1", 9)); print("OUTSIDE connected")
except OSError as e:
    print("OUTSIDE", errno.errorcode.get(e.errno, e.errno))
'
t_net() {
    run_sh -- "python3 -c '$NET_PY'; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"
    expect_ok "network probe"
    expect_out $'LOOPBACK ping\nIFACES lo\nOUTSIDE ENETUNREACH\nlo' "new network namespace: only lo, up, no route out"
    local hostif; hostif=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | grep -vx lo | sort | head -1)
    [[ -n $hostif ]] || skip "the host has no interface besides lo to compare with --share-net"
    run_sh --share-net -- "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"
    expect_out_has "$hostif" "--share-net shows the host's interfaces"
}
add_case "network namespace: only loopback, and it is up; --share-net shows host interfaces" t_net

# ------------------------------------------------------------- privileges

CAPS_SCRIPT='grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):" /proc/self/status | tr -s "\t " " " | tr "\n" ","'
ZERO_CAPS='CapInh: 0000000000000000,CapPrm: 0000000000000000,CapEff: 0000000000000000,CapBnd: 0000000000000000,CapAmb: 0000000000000000,NoNewPrivs: 1,'

t_caps_zero() {
    run_sh -- "$CAPS_SCRIPT"
    expect_out "$ZERO_CAPS" "capabilities/no_new_privs of the program"
    run_sh --uid 0 -- "$CAPS_SCRIPT"
    expect_out "$ZERO_CAPS" "--uid 0: capabilities/no_new_privs of the program"
}
add_case "no capabilities and no_new_privs by default (also as uid 0 inside)" t_caps_zero

capfield() { grep "^$1:" <<<"$OUT" | awk '{print $2}'; }

t_cap_add_bits() {
    local cmd='grep -E "^Cap(Prm|Eff|Bnd|Amb):" /proc/self/status'
    run_sh --uid 0 --cap-add CAP_NET_RAW -- "$cmd"
    expect_ok "--uid 0 --cap-add CAP_NET_RAW"
    [[ $(capfield CapEff) == 0000000000002000 && $(capfield CapBnd) == 0000000000002000 && $(capfield CapPrm) == 0000000000002000 ]] \
        || fail "--uid 0 --cap-add CAP_NET_RAW: expected only bit 13 in Prm/Eff/Bnd: $(oneline "$OUT")"
    run_sh --uid 1000 --cap-add CAP_NET_RAW -- "$cmd"
    [[ $(capfield CapEff) == 0000000000002000 && $(capfield CapAmb) == 0000000000002000 && $(capfield CapBnd) == 0000000000002000 ]] \
        || fail "--uid 1000 --cap-add CAP_NET_RAW: expected only bit 13 in Eff/Amb/Bnd: $(oneline "$OUT")"
    run_sh --cap-add ALL --cap-drop CAP_NET_RAW -- "$cmd"
    local eff; eff=$(capfield CapEff)
    [[ -n $eff ]] && (( (16#$eff & 0x2000) == 0 && (16#$eff & 0x200000) != 0 )) \
        || fail "--cap-add ALL --cap-drop CAP_NET_RAW: CapEff $eff should have CAP_SYS_ADMIN but not CAP_NET_RAW"
}
add_case "--cap-add CAP_NET_RAW sets only that bit (root and non-root inside); --cap-drop" t_cap_add_bits

RAW_PY='
import socket, errno
try:
    socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); print("RAW ok")
except OSError as e:
    print("RAW", errno.errorcode.get(e.errno, e.errno))
'
t_cap_add_effective() {
    run_sh --uid 0 -- "python3 -c '$RAW_PY'"
    expect_out "RAW EPERM" "control: raw socket without --cap-add"
    run_sh --uid 0 --cap-add CAP_NET_RAW -- "python3 -c '$RAW_PY'"
    expect_out "RAW ok" "--uid 0 --cap-add CAP_NET_RAW: raw socket in the sandbox's network namespace"
    run_sh --uid 1000 --cap-add CAP_NET_RAW -- "python3 -c '$RAW_PY'"
    expect_out "RAW ok" "--uid 1000 --cap-add CAP_NET_RAW: raw socket in the sandbox's network namespace"
}
add_case "--cap-add CAP_NET_RAW actually permits a raw socket in the sandbox's network" t_cap_add_effective

t_cap_add_hostname() {
    local h; h=$(hostname)
    run_sh --uid 0 -- 'hostname sbox-it-set; hostname'
    expect_out "$h" "control: without --cap-add the name cannot be changed"
    run_sh --uid 0 --cap-add CAP_SYS_ADMIN -- 'hostname sbox-it-set; hostname'
    [[ $(hostname) == "$h" ]] || fail "the host's name changed to $(hostname)"
    expect_out sbox-it-set "--uid 0 --cap-add CAP_SYS_ADMIN: sethostname in the sandbox's own UTS namespace"
}
add_case "--cap-add CAP_SYS_ADMIN permits changing the sandbox's own host name" t_cap_add_hostname

# ------------------------------------------------------------- exit statuses

t_exit_status() {
    run_sb "${BASE[@]}" -- true;                expect_rc 0 "true"
    run_sb "${BASE[@]}" -- sh -c 'exit 42';     expect_rc 42 "exit 42"
    run_sb "${BASE[@]}" -- sh -c 'kill -9 $$';  expect_rc 137 "program killed by SIGKILL"
    run_sb "${BASE[@]}" -- sh -c 'kill -TERM $$';  expect_rc 143 "program killed by SIGTERM"
    run_sb "${BASE[@]}" -- sh -c 'kill -SEGV $$';  expect_rc 139 "program killed by SIGSEGV"
    run_sb "${BASE[@]}" --as-pid-1 -- sh -c 'exit 42'; expect_rc 42 "--as-pid-1 exit 42"
    run_sb "${BASE[@]}" -- sbox-it-no-such-command; expect_rc 127 "command not found"
    expect_err_has sbox-it-no-such-command "command-not-found message names the command"
    [[ $ERR == "sbox: "* ]] || fail "command-not-found message does not start with 'sbox: ': $(oneline "$ERR")"
    run_sb "${BASE[@]}" -- /usr/sbox-it/no/such/path; expect_rc 127 "absolute path not found"
    local s; s=$(scratch x); printf '#!/bin/sh\necho RAN\n' >"$s/script"; chmod 644 "$s/script"; own "$s"
    run_sb "${BASE[@]}" --ro-bind "$s/script" /notexec -- /notexec; expect_rc 126 "non-executable file"
    expect_out "" "non-executable file did not run"
    run_sb "${BASE[@]}" -- /usr; expect_rc 126 "a directory as command"
    run_sb "${BASE[@]}" -- --bind /usr /x; expect_rc 127 "after --, an option-like word is the command"
    chmod 755 "$s/script"
    run_sb "${BASE[@]}" --ro-bind "$s/script" /isexec -- /isexec; expect_rc 0 "control: same file executable"
    expect_out RAN "control: same file executable"
    run_sb --bnd /a /b true; expect_rc 125 "bad option"
}
add_case "exit statuses 0, 42, 128+N, 127, 126, 125" t_exit_status

# ------------------------------------------------------------- signals

t_sigterm_trap() {
    local s; s=$(scratch w); own "$s"
    sb_bg "${BASE[@]}" --bind "$s" /w -- sh -c 'trap "exit 3" TERM; touch /w/ready; while :; do sleep 1 & wait $!; done'
    wait_file "$s/ready" || fail "program never became ready: $(oneline "$(cat "$CT/bg.err")")"
    kill -TERM "$BG_PID"
    bg_wait
    expect_rc 3 "SIGTERM to sbox, program traps TERM and exits 3"
    sb_bg "${BASE[@]}" --bind "$s" /w -- sh -c 'rm -f /w/ready; touch /w/ready2; exec sleep 1000'
    wait_file "$s/ready2" || fail "program 2 never became ready"
    kill -TERM "$BG_PID"
    bg_wait
    expect_rc 143 "SIGTERM to sbox, program without a trap"
}
add_case "SIGTERM to sbox reaches the program (trap → its status, no trap → 143)" t_sigterm_trap

t_signals_forwarded() {
    ((HAVE_CC)) || skip "no C compiler for the sigcatch helper"
    local s; s=$(scratch w); own "$s"
    local sig bad=() opts
    for opts in "" "--as-pid-1"; do
        for sig in INT TERM HUP QUIT USR1 USR2 WINCH CONT ALRM; do
            rm -f "$s/ready" "$s/got"
            # shellcheck disable=SC2086
            sb_bg "${BASE[@]}" $opts --ro-bind "$WORK/bin" /h --bind "$s" /w -- /h/sigcatch /w/ready /w/got "$sig"
            if ! wait_file "$s/ready"; then bad+=("$sig${opts:+($opts)}:not-ready"); kill -KILL "$BG_PID"; bg_wait; continue; fi
            kill -"$sig" "$BG_PID"
            bg_wait
            if [[ $RC -ne 3 || $(cat "$s/got" 2>/dev/null) != "$sig" ]]; then
                bad+=("$sig${opts:+($opts)}:rc=$RC,got=$(cat "$s/got" 2>/dev/null)")
                # Stop a program that is still waiting.
                kill -KILL "$BG_PID" 2>/dev/null
            fi
        done
    done
    ((${#bad[@]} == 0)) || fail "not forwarded: ${bad[*]}"
}
add_case "INT TERM HUP QUIT USR1 USR2 WINCH CONT ALRM are forwarded (also with --as-pid-1)" t_signals_forwarded

t_sigkill_kills_program() {
    local s; s=$(scratch w); own "$s"
    local token=$((90000 + RANDOM)) opts
    for opts in "" "--as-pid-1"; do
        rm -f "$s/ready"
        # shellcheck disable=SC2086
        sb_bg "${BASE[@]}" $opts --bind "$s" /w -- sh -c "touch /w/ready; exec sleep $token"
        wait_file "$s/ready" || fail "program never became ready"
        local prog="" i
        for ((i = 0; i < 100; i++)); do prog=$(find_desc "$BG_PID" "sleep $token") && break; sleep 0.05; done
        [[ -n $prog ]] || fail "could not find the program (sleep $token) below sbox pid $BG_PID"
        kill -KILL "$BG_PID"
        bg_wait
        expect_rc 137 "sbox killed by SIGKILL"
        for ((i = 0; i < 200; i++)); do gone "$prog" && break; sleep 0.05; done
        gone "$prog" || { kill -KILL "$prog"; fail "${opts:-default}: program (host pid $prog) still alive 10 s after sbox was SIGKILLed"; }
    done
}
add_case "SIGKILL on sbox kills the program (also with --as-pid-1)" t_sigkill_kills_program

t_new_session() {
    local s; s=$(scratch w); own "$s"
    local token=$((80000 + RANDOM)) i prog=""
    sb_bg "${BASE[@]}" --bind "$s" /w -- sh -c "touch /w/ready; exec sleep $token"
    wait_file "$s/ready" || fail "program never became ready"
    for ((i = 0; i < 100; i++)); do prog=$(find_desc "$BG_PID" "sleep $token") && break; sleep 0.05; done
    [[ -n $prog ]] || fail "could not find the program below sbox"
    local psid ssid; psid=$(proc_sid "$prog"); ssid=$(proc_sid "$BG_PID")
    kill -KILL "$BG_PID"; bg_wait
    [[ -n $psid && $psid != "$ssid" ]] || fail "program session $psid equals sbox's session $ssid"
    # With the host's PID namespace too: a session of the sandbox's (sbox's init's), with no terminal.
    run_sh --share-pid -- 'set -- $(sed "s/.*) //" /proc/$$/stat); echo "$4 $5"; cat /proc/$4/comm'
    local -a f; read -ra f <<<"$OUT"
    [[ -n ${f[0]:-} && ${f[0]} != "$(proc_sid $$)" && ${f[1]:-x} == 0 && ${OUT##*$'\n'} == sbox ]] \
        || fail "--share-pid: the program's session (sid ${f[0]:-?}, terminal ${f[1]:-?}) is not a new one of sbox's: $(oneline "$OUT")"
}
add_case "the program runs in a new session" t_new_session

# ------------------------------------------------------------- fds

t_no_fd_leak() {
    ((HAVE_CC)) || skip "no C compiler for the fdlist helper"
    local s; s=$(scratch f); echo data >"$s/file"; own "$s"
    exec 5<"$s/file" 7<>"$s/file" 100<"$s/file" 9< <(sleep 0)
    # Control: without sbox, the program inherits them.
    local host; host=$("$WORK/bin/fdlist")
    local fd
    for fd in 5 7 9 100; do
        [[ " $host " == *" $fd "* ]] || fail "control: fd $fd not inherited without sbox: $host"
    done
    local opts
    for opts in "" "--as-pid-1"; do
        # shellcheck disable=SC2086
        run_sb "${BASE[@]}" $opts --ro-bind "$WORK/bin" /h -- /h/fdlist
        expect_out "0 1 2" "${opts:-default}: fds open in the program (the caller had $host)"
    done
    exec 5<&- 7<&- 100<&- 9<&-
}
add_case "no inherited file descriptor except 0, 1, 2 reaches the program" t_no_fd_leak

# ------------------------------------------------------------- environment

t_env() {
    export SBOX_IT_VAR=from-caller SBOX_IT_GONE=bye
    run_sb "${BASE[@]}" --setenv SBOX_IT_NEW 'a b=c' --unsetenv SBOX_IT_GONE -- sh -c 'echo "$SBOX_IT_VAR|$SBOX_IT_NEW|${SBOX_IT_GONE-unset}"'
    expect_out "from-caller|a b=c|unset" "--setenv/--unsetenv (caller's environment otherwise kept)"
    run_sb "${BASE[@]}" --clearenv --setenv ONLY one -- /usr/bin/env
    local rest; rest=$(grep -v -e '^ONLY=one$' -e '^PWD=' <<<"$OUT")
    expect_out_has "ONLY=one" "--clearenv --setenv"
    [[ -z $rest ]] || fail "--clearenv left variables: $(oneline "$rest")"
}
add_case "--setenv, --unsetenv, --clearenv" t_env

t_argv0() {
    run_sb "${BASE[@]}" --argv0 sbox-it-argv0 -- sh -c 'tr "\0" " " </proc/$$/cmdline'
    expect_out "sbox-it-argv0 -c tr \"\\0\" \" \" </proc/\$\$/cmdline " "--argv0"
    run_sb "${BASE[@]}" -- sh -c 'tr "\0" " " </proc/$$/cmdline'
    [[ $OUT == "sh -c "* ]] || fail "control: argv[0] without --argv0 is '${OUT%% *}', expected sh"
}
add_case "--argv0" t_argv0

t_chdir_pwd() {
    run_sb "${BASE[@]}" --chdir /usr/share -- sh -c 'pwd; echo "$PWD"'
    expect_out $'/usr/share\n/usr/share' "--chdir /usr/share: cwd and PWD"
    # Default: the caller's cwd when it exists inside.
    local s; s=$(scratch cwd); own "$s"
    ( cd "$s" && PWD=/somewhere-else run_sb "${BASE[@]}" --bind "$s" "$s" -- sh -c 'pwd; echo "$PWD"'
      expect_out "$s"$'\n'"$s" "default working directory is the caller's cwd ($s), PWD set" ) || exit 1
    ( cd "$s" && run_sb "${BASE[@]}" -- sh -c 'pwd; echo "$PWD"; test "$(pwd)" = "$PWD" && echo SAME'
      expect_ok "caller's cwd absent inside"
      [[ $OUT == *SAME ]] || fail "caller's cwd absent inside: PWD does not match the cwd: $(oneline "$OUT")" ) || exit 1
}
add_case "--chdir, default working directory and PWD" t_chdir_pwd

t_uid_gid() {
    run_sb "${BASE[@]}" -- sh -c 'id -u; id -g'
    expect_out "$MUID"$'\n'"$MGID" "default ids are the caller's"
    local s; s=$(scratch u); own "$s"
    run_sb "${BASE[@]}" --uid 1234 --gid 4321 --bind "$s" /w -- sh -c 'id -u; id -g; touch /w/f; stat -c "%u %g" /w/f'
    expect_out $'1234\n4321\n1234 4321' "--uid 1234 --gid 4321"
    run_sb "${BASE[@]}" --uid 1234 --gid 4321 -- sh -c 'cat /proc/self/uid_map /proc/self/gid_map | tr -s " " | sed "s/^ //" | cut -d" " -f1,3'
    expect_out $'1234 1\n4321 1' "only the one uid and gid are mapped"
    [[ $(stat -c '%u %g' "$s/f") == "$MUID $MGID" ]] || fail "file created by --uid 1234 is owned by $(stat -c '%u %g' "$s/f") on the host, expected $MUID $MGID"
}
add_case "--uid/--gid, mapped to the caller's ids" t_uid_gid

# ------------------------------------------------------------- errors

# bad_option EXPECT_SUBSTRINGS(|-separated) ARGS...
t_bad_option() {
    local want=$1; shift
    run_sb "$@"
    expect_rc 125 "sbox $*"
    [[ $ERR == "sbox: "* ]] || fail "stderr does not start with 'sbox: ': $(oneline "$ERR")"
    local w
    IFS='|' read -ra ws <<<"$want"
    for w in "${ws[@]}"; do expect_err_has "$w" "error message"; done
    if grep -Eqi 'fatal error|stack ?trace|backtrace|segmentation|illegal instruction|0x[0-9a-f]{8}|\.swift:' <<<"$ERR"; then
        fail "stderr looks like a crash: $(oneline "$ERR")"
    fi
    [[ $(wc -l <<<"$ERR") -le 3 ]] || fail "error message is $(wc -l <<<"$ERR") lines: $(oneline "$ERR")"
    [[ -z $OUT ]] || fail "stdout not empty: $(oneline "$OUT")"
}
add_case "bad option: unknown option, with suggestion" t_bad_option "unknown option --bnd|did you mean --bind" --bnd /a /b true
add_case "bad option: missing bind source" t_bad_option "--ro-bind|/nonexistent-sbox-it|No such file or directory" --ro-bind /nonexistent-sbox-it /x true
add_case "bad option: missing argument" t_bad_option "--bind needs 2 arguments" --bind /a
add_case "bad option: missing argument at the end of --setenv" t_bad_option "--setenv" --setenv FOO
add_case "bad option: bad octal mode" t_bad_option "--chmod|999" --chmod 999 /x true
add_case "bad option: --perms out of range" t_bad_option "--perms|0800" --perms 0800 --dir /x true
add_case "bad option: no command" t_bad_option "no command given" --ro-bind /usr /usr
add_case "bad option: no arguments at all" t_bad_option "no command given"
add_case "bad option: non-numeric uid" t_bad_option "--uid|abc" --uid abc true
add_case "bad option: negative gid" t_bad_option "--gid|-1" --gid -1 true
add_case "bad option: unknown capability" t_bad_option "--cap-add|CAP_FOO|unknown capability" --cap-add CAP_FOO true
add_case "bad option: capability typo suggests" t_bad_option "--cap-add|CAP_NET_RWA|did you mean CAP_NET_RAW" --cap-add CAP_NET_RWA true
add_case "bad option: --perms not followed by --dir/--tmpfs" t_bad_option "--perms must be followed by --dir, --tmpfs, --file" --perms 0700 --bind /usr /u true
add_case "bad option: --size not followed by --tmpfs" t_bad_option "--size" --size 1M --dir /x true
add_case "bad option: bad size" t_bad_option "--size|abc" --size abc --tmpfs /x true
add_case "bad option: --hostname with --share-uts" t_bad_option "--hostname|--share-uts" --hostname x --share-uts true
add_case "bad option: --as-pid-1 with --share-pid" t_bad_option "--as-pid-1|--share-pid" --as-pid-1 --share-pid true
add_case "bad option: relative destination" t_bad_option "--bind|usr|absolute" --bind /usr usr true
add_case "bad option: failing step names the option and path" t_bad_option "--chmod|/sbox-it-nonexistent" --ro-bind /usr /usr --chmod 0700 /sbox-it-nonexistent true
add_case "bad option: --chdir to a missing directory" t_bad_option "--chdir|/sbox-it-nonexistent" "${BASE[@]}" --chdir /sbox-it-nonexistent true

t_stdio() {
    local in; in=$(scratch in)/stdin; printf 'line1\nline2\n' >"$in"
    RUN_STDIN=$in run_sb "${BASE[@]}" -- sh -c 'cat; echo to-stderr >&2; echo to-stdout'
    expect_ok "stdio"
    expect_out $'line1\nline2\nto-stdout' "stdin reaches the program, stdout comes back"
    [[ $ERR == to-stderr ]] || fail "stderr of the program: '$(oneline "$ERR")', expected 'to-stderr'"
}
add_case "stdin, stdout and stderr pass through" t_stdio

t_order_and_parents() {
    # Later options act on the result of earlier ones.
    run_sb "${BASE[@]}" --tmpfs /t --dir /t/x --symlink x /t/link -- sh -c 'test -d /t/x && echo X; readlink /t/link'
    expect_out $'X\nx' "--tmpfs /t then --dir /t/x, --symlink"
    run_sb "${BASE[@]}" --dir /t/x --tmpfs /t -- sh -c 'test -e /t/x && echo X_VISIBLE; echo DONE'
    expect_out DONE "--dir /t/x then --tmpfs /t: the later tmpfs hides x"
    # Missing parents of a destination are created.
    run_sb "${BASE[@]}" --ro-bind /usr/share /a/b/c -- sh -c 'test -d /a/b/c/doc && echo OK'
    expect_out OK "--ro-bind to /a/b/c creates the parents"
}
add_case "options apply in order; missing destination parents are created" t_order_and_parents

t_compat_flags() {
    run_sb run "${BASE[@]}" -- sh -c 'echo RUN'
    expect_out RUN "'sbox run OPTIONS -- COMMAND'"
    run_sb "${BASE[@]}" --unshare-all --unshare-user --unshare-user-try --unshare-ipc --unshare-pid \
        --unshare-net --unshare-uts --unshare-cgroup --unshare-cgroup-try --new-session --die-with-parent \
        -- sh -c 'echo $$'
    expect_out 2 "bwrap-compatible flags accepted"
}
add_case "'run' subcommand and bwrap-compatible no-op flags" t_compat_flags

t_help_version() {
    run_sb --help
    expect_ok "--help"
    expect_out_has "Usage: sbox" "--help"
    expect_out_has "--ro-bind" "--help"
    run_sb --version
    expect_ok "--version"
    [[ $OUT =~ ^sbox\ [0-9] ]] || fail "--version: '$OUT'"
}
add_case "--help and --version" t_help_version

t_userns_refused() {
    command -v unshare >/dev/null || skip "unshare not installed"
    # In a fresh user namespace, set its user.max_user_namespaces to 0: sbox,
    # started inside, cannot create its (nested) user namespace. The host's
    # sysctl is not touched (the limit is per user namespace).
    local before; before=$(</proc/sys/user/max_user_namespaces)
    timeout 30 "${AS_USER[@]}" unshare -U -r sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$0" --ro-bind /usr /usr true' \
        "$SBOX_BIN" >"$CT/.out" 2>"$CT/.err"
    RC=$?; OUT=$(<"$CT/.out"); ERR=$(<"$CT/.err")
    [[ $(</proc/sys/user/max_user_namespaces) == "$before" ]] || fail "the host's user.max_user_namespaces changed"
    [[ $ERR == *"echo: "* || $ERR == *"Permission denied"* ]] && skip "cannot lower max_user_namespaces in a user namespace: $(oneline "$ERR")"
    expect_rc 125 "sbox without user namespaces"
    [[ $ERR == "sbox: "* ]] || fail "message does not start with 'sbox: ': $(oneline "$ERR")"
    expect_err_has "user namespace" "message mentions user namespaces"
    [[ $ERR == *sysctl* || $ERR == *max_user_namespaces* ]] || fail "message gives no fix: $(oneline "$ERR")"
    [[ $(wc -l <<<"$ERR") -eq 1 ]] || fail "message is not one line: $(oneline "$ERR")"
}
add_case "refused user namespace: one clear message, exit 125" t_userns_refused

t_status_fds_sbox_mode() {
    # In sbox mode the program's own namespaces are reported (the mount lock creates some of them
    # after the first process): the JSON must name the namespaces the program sees.
    ( exec 5>"$CT/info" 6>"$CT/status"
      run_sh --info-fd 5 --json-status-fd 6 -- 'for n in cgroup ipc mnt net pid uts; do readlink /proc/self/ns/$n; done; exit 3'
      printf '%s\n' "$RC" >"$CT/rc"; printf '%s\n' "$OUT" >"$CT/ns" )
    [[ $(<"$CT/rc") == 3 ]] || fail "the program's exit status: $(<"$CT/rc")"
    python3 - "$CT/info" "$CT/status" "$CT/ns" <<'PY' || fail "--info-fd/--json-status-fd: $(cat "$CT/info" "$CT/status")"
import json, sys
info = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
seen = {}
for line in open(sys.argv[3]):
    kind, ino = line.strip().rstrip("]").split(":[")
    seen[kind + "-namespace"] = int(ino)
assert info["child-pid"] > 0 and {k: info[k] for k in seen} == seen, (info, seen)
assert lines[0] == info and lines[-1] == {"exit-code": 3}, lines
PY
}
add_case "--info-fd and --json-status-fd in sbox mode report the program's namespaces" t_status_fds_sbox_mode

t_root_covered_through_a_symlink() {
    # A destination that resolves to the root (here through a symlink) covers it: later steps must go
    # on top of the new root, not under it where nothing sees them.
    local d; d=$(scratch covered); echo host-file >"$d/marker"; own "$d"
    run_sb --profile none --symlink / /r --ro-bind / /r --tmpfs "$d" -- ls -A "$d"
    expect_ok "a bind on the root through a symlink"
    expect_out "" "the later --tmpfs covers the host's directory (no marker visible)"
    run_sb --profile none --ro-bind / / -- cat "$d/marker"
    expect_out "host-file" "control: the marker is visible through a bind of the root"
}
add_case "a bind that reaches the root through a symlink still gets the later steps on top" t_root_covered_through_a_symlink

t_timeout_ends_the_whole_sandbox() {
    # A background process and the program: --timeout ends both, and sbox exits 124.
    local d; d=$(scratch timeout); own "$d"
    # Not run_sb, which takes 124 for its own timeout: here the harness's timeout preserves the status.
    timeout --preserve-status "${SB_CMD[@]:1}" "${BASE[@]}" --bind "$d" /w --timeout 0.5 -- sh -c 'sleep 30 & echo $! >/w/bg; sleep 30' \
        </dev/null >"$CT/.out" 2>"$CT/.err"
    RC=$?; ERR=$(<"$CT/.err")
    expect_rc 124 "--timeout: timeout(1)'s status"
    expect_err_has "sbox: --timeout: the sandbox ran for 500 ms and was ended" "says so"
    [[ -s $d/bg ]] || fail "setup: the background process did not start"
    # The sandbox's processes are gone: the leak check at the end also looks for them.
    run_sh --timeout 5 -- 'exit 7'
    expect_rc 7 "a program that ends in time keeps its own status"
}
add_case "--timeout ends every process in the sandbox and exits 124" t_timeout_ends_the_whole_sandbox

t_timeout_while_sbox_waits_for_the_program_report() {
    # The first process waits for id maps the caller never writes (--userns-block-fd), so sbox waits
    # for the program's pid it reports on --info-fd: --timeout still ends the sandbox, at its deadline.
    mkfifo "$CT/never"
    local started=$SECONDS
    timeout --preserve-status "${SB_CMD[@]:1}" "${BASE[@]}" --userns-block-fd 4 --info-fd 3 --timeout 0.5 -- true \
        3>"$CT/.info" 4<>"$CT/never" </dev/null >"$CT/.out" 2>"$CT/.err"
    RC=$?; ERR=$(<"$CT/.err")
    expect_rc 124 "--timeout: timeout(1)'s status"
    expect_err_has "sbox: --timeout: the sandbox ran for 500 ms and was ended" "says so"
    (( SECONDS - started < 10 )) || fail "it ended after $((SECONDS - started)) s, not at the 0.5 s deadline"
}
add_case "--timeout holds while sbox waits for the program's --info-fd report" t_timeout_while_sbox_waits_for_the_program_report

t_resource_limits() {
    run_sb "${BASE[@]}" --rlimit-nofile 10 --rlimit-nproc 50 --rlimit-as 1G --rlimit-cpu 2 --rlimit-fsize 1M --rlimit-core 0 \
        -- sh -c 'grep -E "^Max (open files|processes|address space|cpu time|file size|core file size) " /proc/self/limits | tr -s " " | sed "s/ $//"'
    expect_out $'Max cpu time 2 3 seconds\nMax file size 1048576 1048576 bytes\nMax core file size 0 0 bytes\nMax processes 50 50 processes\nMax open files 10 10 files\nMax address space 1073741824 1073741824 bytes' \
        "every --rlimit-* reaches the program (CPU time: hard a second above soft)"
    run_sh --tmpfs /w --rlimit-fsize 1K -- 'head -c 5000 /dev/zero >/w/x'
    expect_rc 153 "--rlimit-fsize: the writer gets SIGXFSZ"
    expect_err_has "wrote a file beyond its size limit (--rlimit-fsize 1K)" "sbox says which limit"
    run_sh --rlimit-cpu 1 -- 'while :; do :; done'
    expect_rc 152 "--rlimit-cpu: SIGXCPU"
    expect_err_has "used up its CPU time (--rlimit-cpu 1)" "sbox says which limit"
}
add_case "--rlimit-* limits reach the program; SIGXFSZ and SIGXCPU are explained" t_resource_limits

t_verbose() {
    run_sh --verbose -- 'echo ran'
    expect_ok "--verbose runs the program"
    expect_out "ran" "nothing added to the program's output"
    expect_err_has "sbox: profile none; new namespaces: user, mount, pid, ipc, uts, net, cgroup; network: loopback only" "the summary"
    expect_err_has "sbox: the sandbox was ready in " "the setup time"
    run_sh -- 'echo ran'
    [[ -z $ERR ]] || fail "without --verbose sbox says nothing: $ERR"
}
add_case "--verbose: a summary of the sandbox and its setup time, on stderr" t_verbose

t_shell_completion() {
    # bash: complete as the shell would, from the generated script.
    local script=$CT/sbox.bash
    "$SBOX_BIN" completion bash >"$script" || fail "sbox completion bash"
    local got
    got=$(bash -c 'source "$1"; COMP_WORDS=(sbox --ro-b); COMP_CWORD=1; _sbox; echo "${COMPREPLY[*]}"' _ "$script")
    [[ $got == "--ro-bind --ro-bind-try --ro-bind-data --ro-bind-fd" ]] || fail "bash: options: $got"
    got=$(bash -c 'source "$1"; COMP_WORDS=(sbox --cap-add CAP_NET_R); COMP_CWORD=2; _sbox; echo "${COMPREPLY[*]}"' _ "$script")
    [[ $got == CAP_NET_RAW ]] || fail "bash: capability names: $got"
    got=$(bash -c 'source "$1"; COMP_WORDS=(sbox --bind /us /u); COMP_CWORD=3; _sbox; echo "${COMPREPLY[*]}"' _ "$script")
    [[ $got == /usr ]] || fail "bash: the second argument of --bind is a path: $got"
    got=$(bash -c 'source "$1"; COMP_WORDS=(sbox --setenv A); COMP_CWORD=2; _sbox; echo "${COMPREPLY[*]}"' _ "$script")
    [[ -z $got ]] || fail "bash: nothing to complete for a variable's name: $got"
    # zsh and fish: the scripts parse, and fish completes from them.
    if command -v zsh >/dev/null; then
        "$SBOX_BIN" completion zsh >"$CT/_sbox" && zsh -n "$CT/_sbox" || fail "zsh -n refuses the zsh script"
    else
        echo "(zsh not installed: its script not checked)"
    fi
    if command -v fish >/dev/null; then
        "$SBOX_BIN" completion fish >"$CT/sbox.fish" && fish -n "$CT/sbox.fish" || fail "fish -n refuses the fish script"
        got=$(fish -c 'source $argv[1]; complete -C "sbox --seccomp-action k"' "$CT/sbox.fish" | cut -f1)
        [[ $got == kill ]] || fail "fish: seccomp actions: $got"
    else
        echo "(fish not installed: its script not checked)"
    fi
    run_sb completion tcsh
    expect_rc 125 "an unknown shell"
    expect_err_has "usage: sbox completion bash|zsh|fish" "says which"
}
add_case "shell completion for bash, zsh and fish, generated from the option table" t_shell_completion

t_desktop_launchers() {
    local home; home=$(scratch dhome)
    mkdir -p "$home/src"
    printf '%s\n' '[Desktop Entry]' 'Type=Application' 'Name=Viewer' 'Exec=viewer --new %U' 'DBusActivatable=true' 'Actions=private;' '' \
        '[Desktop Action private]' 'Name=Private window' 'Exec=viewer --private %f' >"$home/src/org.example.Viewer.desktop"
    printf '%s\n' '[Desktop Entry]' 'Type=Application' 'Name=Other' 'Exec=other' >"$home/other.desktop"
    own "$home"
    local apps=$home/.local/share/applications
    dsk() { as_user env -u XDG_DATA_HOME -u XDG_CONFIG_HOME HOME="$home" "$SBOX_BIN" desktop "$@" >"$CT/.out" 2>"$CT/.err"; RC=$?; OUT=$(<"$CT/.out"); ERR=$(<"$CT/.err"); }
    dsk install "$home/src/org.example.Viewer.desktop"
    expect_ok "desktop install"
    [[ $(grep '^Exec=' "$apps/org.example.Viewer.desktop") == "Exec=$SBOX_BIN --profile gui --expose-args ro -- viewer --new %U"$'\n'"Exec=$SBOX_BIN --profile gui --expose-args ro -- viewer --private %f" ]] \
        || fail "every Exec= is prefixed, field codes kept: $(grep Exec= "$apps/org.example.Viewer.desktop")"
    grep -qx 'DBusActivatable=false' "$apps/org.example.Viewer.desktop" || fail "D-Bus activation would bypass sbox"
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$apps/org.example.Viewer.desktop" || fail "desktop-file-validate refuses the copy"
    else
        echo "(desktop-file-validate not installed: the copy is not validated)"
    fi
    dsk install "$apps/org.example.Viewer.desktop" --profile strict
    [[ $(grep -c "^Exec=$SBOX_BIN --profile strict --expose-args ro -- viewer" "$apps/org.example.Viewer.desktop") == 2 ]] || fail "installing again replaces the prefix: $(grep Exec= "$apps/org.example.Viewer.desktop")"
    dsk install "$home/src/org.example.Viewer.desktop" --profile nosuch
    expect_rc 125 "an unknown profile"; expect_err_has "no profile named 'nosuch'" "says so"
    cp "$home/other.desktop" "$apps/other.desktop"; own "$home"
    dsk list
    expect_out "$(printf '%-40s%s' org.example.Viewer.desktop strict)" "list shows only sbox's copies"
    dsk remove other
    expect_rc 125 "remove refuses a file sbox did not write"; [[ -e $apps/other.desktop ]] || fail "remove deleted a file that is not sbox's"
    dsk remove org.example.Viewer
    expect_ok "remove"; [[ ! -e $apps/org.example.Viewer.desktop ]] || fail "the copy is still there"
    [[ -e $home/src/org.example.Viewer.desktop ]] || fail "the original was touched"
}
add_case "sbox desktop install, list and remove: launchers whose programs start in sbox" t_desktop_launchers

t_descriptor_options_must_be_open() {
    # A number the caller did not open could alias one of sbox's own pipes: refused before anything runs.
    run_sh --block-fd 9 -- 'echo RAN'
    expect_rc 125 "--block-fd on a closed descriptor"
    expect_err_has "--block-fd 9: descriptor 9 is not open" "names it"
    expect_out "" "the program does not run"
    ( exec 9</dev/null; run_sh --sync-fd 9 -- 'echo RAN'; [[ $OUT == RAN ]] || fail "control: an open --sync-fd: $OUT $ERR" ) || exit 1
}
add_case "descriptor options must name open descriptors" t_descriptor_options_must_be_open

t_proc_machine_wide_files() {
    # As the host's root, the sandbox's uid 0 is global root, which sysctl lets write /proc/sys:
    # sbox covers the machine-wide entries read-only. For anyone else they are out of reach anyway.
    run_sh -- 'for f in sys sysrq-trigger irq bus; do [ -e /proc/$f ] || continue; grep -q " /proc/$f ro," /proc/self/mountinfo && echo "$f=ro" || echo "$f=rw"; done
               [ -w /proc/sys/vm/drop_caches ] && echo WRITABLE || echo NOT_WRITABLE'
    if [[ $MUID == 0 ]]; then
        expect_out_lacks "=rw" "as root: /proc's machine-wide files read-only"
        expect_out_has $'sys=ro' "as root: /proc/sys read-only"
        expect_out_has "NOT_WRITABLE" "as root: drop_caches out of reach"
    else
        expect_out_has "NOT_WRITABLE" "unprivileged: /proc/sys is the host root's"
    fi
}
add_case "/proc's machine-wide files cannot be written from the sandbox" t_proc_machine_wide_files

t_nothing_runs_after_exit() {
    # The program leaves a background process behind. sbox reports the program's status as soon as
    # the init has ended and reaped everything else: when sbox returns, nothing of the sandbox runs.
    # A sleep of its own length is the marker (dash has no `exec -a`).
    local seconds=$((30000 + RANDOM))
    run_sh -- "sleep $seconds & sleep 0.2; kill -0 \$! && echo left-running; exit 3"
    expect_rc 3 "the program's status"
    expect_out "left-running" "the background process ran when the program exited"
    local left; left=$(pgrep -x -f "sleep $seconds" || true)
    [[ -z $left ]] || { kill -KILL $left 2>/dev/null; fail "a process of the sandbox still ran when sbox returned: $left"; }
    # --sync-fd, held by the init, is closed by the time sbox returns: the reader sees its end at once.
    "${SB_CMD[@]:0:${#SB_CMD[@]}-1}" python3 -c '
import os, select, subprocess, sys
r, w = os.pipe()
rc = subprocess.run(sys.argv[1:] + ["--sync-fd", str(w), "--", "true"], pass_fds=(w,)).returncode
os.close(w)
ready, _, _ = select.select([r], [], [], 0)
sys.exit(0 if rc == 0 and ready and os.read(r, 1) == b"" else 1)' "$SBOX_BIN" "${BASE[@]}" \
        || fail "--sync-fd was still open when sbox returned"
}
add_case "when sbox returns, nothing of the sandbox runs and --sync-fd is closed" t_nothing_runs_after_exit

t_bwrap_program_cannot_end_sbox_early() {
    # In bwrap mode (no death with sbox, several ids possible) the init reports nothing early: a
    # program that writes a status into every descriptor of the init cannot make sbox return.
    run_sb bwrap --unshare-pid --ro-bind / / --proc /proc --dev /dev -- sh -c \
        'for f in /proc/1/fd/*; do printf "\052\0\0\0" >"$f"; done 2>/dev/null; sleep 0.3; echo STILL; exit 5'
    expect_rc 5 "sbox returns the program's own status"
    expect_out STILL "the program ran to its end"
}
add_case "bwrap mode: the program cannot make sbox return early" t_bwrap_program_cannot_end_sbox_early

t_joined_userns_setgroups_denied() {
    [[ $EUID -eq 0 && $MODE == root ]] || skip "only root can map a user namespace that allows setgroups"
    command -v unshare >/dev/null || skip "unshare is not installed"
    # A user namespace of the caller's that allows setgroups: the sandbox's nested one denies it.
    unshare -U --setgroups allow sleep 30 &
    local holder=$!
    track_pid "$holder"
    local i
    for ((i = 0; i < 100; i++)); do [[ $(readlink "/proc/$holder/ns/user") != "$HOST_USERNS" ]] && break; sleep 0.02; done
    echo "0 0 1" >"/proc/$holder/uid_map" && echo "0 0 1" >"/proc/$holder/gid_map" || fail "setup: mapping the caller's namespace"
    [[ $(<"/proc/$holder/setgroups") == allow ]] || fail "setup: the caller's namespace does not allow setgroups"
    run_sb "${BASE[@]}" --userns 5 -- cat /proc/self/setgroups 5<"/proc/$holder/ns/user"
    expect_ok "--userns with a namespace that allows setgroups"
    expect_out deny "the program cannot set its groups"
    kill "$holder"
}
add_case "--userns over a namespace that allows setgroups: the sandbox denies it" t_joined_userns_setgroups_denied
