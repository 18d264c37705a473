# bwrap conformance: every case runs the same bwrap command line twice, under the real bwrap (when
# installed) and under sbox invoked as bwrap (a link named bwrap), and holds both to the same
# expectations, so that the expectations are proven right by bwrap itself. Debian 12 ships bwrap
# 0.8; a case for a later behaviour says so and runs against sbox only.

BWRAP_REAL=$(command -v bwrap || true)
# BWRAP_011=/path/to/bwrap-0.11: the cases for 0.11's behaviour run against it too (Debian 12 has 0.8).
BWRAP_011=${BWRAP_011:-}
BWRAP_BASE=(--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --proc /proc --dev /dev)

# bwrap_run IMPL ARGS...: run one implementation (real|sbox) as the mode's user; RC, OUT, ERR.
# $FDS holds redirections (e.g. '5<file 6>file'), opened afresh for each run: two runs must not
# share a file offset.
bwrap_run() {
    local impl=$1; shift
    local exe=$BWRAP_REAL
    [[ -e $WORK/bin/bwrap ]] || ln -s sbox "$WORK/bin/bwrap"
    [[ $impl == sbox ]] && exe=$WORK/bin/bwrap
    [[ $impl == real-0.11 ]] && exe=$BWRAP_011
    (
        [[ -n ${FDS:-} ]] && eval "exec $FDS"
        as_user timeout -k 5 "$TIMEOUT" "$exe" "$@" <"${RUN_STDIN:-/dev/null}" >"$CT/.out-$impl" 2>"$CT/.err-$impl"
    )
    RC=$?
    # Files of each implementation's own: a program bwrap killed late (--lock-file) may still write.
    OUT=$(<"$CT/.out-$impl"); ERR=$(<"$CT/.err-$impl")
    printf '$ [%s] bwrap %s\n  rc=%s\n  out: %s\n  err: %s\n' "$impl" "$*" "$RC" "$(oneline "$OUT")" "$(oneline "$ERR")"
}

# both CHECK ARGS...: runs ARGS under each implementation and calls the function CHECK after each,
# with $IMPL set. Without a real bwrap, only sbox runs (and the log says so).
both() {
    local check=$1; shift
    local impl
    for impl in real sbox; do
        if [[ $impl == real && -z $BWRAP_REAL ]]; then echo "(no bwrap installed: checking sbox only)"; continue; fi
        IMPL=$impl
        bwrap_run "$impl" "$@"
        "$check"
    done
}

# since_011 CHECK ARGS...: a behaviour of bwrap 0.11 that Debian's 0.8 lacks: sbox, and $BWRAP_011
# when given. The case's comment says what 0.8 does instead.
since_011() {
    local check=$1; shift
    local impl
    for impl in real-0.11 sbox; do
        [[ $impl == real-0.11 && -z $BWRAP_011 ]] && continue
        IMPL=$impl
        bwrap_run "$impl" "$@"
        "$check"
    done
}

t_bwrap_defaults() {
    local host_net; host_net=$(as_user readlink /proc/self/ns/net)
    check() {
        expect_ok "[$IMPL] runs"
        expect_out "$(as_user id -u) $host_net ROOT_WRITABLE Seccomp:0" "[$IMPL] the caller's uid, the host's network, a writable root, no filter"
    }
    both check "${BWRAP_BASE[@]}" -- sh -c 'echo $(id -u) $(readlink /proc/self/ns/net) $(touch /x && echo ROOT_WRITABLE) $(grep ^Seccomp: /proc/self/status | tr -d "\t ")'
    check() {
        expect_out $'lo\n2' "[$IMPL] --unshare-all: only loopback, the program is PID 2"
    }
    both check "${BWRAP_BASE[@]}" --unshare-all -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; echo $$'
}
add_case "bwrap: defaults (host namespaces but user and mount, writable root, no seccomp)" t_bwrap_defaults

t_bwrap_exit_statuses() {
    check() { expect_rc 42 "[$IMPL] the program's exit status"; }
    both check "${BWRAP_BASE[@]}" -- sh -c 'exit 42'
    check() { expect_rc 137 "[$IMPL] killed by SIGKILL: 128+9"; }
    both check "${BWRAP_BASE[@]}" --unshare-pid -- sh -c 'kill -9 $$'
    check() { expect_rc 1 "[$IMPL] a missing command"; expect_err_has "bwrap: execvp nothere: No such file or directory" "[$IMPL] bwrap's execvp message"; }
    both check "${BWRAP_BASE[@]}" -- nothere
    check() { expect_rc 1 "[$IMPL] an unknown option"; expect_err_has "bwrap: Unknown option --frobnicate" "[$IMPL] bwrap's message"; }
    both check --frobnicate -- true
    check() { expect_rc 1 "[$IMPL] a missing bind source"; expect_err_has "bwrap: " "[$IMPL] a bwrap: error"; expect_err_has "/nonexistent-src" "[$IMPL] naming the path"; }
    both check "${BWRAP_BASE[@]}" --ro-bind /nonexistent-src /x -- true
}
add_case "bwrap: exit statuses and error messages" t_bwrap_exit_statuses

t_bwrap_args_fd() {
    printf -- '--setenv\0GREETING\0hello from args\0--chdir\0/usr\0' >"$CT/args"
    check() { expect_out $'hello from args\n/usr' "[$IMPL] --args FD: NUL-separated options inserted in place"; }
    FDS="5<$CT/args" both check "${BWRAP_BASE[@]}" --args 5 -- sh -c 'echo "$GREETING"; pwd'
}
add_case "bwrap: --args FD" t_bwrap_args_fd

t_bwrap_data_files() {
    printf 'file data' >"$CT/d1"; printf 'bound data' >"$CT/d2"; printf 'ro data' >"$CT/d3"
    check() {
        expect_ok "[$IMPL] data options"
        expect_out $'file data|bound data|ro data|RO_REFUSED' "[$IMPL] --file, --bind-data, --ro-bind-data"
    }
    FDS="5<$CT/d1 6<$CT/d2 7<$CT/d3" both check "${BWRAP_BASE[@]}" --file 5 /etc/one --bind-data 6 /etc/two --ro-bind-data 7 /etc/three \
        -- sh -c 'printf "%s|%s|%s|" "$(cat /etc/one)" "$(cat /etc/two)" "$(cat /etc/three)"; (echo x >/etc/three) 2>/dev/null || echo RO_REFUSED'
    check() { expect_out "640" "[$IMPL] --perms applies to --file"; }
    FDS="5<$CT/d1" both check "${BWRAP_BASE[@]}" --perms 0640 --file 5 /etc/one -- stat -c %a /etc/one
}
add_case "bwrap: --file, --bind-data, --ro-bind-data (and --perms)" t_bwrap_data_files

t_bwrap_info_fd() {
    check() {
        expect_rc 3 "[$IMPL] the program's status with --info-fd"
        python3 - "$CT/info" <<'PY' || fail "[$IMPL] --info-fd: not the JSON bwrap writes: $(cat "$CT/info")"
import json, sys
info = json.load(open(sys.argv[1]))
assert isinstance(info["child-pid"], int) and info["child-pid"] > 0
assert {"mnt-namespace", "net-namespace", "pid-namespace"} <= set(info) and "uts-namespace" not in info, info
PY
        python3 - "$CT/status" <<'PY' || fail "[$IMPL] --json-status-fd: not bwrap's two lines: $(cat "$CT/status")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert lines[0]["child-pid"] > 0 and "mnt-namespace" in lines[0], lines
assert lines[-1] == {"exit-code": 3}, lines
PY
    }
    FDS="5>$CT/info 6>$CT/status" both check "${BWRAP_BASE[@]}" --unshare-net --unshare-pid --info-fd 5 --json-status-fd 6 -- sh -c 'exit 3'
}
add_case "bwrap: --info-fd and --json-status-fd write bwrap's JSON" t_bwrap_info_fd

t_bwrap_json_status_failed_setup() {
    check() {
        expect_rc 1 "[$IMPL] a --chdir or an exec that fails inside the sandbox"
        python3 - "$CT/status" <<'PY' || fail "[$IMPL] --json-status-fd after a failed setup: $(cat "$CT/status")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 1 and lines[0]["child-pid"] > 0, lines  # no exit-code: the program never started
PY
    }
    FDS="6>$CT/status" both check "${BWRAP_BASE[@]}" --unshare-pid --json-status-fd 6 --chdir /nonexistent -- true
    FDS="6>$CT/status" both check "${BWRAP_BASE[@]}" --unshare-pid --json-status-fd 6 -- /nonexistent-command
}
add_case "bwrap: --json-status-fd reports no exit code when the setup or the exec failed" t_bwrap_json_status_failed_setup

t_bwrap_sync_block_lock() {
    # The sandbox's init holds --sync-fd: the program never sees it; the caller's end sees it close
    # only when the sandbox ends.
    local sd; sd=$(scratch syncdir); own "$sd"
    for IMPL in real sbox; do
        [[ $IMPL == real && -z $BWRAP_REAL ]] && continue
        local exe=$BWRAP_REAL; [[ $IMPL == sbox ]] && exe=$WORK/bin/bwrap && ln -sf sbox "$exe"
        rm -f "$sd/done"
        RC=0; OUT=$(as_user timeout -k 5 "$TIMEOUT" python3 "$WORK/bin/syncfd.py" "$sd/done" "$exe" "${BWRAP_BASE[@]}" --bind "$sd" "$sd" 2>"$CT/.err") || RC=$?
        ERR=$(<"$CT/.err"); printf '$ [%s] syncfd.py\n  rc=%s\n  out: %s\n  err: %s\n' "$IMPL" "$RC" "$OUT" "$(oneline "$ERR")"
        expect_out "NOT_INHERITED EOF_AFTER_EXIT" "[$IMPL] --sync-fd: held outside the program, until the sandbox ends"
    done
    check() { expect_out "ran after the block" "[$IMPL] --block-fd: runs once data arrives"; }
    echo go >"$CT/go"
    FDS="5<$CT/go" both check "${BWRAP_BASE[@]}" --block-fd 5 -- echo "ran after the block"
    local d; d=$(scratch lockdir); touch "$d/lockfile"; own "$d"
    check() {
        expect_out "LOCKED" "[$IMPL] --lock-file holds a lock while the program runs"
    }
    both check "${BWRAP_BASE[@]}" --bind "$d" /l --lock-file /l/lockfile -- \
        python3 -c 'import fcntl,os,subprocess; r=subprocess.run(["python3","-c","import fcntl; f=open(\"/l/lockfile\",\"r+\"); fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB)"], capture_output=True); print("LOCKED" if r.returncode else "FREE")'
    check() { expect_out "LOCKED []" "[$IMPL] --lock-file: the lock is held outside the program (no descriptor of it to close)"; }
    both check "${BWRAP_BASE[@]}" --unshare-pid --bind "$d" /l --lock-file /l/lockfile -- \
        python3 -c 'import os,subprocess; r=subprocess.run(["python3","-c","import fcntl; f=open(\"/l/lockfile\",\"r+\"); fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB)"], capture_output=True); fds=[f for f in os.listdir("/proc/self/fd") if os.path.realpath("/proc/self/fd/"+f) == "/l/lockfile"]; print("LOCKED" if r.returncode else "FREE", fds)'
    # bwrap's init takes the locks while the program starts, and kills it if it cannot: the program
    # may have run for a moment. sbox's program waits for the locks, so it never runs.
    check() {
        expect_rc 1 "[$IMPL] a --lock-file that does not exist"; expect_err_has "/l/absent" "[$IMPL] naming it"
        [[ $IMPL == sbox ]] && expect_out "" "[$IMPL] the program does not run"
    }
    both check "${BWRAP_BASE[@]}" --bind "$d" /l --lock-file /l/absent -- echo RAN
    check() { expect_rc 1 "[$IMPL] --as-pid-1 with --lock-file"; expect_out "" "[$IMPL] the program does not run"; }
    both check "${BWRAP_BASE[@]}" --unshare-pid --as-pid-1 --lock-file /usr -- echo RAN
}
add_case "bwrap: --sync-fd, --block-fd, --lock-file" t_bwrap_sync_block_lock

t_bwrap_passes_descriptors() {
    # bwrap passes the caller's descriptors on (xdg-dbus-proxy --args=FD under Flatpak relies on it).
    echo "inherited data" >"$CT/fd9"
    check() { expect_out "inherited data" "[$IMPL] descriptor 9 reaches the program"; }
    FDS="9<$CT/fd9" both check "${BWRAP_BASE[@]}" --unshare-pid -- sh -c 'cat <&9'
}
add_case "bwrap: the caller's descriptors reach the program" t_bwrap_passes_descriptors

t_bwrap_userns_block_fd() {
    # The caller writes the sandbox's maps itself, from the pid --info-fd gives it; without them the
    # sandbox would have no ids. Also in sbox mode, where the mount lock nests a namespace on them.
    local ids; ids="$(as_user id -u) $(as_user id -g)"
    for IMPL in real sbox sbox-mode; do
        [[ $IMPL == real && -z $BWRAP_REAL ]] && continue
        local -a exe=("$BWRAP_REAL" "${BWRAP_BASE[@]}" --unshare-user)
        [[ $IMPL == sbox ]] && ln -sf sbox "$WORK/bin/bwrap" && exe=("$WORK/bin/bwrap" "${BWRAP_BASE[@]}" --unshare-user)
        [[ $IMPL == sbox-mode ]] && exe=("$SBOX_BIN" "${BASE[@]}")
        RC=0; OUT=$(as_user timeout -k 5 "$TIMEOUT" python3 "$WORK/bin/usernsblock.py" "${exe[@]}" 2>"$CT/.err") || RC=$?
        ERR=$(<"$CT/.err"); printf '$ [%s] usernsblock.py\n  rc=%s\n  out: %s\n  err: %s\n' "$IMPL" "$RC" "$OUT" "$(oneline "$ERR")"
        expect_ok "[$IMPL] --userns-block-fd"
        expect_out "$ids" "[$IMPL] the ids the caller mapped"
    done
    check() { expect_rc 1 "[$IMPL] --userns-block-fd without --info-fd"; expect_err_has "requires --info-fd" "[$IMPL] says so"; }
    both check "${BWRAP_BASE[@]}" --unshare-user --userns-block-fd 0 -- true
}
add_case "bwrap: --userns-block-fd (the caller writes the maps)" t_bwrap_userns_block_fd

t_bwrap_userns_pidns() {
    command -v unshare >/dev/null || skip "unshare (util-linux) is not installed"
    # Namespaces to join: a user namespace mapping the caller's ids to themselves and a PID namespace
    # it owns, held by "sleep 61" (PID 1 there), and a user namespace nested in the first, held by "sleep 62".
    as_user unshare -Ucpf --kill-child sh -c 'unshare -Uc sleep 62 & exec sleep 61' >/dev/null 2>&1 &
    local holder=$! outer= inner= i
    track_pid "$holder"
    for i in $(seq 50); do
        outer=$(pgrep -n -u "$MUID" -x -f "sleep 61"); inner=$(pgrep -n -u "$MUID" -x -f "sleep 62")
        [[ -n $outer && -n $inner ]] && break; sleep 0.1
    done
    [[ -n $outer && -n $inner ]] || { kill "$holder"; fail "setup: the namespace holders did not start"; }
    track_pid "$outer"; track_pid "$inner"
    local userns pidns userns2
    userns=$(readlink "/proc/$outer/ns/user"); pidns=$(readlink "/proc/$outer/ns/pid"); userns2=$(readlink "/proc/$inner/ns/user")
    local fds="5</proc/$outer/ns/user 6</proc/$outer/ns/pid 7</proc/$inner/ns/user"
    check() { expect_out "$userns $pidns" "[$IMPL] --userns and --pidns: the program is in the given namespaces"; }
    FDS=$fds both check "${BWRAP_BASE[@]}" --userns 5 --pidns 6 -- sh -c 'echo $(readlink /proc/self/ns/user) $(readlink /proc/self/ns/pid)'
    check() {
        expect_rc 3 "[$IMPL] --pidns with --unshare-pid: the program's status"
        expect_out "NEW 2" "[$IMPL] a new PID namespace (inside the given one): the program is PID 2"
    }
    FDS=$fds both check "${BWRAP_BASE[@]}" --userns 5 --pidns 6 --unshare-pid -- sh -c '[ "$(readlink /proc/self/ns/pid)" != "'"$pidns"'" ] && echo NEW $$; exit 3'
    check() { expect_out "$userns2" "[$IMPL] --userns2: the program ends in the second user namespace"; }
    FDS=$fds both check "${BWRAP_BASE[@]}" --userns 5 --userns2 7 -- readlink /proc/self/ns/user
    check() { expect_rc 1 "[$IMPL] --userns with --unshare-user"; expect_err_has "--userns not compatible --unshare-user" "[$IMPL] bwrap's words"; }
    FDS=$fds both check "${BWRAP_BASE[@]}" --unshare-user --userns 5 -- true
    # sbox mode: the mounts are locked in a namespace nested in the joined one.
    ( eval "exec $fds"; run_sb "${BASE[@]}" --userns 5 --pidns 6 -- sh -c 'echo $(readlink /proc/self/ns/pid) $$'
      [[ $OUT != "$pidns "* && $OUT == *" 2" ]] || fail "sbox mode: --pidns with its own PID namespace inside: $OUT" ) || exit 1
    kill "$outer" "$inner" "$holder" 2>/dev/null
}
add_case "bwrap: --userns, --pidns and --userns2 join the caller's namespaces" t_bwrap_userns_pidns

t_bwrap_bind_fd() {
    local d; d=$(scratch fddir); echo inside >"$d/f"; own "$d"
    check() { expect_out "inside" "[$IMPL] --ro-bind-fd binds the directory open as FD"; }
    FDS="5<$d" both check "${BWRAP_BASE[@]}" --ro-bind-fd 5 /x -- cat /x/f
}
add_case "bwrap: --bind-fd and --ro-bind-fd" t_bwrap_bind_fd

t_bwrap_flatpak_style() {
    # How Flatpak drives bwrap: a long generated option list through --args, data through --file and
    # --ro-bind-data, status through --info-fd.
    local app; app=$(scratch app); printf '#!/bin/sh\necho "app says $APP_ID from $(cat /run/app-info)"\n' >"$app/run"; chmod 755 "$app/run"; own "$app"
    printf 'org.example.App' >"$CT/appinfo"
    { printf '%s\0' --unshare-pid --unshare-ipc --unshare-net --die-with-parent --new-session "${BWRAP_BASE[@]}" \
        --ro-bind "$app" /app --ro-bind-data 6 /run/app-info --setenv APP_ID org.example.App --chdir /app --info-fd 7; } >"$CT/fp-args"
    check() {
        expect_ok "[$IMPL] a Flatpak-style command line"
        expect_out "app says org.example.App from org.example.App" "[$IMPL] the application runs with its data"
        grep -q '"child-pid"' "$CT/fp-info" || fail "[$IMPL] no --info-fd report"
    }
    FDS="5<$CT/fp-args 6<$CT/appinfo 7>$CT/fp-info" both check --args 5 /app/run
}
add_case "bwrap: a Flatpak-style caller (--args, --ro-bind-data, --info-fd)" t_bwrap_flatpak_style

t_bwrap_disable_userns() {
    check() { expect_out "unshare=ENOSPC" "[$IMPL] --disable-userns: the program cannot create a user namespace"; }
    FDS="" both check "${BWRAP_BASE[@]}" --ro-bind "$WORK/bin" /h --unshare-user --disable-userns -- sh -c '/h/nsattempt | cut -d" " -f1'
    check() { expect_out_has "unshare=ok" "[$IMPL] control: without it, the program can"; }
    both check "${BWRAP_BASE[@]}" --ro-bind "$WORK/bin" /h --unshare-user -- sh -c '/h/nsattempt | cut -d" " -f1'
    check() { expect_rc 1 "[$IMPL] --disable-userns without --unshare-user"; expect_err_has "bwrap: --disable-userns requires --unshare-user" "[$IMPL] bwrap's message"; }
    both check "${BWRAP_BASE[@]}" --disable-userns -- true
    check() { expect_rc 1 "[$IMPL] --assert-userns-disabled when they are not"; expect_err_has "creation of new user namespaces was not disabled as requested" "[$IMPL] bwrap's message"; }
    both check "${BWRAP_BASE[@]}" --unshare-user --assert-userns-disabled -- true
}
add_case "bwrap: --disable-userns and --assert-userns-disabled" t_bwrap_disable_userns

t_bwrap_overlays() {
    # Overlays came with bwrap 0.9; Debian 12's bwrap 0.8 does not have them: sbox only.
    echo "(--overlay options are bwrap 0.9+: checking sbox only)"
    local d; d=$(scratch overlay)
    mkdir -p "$d/low1" "$d/low2" "$d/up" "$d/work"; echo bottom >"$d/low1/a"; echo bottom >"$d/low1/b"; echo top >"$d/low2/b"; own "$d"
    bwrap_run sbox "${BWRAP_BASE[@]}" --overlay-src "$d/low1" --overlay-src "$d/low2" --overlay "$d/up" "$d/work" /o -- sh -c 'cat /o/b; echo changed >/o/a; cat /o/a'
    expect_out $'top\nchanged' "--overlay: the last --overlay-src on top; writes allowed"
    [[ $(cat "$d/up/a") == changed && $(cat "$d/low1/a") == bottom ]] || fail "--overlay: writes must go to RWSRC and leave the sources alone"
    bwrap_run sbox "${BWRAP_BASE[@]}" --overlay-src "$d/low1" --tmp-overlay /o -- sh -c 'echo gone >/o/a; cat /o/a'
    expect_out "gone" "--tmp-overlay: writes work inside"
    [[ $(cat "$d/low1/a") == bottom ]] || fail "--tmp-overlay: a write reached the host"
    bwrap_run sbox "${BWRAP_BASE[@]}" --overlay-src "$d/low1" --overlay-src "$d/low2" --ro-overlay /o -- sh -c 'cat /o/b; echo x >/o/z'
    expect_out "top" "--ro-overlay: the layers are read"
    expect_err_has "Read-only file system" "--ro-overlay: writes are refused"
    bwrap_run sbox "${BWRAP_BASE[@]}" --overlay-src "$d/low1" --ro-overlay /o -- true
    expect_err_has "bwrap: --ro-overlay requires at least two --overlay-src" "--ro-overlay with one layer: bwrap's message"
    bwrap_run sbox "${BWRAP_BASE[@]}" --overlay-src "$d/low1" --tmpfs /x -- true
    expect_err_has "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or --ro-overlay" "a dangling --overlay-src"
}
add_case "bwrap: --overlay, --tmp-overlay, --ro-overlay (bwrap 0.9+)" t_bwrap_overlays

t_bwrap_identity_and_environment() {
    check() { expect_out "0 0" "[$IMPL] --uid 0 --gid 0 with --unshare-user"; }
    both check "${BWRAP_BASE[@]}" --unshare-user --uid 0 --gid 0 -- sh -c 'echo $(id -u) $(id -g)'
    check() { expect_out "box" "[$IMPL] --hostname with --unshare-uts"; }
    both check "${BWRAP_BASE[@]}" --unshare-uts --hostname box -- uname -n
    check() { expect_out "1 unset" "[$IMPL] --setenv, --unsetenv"; }
    both check "${BWRAP_BASE[@]}" --setenv A 1 --unsetenv HOME -- sh -c 'echo ${A:-none} ${HOME:-unset}'
    check() { expect_out "2 unset" "[$IMPL] --clearenv, then --setenv"; }
    both check "${BWRAP_BASE[@]}" --clearenv --setenv B 2 -- /usr/bin/sh -c 'echo ${B:-none} ${HOME:-unset}'
    check() { expect_out "0000000000002000" "[$IMPL] --cap-drop ALL --cap-add CAP_NET_RAW: only that one"; }
    both check "${BWRAP_BASE[@]}" --unshare-user --cap-drop ALL --cap-add CAP_NET_RAW -- sh -c 'grep ^CapEff: /proc/self/status | cut -f2'
    check() { expect_out "0000000000000001" "[$IMPL] --cap-drop removes what --cap-add gave"; }
    both check "${BWRAP_BASE[@]}" --unshare-user --cap-drop ALL --cap-add CAP_NET_RAW --cap-add CAP_CHOWN --cap-drop CAP_NET_RAW -- sh -c 'grep ^CapEff: /proc/self/status | cut -f2'
    # By default a caller that is root keeps every capability (in the sandbox), anyone else none.
    local none=0000000000000000
    check() { if [[ $MUID == 0 ]]; then [[ $OUT =~ ^[0-9a-f]{16}$ && $OUT != "$none" ]] || fail "[$IMPL] root keeps its capabilities"; else expect_out "$none" "[$IMPL] no capabilities"; fi; }
    both check "${BWRAP_BASE[@]}" --unshare-user -- sh -c 'grep ^CapEff: /proc/self/status | cut -f2'
}
add_case "bwrap: --uid, --gid, --hostname, --setenv, --unsetenv, --clearenv, --cap-add, --cap-drop" t_bwrap_identity_and_environment

t_bwrap_file_system_options() {
    local d; d=$(scratch fsopts); own "$d"
    check() { expect_out $'700\n711' "[$IMPL] --chmod, and --perms before --dir"; }
    both check "${BWRAP_BASE[@]}" --dir /d --chmod 0700 /d --perms 0711 --dir /e -- stat -c %a /d /e
    check() { expect_out "FULL" "[$IMPL] --size bounds the next --tmpfs"; }
    both check "${BWRAP_BASE[@]}" --size 1048576 --tmpfs /t -- sh -c 'head -c 2000000 /dev/zero >/t/f 2>/dev/null || echo FULL'
    check() { expect_out "RO" "[$IMPL] --remount-ro"; }
    both check "${BWRAP_BASE[@]}" --bind "$d" /w --remount-ro /w -- sh -c 'touch /w/x 2>/dev/null || echo RO'
    check() { expect_ok "[$IMPL] the -try binds skip a missing source"; }
    both check "${BWRAP_BASE[@]}" --ro-bind-try /nonexistent /a --bind-try /nonexistent /b --dev-bind-try /nonexistent /c -- true
    check() { expect_out "OK" "[$IMPL] --dev-bind keeps a device usable"; }
    both check "${BWRAP_BASE[@]}" --dev-bind /dev/null /n -- sh -c 'echo x >/n && echo OK'
    check() { expect_out "1" "[$IMPL] --mqueue with --unshare-ipc"; }
    both check "${BWRAP_BASE[@]}" --unshare-ipc --mqueue /mq -- sh -c 'grep -c " /mq mqueue " /proc/self/mounts'
}
add_case "bwrap: --chmod, --perms, --size, --remount-ro, -try binds, --dev-bind, --mqueue" t_bwrap_file_system_options

t_bwrap_namespace_options() {
    local host_net host_uts host_cgroup
    host_net=$(as_user readlink /proc/self/ns/net); host_uts=$(as_user readlink /proc/self/ns/uts); host_cgroup=$(as_user readlink /proc/self/ns/cgroup)
    check() { expect_out "$host_net" "[$IMPL] --unshare-all --share-net keeps the host's network"; }
    both check "${BWRAP_BASE[@]}" --unshare-all --share-net -- readlink /proc/self/ns/net
    check() { [[ $OUT != *"$host_uts"* && $OUT != *"$host_cgroup"* && -n $OUT ]] || fail "[$IMPL] new UTS and cgroup namespaces: $OUT"; }
    both check "${BWRAP_BASE[@]}" --unshare-user-try --unshare-uts --unshare-cgroup-try -- sh -c 'echo $(readlink /proc/self/ns/uts) $(readlink /proc/self/ns/cgroup)'
    both check "${BWRAP_BASE[@]}" --unshare-uts --unshare-cgroup -- sh -c 'echo $(readlink /proc/self/ns/uts) $(readlink /proc/self/ns/cgroup)'
}
add_case "bwrap: --share-net, --unshare-uts, --unshare-cgroup(-try), --unshare-user-try" t_bwrap_namespace_options

t_bwrap_messages() {
    check() {
        local name=$BWRAP_REAL; [[ $IMPL == sbox ]] && name=$WORK/bin/bwrap
        expect_rc 0 "[$IMPL] --help"
        expect_out_has "usage: $name [OPTIONS...] [--] COMMAND [ARGS...]" "[$IMPL] bwrap's usage line, with the name it was invoked by"
        [[ $IMPL == real ]] && REAL_HELP=$OUT
    }
    local REAL_HELP=""
    both check --help
    # Callers probe the help for the options they need (codex: --argv0, --perms, --ro-bind,
    # --unshare-user, --unshare-net): every option bwrap lists, one line each, and 0.11's.
    local option listed=() missing=()
    readarray -t listed < <(grep -oE '^ +--[a-z0-9-]+' <<<"$REAL_HELP" | tr -d ' ')
    listed+=(--argv0 --perms --size --chmod --level-prefix --bind-fd --ro-bind-fd --overlay-src --overlay --tmp-overlay
             --ro-overlay --userns2 --pidns --disable-userns --assert-userns-disabled --add-seccomp-fd --json-status-fd)
    for option in "${listed[@]}"; do
        grep -qE "^ +$option( [A-Z]| {2,})" <<<"$OUT" || missing+=("$option")
    done
    [[ ${#missing[@]} -eq 0 ]] || fail "[sbox] --help lacks ${missing[*]}"
    check() { expect_out_has "bubblewrap " "[$IMPL] --version"; }
    both check --version
    check() { expect_rc 1 "[$IMPL] an SELinux label without SELinux"; expect_err_has "label" "[$IMPL] says so"; }
    both check "${BWRAP_BASE[@]}" --exec-label system_u:system_r:x:s0 -- true
    both check "${BWRAP_BASE[@]}" --file-label system_u:object_r:x:s0 -- true
    # bwrap 0.8 predates --level-prefix (0.10): sbox only.
    bwrap_run sbox --level-prefix "${BWRAP_BASE[@]}" --ro-bind /nonexistent-src /x -- true
    expect_err_has "<3>bwrap: " "[sbox] --level-prefix: syslog's error priority before the message"
}
add_case "bwrap: --help, --version, SELinux labels, --level-prefix" t_bwrap_messages

t_bwrap_root_covered_twice() {
    # Every step goes on top of what came before, a second --bind / / included (the same directory as
    # the first: sbox took it for the same root and put the next --tmpfs under it).
    local marker=/tmp/sbox-it-root-$$; : >"$marker"; track_file "$marker"
    check() { expect_ok "[$IMPL] runs"; expect_out "EMPTY" "[$IMPL] the last --tmpfs /tmp is what /tmp shows"; }
    both check --bind / / --tmpfs /tmp --bind / / --tmpfs /tmp -- sh -c "[ -e $marker ] && echo HOST_TMP || echo EMPTY"
    run_sb --profile none --ro-bind / / --tmpfs /tmp --ro-bind / / --tmpfs /tmp -- sh -c "[ -e $marker ] && echo HOST_TMP || echo EMPTY"
    expect_out "EMPTY" "sbox mode: the same"
}
add_case "bwrap: a second --bind / / and the steps after it" t_bwrap_root_covered_twice

t_bwrap_die_with_parent_outer() {
    # A caller holding a lock through --lock-file is killed with SIGKILL: with --die-with-parent the
    # whole of bwrap goes with it, its outer process too, and the lock is released (bwrap's own test).
    local d; d=$(scratch dwp); touch "$d/lockfile"; own "$d"
    local probe='import fcntl, sys
f = open(sys.argv[1], "r+")
try:
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print("FREE")
except OSError:
    print("LOCKED")'
    local impl exe
    for impl in real sbox sbox-mode; do
        [[ $impl == real && -z $BWRAP_REAL ]] && continue
        exe=("$BWRAP_REAL" "${BWRAP_BASE[@]}"); [[ $impl == sbox ]] && exe=("$WORK/bin/bwrap" "${BWRAP_BASE[@]}")
        [[ $impl == sbox-mode ]] && exe=("$SBOX_BIN" "${BASE[@]}")
        [[ -e $WORK/bin/bwrap ]] || ln -s sbox "$WORK/bin/bwrap"
        rm -f "$d/started"
        # The caller: a shell that starts bwrap as its child (not exec) and waits.
        as_user sh -c 'echo $$ >"$0"; "$@" & wait' "$d/caller.pid" "${exe[@]}" --bind "$d" /l --lock-file /l/lockfile --die-with-parent \
            -- sh -c 'touch /l/started; exec sleep 61' </dev/null >/dev/null 2>"$CT/.err" &
        local caller=$!
        track_pid "$caller"
        wait_file "$d/started" || fail "[$impl] the program did not start: $(<"$CT/.err")"
        [[ $(python3 -c "$probe" "$d/lockfile") == LOCKED ]] || fail "[$impl] the lock is not held while the program runs"
        pgrep -f -- "--bind $d /l" >/dev/null || fail "[$impl] bwrap is not found by its command line while it runs"
        # $caller runs as_user; the shell, bwrap's parent, is its descendant: kill the shell itself.
        kill -KILL "$(<"$d/caller.pid")"
        local i state=LOCKED
        for ((i = 0; i < 50; i++)); do state=$(python3 -c "$probe" "$d/lockfile"); [[ $state == FREE ]] && break; sleep 0.1; done
        [[ $state == FREE ]] || fail "[$impl] the lock is still held 5 s after the caller was killed"
        for ((i = 0; i < 50; i++)); do pgrep -f -- "--bind $d /l" >/dev/null || break; sleep 0.1; done
        pgrep -f -- "--bind $d /l" >/dev/null && fail "[$impl] bwrap outlived its caller: $(pgrep -a -f -- "--bind $d /l")"
        pgrep -f "sleep 6[1]" -u "$MUID" >/dev/null && fail "[$impl] the program outlived its caller"
        echo "[$impl] released after the caller's death"
        wait "$caller" 2>/dev/null || true
    done
}
add_case "bwrap: --die-with-parent ends bwrap's outer process too, and --lock-file's lock with it" t_bwrap_die_with_parent_outer

t_bwrap_messages_callers_match() {
    local d; d=$(scratch msgs); own "$d"
    printf '\x06\x00\x00\x00\x00\x00\xff\x7f' >"$d/allow.bpf"; printf '\x01' >"$d/odd.bpf"; : >"$d/empty.bpf"
    check() { expect_rc 1 "[$IMPL] a missing source"; expect_err_has "bwrap: Can't find source path /nonexistent-src: No such file or directory" "[$IMPL] bwrap's words, alone"; }
    both check "${BWRAP_BASE[@]}" --ro-bind /nonexistent-src /x -- true
    check() { expect_rc 1 "[$IMPL] a descriptor that is not a number"; expect_err_has "bwrap: Invalid fd: x" "[$IMPL] bwrap's words"; }
    both check "${BWRAP_BASE[@]}" --info-fd x -- true
    both check "${BWRAP_BASE[@]}" --seccomp x -- true
    check() { expect_rc 1 "[$IMPL] --seccomp after --add-seccomp-fd"; expect_err_has "bwrap: --seccomp cannot be combined with --add-seccomp-fd" "[$IMPL] says so"; }
    FDS="5<$d/allow.bpf 6<$d/allow.bpf" both check "${BWRAP_BASE[@]}" --add-seccomp-fd 5 --seccomp 6 -- true
    check() { expect_rc 1 "[$IMPL] --add-seccomp-fd after --seccomp"; expect_err_has "bwrap: --add-seccomp-fd cannot be combined with --seccomp" "[$IMPL] says so"; }
    FDS="5<$d/allow.bpf 6<$d/allow.bpf" both check "${BWRAP_BASE[@]}" --seccomp 5 --add-seccomp-fd 6 -- true
    check() { expect_rc 1 "[$IMPL] the same filter descriptor twice"; expect_err_has "bwrap: Can't read seccomp data: Bad file descriptor" "[$IMPL] it was read and closed"; }
    FDS="5<$d/allow.bpf" both check "${BWRAP_BASE[@]}" --add-seccomp-fd 5 --add-seccomp-fd 5 -- true
    check() { expect_rc 1 "[$IMPL] a filter of 1 byte"; expect_err_has "bwrap: Invalid seccomp data, must be multiple of 8" "[$IMPL] says so"; }
    FDS="5<$d/odd.bpf" both check "${BWRAP_BASE[@]}" --add-seccomp-fd 5 -- true
    # 0 bytes are a multiple of 8: the kernel refuses the empty program.
    check() { expect_rc 1 "[$IMPL] an empty filter"; expect_err_has "bwrap: Unable to set up system call filtering as requested: prctl(PR_SET_SECCOMP) reported EINVAL" "[$IMPL] the kernel's refusal"; }
    FDS="5<$d/empty.bpf" both check "${BWRAP_BASE[@]}" --add-seccomp-fd 5 -- true
    check() { expect_rc 1 "[$IMPL] --size beyond SIZE_MAX/2"; expect_err_has "bwrap: --size (for tmpfs) is limited to 9223372036854775807" "[$IMPL] says so"; }
    both check "${BWRAP_BASE[@]}" --size 9223372036854775808 --tmpfs /t -- true
    check() { expect_rc 1 "[$IMPL] --size 0"; expect_err_has "bwrap: --size takes a non-zero number of bytes" "[$IMPL] says so"; }
    both check "${BWRAP_BASE[@]}" --size 0 --tmpfs /t -- true
    check() { expect_out "4096" "[$IMPL] --size reads 010000 as octal (4096), as strtoull"; }
    both check "${BWRAP_BASE[@]}" --size 010000 --tmpfs /t -- sh -c 'head -c 8192 /dev/zero >/t/f 2>/dev/null; stat -c %s /t/f'
    check() { expect_ok "[$IMPL] runs"; expect_err_has "bwrap: Only the last --chdir option will take effect" "[$IMPL] the warning"; expect_out "/usr" "[$IMPL] the last one"; }
    both check "${BWRAP_BASE[@]}" --chdir / --chdir /usr -- pwd
    check() { expect_ok "[$IMPL] runs"; expect_err_has "bwrap: Only the last --sync-fd option will take effect" "[$IMPL] the warning"; }
    FDS="5</dev/null" both check "${BWRAP_BASE[@]}" --sync-fd 5 --sync-fd 5 -- true
    # 0.8 has no --level-prefix: a warning is syslog's priority 4.
    check() { expect_err_has "<4>bwrap: Only the last --chdir option will take effect" "[$IMPL] <4> before a warning"; }
    since_011 check --level-prefix "${BWRAP_BASE[@]}" --chdir / --chdir /usr -- true
    # 0.8 says "Can't make symlink at /l: File exists" in both cases.
    check() { expect_rc 1 "[$IMPL] a symlink over another"; expect_err_has "bwrap: Can't make symlink at /l: existing destination is a" "[$IMPL] names what is there"; }
    since_011 check "${BWRAP_BASE[@]}" --symlink a /l --symlink b /l -- true
    check() { expect_rc 1 "[$IMPL] a symlink over a directory"; expect_err_has "bwrap: Can't make symlink at /usr: destination exists and is not a symlink" "[$IMPL] says so"; }
    since_011 check "${BWRAP_BASE[@]}" --symlink a /usr -- true
    # 0.8 refuses it too ("File exists").
    check() { expect_ok "[$IMPL] the same symlink twice is fine"; }
    since_011 check "${BWRAP_BASE[@]}" --symlink a /l --symlink a /l -- true
}
add_case "bwrap: the messages callers match (bwrap 0.11's words and conditions)" t_bwrap_messages_callers_match

t_bwrap_parents_follow_perms() {
    # The directories made on the way to a destination lose the group's and others' bits that the
    # destination's --perms withholds.
    check() { expect_out $'750\n750\n750' "[$IMPL] --perms 0750 --dir /a/b/c: parents 0750"; }
    both check "${BWRAP_BASE[@]}" --perms 0750 --dir /a/b/c -- stat -c %a /a /a/b /a/b/c
    check() { expect_out $'700\n700\n600' "[$IMPL] --ro-bind-data (0600): parents 0700"; }
    FDS="5</dev/null" both check "${BWRAP_BASE[@]}" --ro-bind-data 5 /x/y/f -- stat -c %a /x /x/y /x/y/f
    check() { expect_out $'755\n700' "[$IMPL] --perms 0700 --tmpfs /q/r: /q 0700"; }
    both check "${BWRAP_BASE[@]}" --dir /q --perms 0700 --tmpfs /q/r -- stat -c %a /q /q/r
}
add_case "bwrap: parents made for a destination follow its --perms" t_bwrap_parents_follow_perms

t_bwrap_filters_stack() {
    # Each filter is loaded with prctl(PR_SET_SECCOMP): a first one that allows prctl but refuses
    # seccomp() (ENOSYS) still lets the next ones stack (sbox used seccomp() and failed there).
    local d; d=$(scratch filters); own "$d"
    local nr_seccomp nr_uname
    case $(uname -m) in
        x86_64) nr_seccomp=317 nr_uname=63 ;;
        aarch64) nr_seccomp=277 nr_uname=160 ;;
        *) skip "no system call numbers for $(uname -m)" ;;
    esac
    deny() { python3 -c 'import struct, sys
nr, errno = int(sys.argv[1]), int(sys.argv[2])
ins = [(0x20, 0, 0, 0), (0x15, 0, 1, nr), (0x06, 0, 0, 0x50000 | errno), (0x06, 0, 0, 0x7fff0000)]
sys.stdout.buffer.write(b"".join(struct.pack("<HBBI", *i) for i in ins))' "$@"; }
    deny "$nr_seccomp" 38 >"$d/no-seccomp.bpf"; deny "$nr_uname" 1 >"$d/no-uname.bpf"
    check() { expect_ok "[$IMPL] both filters load"; expect_out "EPERM" "[$IMPL] the second filter is in force"; }
    FDS="5<$d/no-seccomp.bpf 6<$d/no-uname.bpf" both check "${BWRAP_BASE[@]}" --add-seccomp-fd 5 --add-seccomp-fd 6 -- \
        python3 -c 'import os
try:
    os.uname(); print("ALLOWED")
except OSError as e:
    print("EPERM" if e.errno == 1 else e)'
}
add_case "bwrap: a filter that refuses seccomp() does not keep the next from loading" t_bwrap_filters_stack

t_bwrap_agent_command_lines() {
    # Command lines as coding agents emit them: the root read-only, the workspace writable, its .git
    # read-only again, no network, a new session, death with the parent, argv[0], a file with
    # --perms, compiled filters, and the status on --json-status-fd.
    local ws; ws=$(scratch agent-ws); mkdir -p "$ws/.git"; echo "[core]" >"$ws/.git/config"; own "$ws"
    # codex uses a system bwrap only if its help names these.
    bwrap_run sbox --help
    local option
    for option in --argv0 --perms --ro-bind --unshare-user --unshare-net; do
        grep -qE "^ +$option " <<<"$OUT" || fail "[sbox] codex's probe of --help for $option fails"
    done
    local script='echo "argv0=$0"; echo ok >"$PWD/out.txt" && echo WS_WRITABLE
        echo x >>.git/config 2>/dev/null && echo GIT_WRITABLE || echo GIT_READONLY
        touch /etc/agent-probe 2>/dev/null && echo ROOT_WRITABLE || echo ROOT_READONLY
        echo "interfaces=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " ")"
        exit 3'
    local codex=(--new-session --die-with-parent --ro-bind / / --dev /dev --bind "$ws" "$ws" --ro-bind "$ws/.git" "$ws/.git"
                 --unshare-user --unshare-pid --unshare-net --proc /proc --chdir "$ws")
    check() {
        expect_rc 3 "[$IMPL] the program's exit status"
        expect_out "argv0=$ARGV0"$'\nWS_WRITABLE\nGIT_READONLY\nROOT_READONLY\ninterfaces=lo ' "[$IMPL] workspace writable, .git and the root read-only, only loopback"
        [[ $(<"$ws/out.txt") == ok ]] || fail "[$IMPL] the write did not reach the workspace"
        rm -f "$ws/out.txt"
    }
    ARGV0=sh both check "${codex[@]}" -- sh -c "$script"
    # --argv0 is 0.9's (codex probes the help for it).
    ARGV0=agent-shell since_011 check "${codex[@]}" --argv0 agent-shell -- sh -c "$script"
    # sandbox-runtime's shape: filters given as compiled programs (one refusing AF_UNIX sockets), a
    # file written with --perms, the status as JSON lines.
    local nr_socket
    case $(uname -m) in x86_64) nr_socket=41 ;; aarch64) nr_socket=198 ;; *) skip "no system call numbers for $(uname -m)" ;; esac
    python3 -c 'import struct, sys
nr = int(sys.argv[1])
ins = [(0x20, 0, 0, 0), (0x15, 0, 3, nr), (0x20, 0, 0, 16), (0x15, 0, 1, 1), (0x06, 0, 0, 0x50001), (0x06, 0, 0, 0x7fff0000)]
sys.stdout.buffer.write(b"".join(struct.pack("<HBBI", *i) for i in ins))' "$nr_socket" >"$ws/no-unix.bpf"
    printf '\x06\x00\x00\x00\x00\x00\xff\x7f' >"$ws/allow.bpf"; echo "settings" >"$ws/settings"
    check() {
        expect_ok "[$IMPL] runs"
        expect_out $'UNIX_REFUSED\n600 settings' "[$IMPL] both filters in force, the file with its mode"
        grep -q '"child-pid"' "$CT/status.json" && grep -q '"exit-code": *0' "$CT/status.json" \
            || fail "[$IMPL] --json-status-fd: $(tr '\n' ' ' <"$CT/status.json")"
    }
    FDS="3<$ws/no-unix.bpf 4<$ws/allow.bpf 5<$ws/settings 6>$CT/status.json" \
        both check --new-session --die-with-parent --unshare-net --ro-bind / / --bind "$ws" "$ws" --dev /dev --unshare-pid --proc /proc \
        --add-seccomp-fd 3 --add-seccomp-fd 4 --tmpfs /tmp --perms 0600 --file 5 /tmp/agent/settings --json-status-fd 6 -- \
        python3 -c 'import socket, os
try:
    socket.socket(socket.AF_UNIX); print("UNIX_ALLOWED")
except OSError:
    print("UNIX_REFUSED")
print(oct(os.stat("/tmp/agent/settings").st_mode & 0o777)[2:], open("/tmp/agent/settings").read().strip())'
    check() { expect_ok "[$IMPL] runs"; expect_out "UNIX_REFUSED" "[$IMPL] the filter given with --seccomp is in force"; }
    FDS="3<$ws/no-unix.bpf" both check --new-session --die-with-parent --unshare-net --ro-bind / / --dev /dev --seccomp 3 -- \
        python3 -c 'import socket
try:
    socket.socket(socket.AF_UNIX); print("UNIX_ALLOWED")
except OSError:
    print("UNIX_REFUSED")'
}
add_case "bwrap: agents' command lines (codex, sandbox-runtime) end to end" t_bwrap_agent_command_lines

t_bwrap_nested_in_sbox() {
    # A program in an sbox sandbox that runs bwrap itself (glycin's loaders, some build tools): one
    # clear line and a failure status, never a hang.
    [[ -e $WORK/bin/bwrap ]] || ln -s sbox "$WORK/bin/bwrap"
    run_sb --profile default --ro "$WORK/bin" -- "$WORK/bin/bwrap" --ro-bind / / true
    expect_rc 1 "sbox as bwrap inside sbox fails"
    expect_err_has "already in a sandbox whose seccomp filter refuses new user namespaces" "and says why"
    [[ $(wc -l <<<"$ERR") -le 2 ]] || fail "more than a line (and sbox's own notice): $ERR"
    run_sb --profile default --ro "$WORK/bin" -- "$WORK/bin/sbox" -- true
    expect_rc 125 "sbox inside sbox fails"
    expect_err_has "already in a sandbox whose seccomp filter refuses new user namespaces" "and says why"
    if [[ -n $BWRAP_REAL ]]; then
        run_sb --profile default -- "$BWRAP_REAL" --ro-bind / / true
        expect_rc 1 "Debian's bwrap inside sbox fails"; expect_err_has "bwrap: " "with its one line"
    fi
}
add_case "bwrap: run inside an sbox sandbox, it fails at once and says why" t_bwrap_nested_in_sbox

t_bwrap_reexecuted_through_proc_self_exe() {
    # Callers (and bwrap's own tests) nest bwrap by running /proc/self/exe: a binary named bwrap is
    # bwrap again there, though argv[0] then says "exe".
    mkdir -p "$WORK/copy"; cp "$SBOX_BIN" "$WORK/copy/bwrap"; chmod 755 "$WORK/copy" "$WORK/copy/bwrap"
    as_user "$WORK/copy/bwrap" --ro-bind / / --proc /proc -- /proc/self/exe --version >"$CT/.out" 2>&1
    [[ $(<"$CT/.out") == "bubblewrap "* ]] || fail "a copy named bwrap, re-run as /proc/self/exe, is not bwrap: $(<"$CT/.out")"
    [[ -n $BWRAP_REAL ]] && { as_user "$BWRAP_REAL" --ro-bind / / --proc /proc -- /proc/self/exe --version | grep -q "^bubblewrap " || fail "[real] not bwrap"; }
    return 0
}
add_case "bwrap: re-run through /proc/self/exe, a binary named bwrap is bwrap" t_bwrap_reexecuted_through_proc_self_exe
