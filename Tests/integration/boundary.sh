# The boundary as an attacker tries it: where sbox starts, what the caller hands it (bytes, the
# environment, descriptors, the terminal), and what a sandbox could leave for the next run.
# Sourced by run.sh after profiles.sh (it uses run_home and make_home); each case runs as [root] and
# as [unprivileged].

t_bytes_stay_bytes() {
    # An argument, an environment value and a path with a byte that is not UTF-8 reach the program,
    # and the file system, as they are.
    run_sb "${BASE[@]}" -- printf '%s' $'a\xffb'
    [[ $(od -An -tx1 <"$CT/.out" | tr -d ' \n') == 61ff62 ]] || fail "an argument's invalid byte was changed: $(od -An -tx1 <"$CT/.out")"
    RUN_STDIN=/dev/null "${SB_CMD[@]}" "${BASE[@]}" --setenv V $'x\xffy' -- sh -c 'printf %s "$V"' >"$CT/env.out" 2>/dev/null
    [[ $(od -An -tx1 <"$CT/env.out" | tr -d ' \n') == 78ff79 ]] || fail "--setenv's invalid byte was changed: $(od -An -tx1 <"$CT/env.out")"
    V=$'x\xfey' "${SB_CMD[@]}" --profile default -- sh -c 'printf %s "$V"' </dev/null >"$CT/env2.out" 2>/dev/null
    [[ $(od -An -tx1 <"$CT/env2.out" | tr -d ' \n') == 78fe79 ]] || fail "an inherited variable's invalid byte was changed: $(od -An -tx1 <"$CT/env2.out")"
    # --hide of a path whose last byte is not UTF-8 hides that path (it used to hide nothing).
    local d; d=$(scratch data)
    mkdir "$d/sec"$'\xff' && echo secret >"$d/sec"$'\xff/f' && own "$d"
    run_sb "${BASE[@]}" --ro-bind "$d" "$d" -- cat "$d/sec"$'\xff/f'
    expect_out secret "control: the file is readable when not hidden"
    run_sb "${BASE[@]}" --ro-bind "$d" "$d" --hide "$d/sec"$'\xff' -- cat "$d/sec"$'\xff/f'
    [[ $RC -ne 0 && $OUT != secret ]] || fail "--hide of a path with an invalid byte hid nothing"
    # Errors show such bytes, and control characters, escaped: one line, never the raw bytes.
    run_sb "${BASE[@]}" --ro-bind $'/nonexistent\n\xff\e[2J' /x -- true
    expect_rc 125 "a missing source"
    [[ $ERR == *'/nonexistent\n\xff\x1b[2J'* && $(wc -l <"$CT/.err") -eq 1 ]] || fail "the error is not one escaped line: $(od -c <"$CT/.err" | head -3)"
}
add_case "bytes stay bytes: arguments, environment and paths with invalid UTF-8; errors escape them" t_bytes_stay_bytes

# A unix socket listener on the host at each PATH, answering "HOST" to whoever connects.
listen_at() { # listen_at PATH...
    python3 - "$@" <<'PY' &
import os, socket, sys, select
servers = []
for path in sys.argv[1:]:
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    os.chmod(path, 0o777)
    s.listen(8)
    servers.append(s)
open(sys.argv[1] + ".ready", "w").close()
while True:
    ready, _, _ = select.select(servers, [], [], 60)
    if not ready:
        break
    for s in ready:
        c, _ = s.accept()
        try:
            c.sendall(b"HOST")
        except OSError:
            pass  # the client may be gone already: the listener must outlive it
        c.close()
PY
    track_pid $!
    wait_file "$1.ready" || fail "the socket listener did not start"
    rm -f "$1.ready"
}

# Inside the sandbox: read each marker and connect to each socket, by absolute path and by name
# (from the starting directory); print what answered.
PROBE_PY='
import os, socket, sys
for path in sys.argv[1:]:
    for name in (path, os.path.basename(path)):
        try:
            if path.endswith(".sock"):
                c = socket.socket(socket.AF_UNIX); c.settimeout(2); c.connect(name); print("REACHED", name)
            else:
                open(name).read(); print("REACHED", name)
        except Exception:
            pass
print("cwd", os.getcwd())
'

t_current_directory_never_reexposes() {
    make_home
    local tag=sbox-it-$$-$RANDOM runtime=$CT/runtime places=() p
    mkdir -m 700 "$runtime" && own "$runtime"
    # Where sbox may be started: the root, the home and above it, the places every user shares or
    # where services listen, the runtime directory, sbox's own profile directory.
    # And a directory every user may write in, in /tmp or anywhere: what is there may be anyone's.
    mkdir -m 1777 "/tmp/$tag.open" "$CT/open" && track_file "/tmp/$tag.open" || fail "mkdir"
    places=(/ "$CT/home" "$CT" /tmp /var/tmp /dev/shm /run "$runtime" "$CT/home/.config/sbox" "/tmp/$tag.open"
            "$CT/open")
    local markers=() sockets=()
    for p in "${places[@]}"; do
        [[ -d $p ]] || continue
        markers+=("${p%/}/$tag.marker"); sockets+=("${p%/}/$tag.sock")
        echo host-file >"${p%/}/$tag.marker" && chmod 644 "${p%/}/$tag.marker"
        track_file "${p%/}/$tag.marker"; track_file "${p%/}/$tag.sock"
    done
    # tmux's, ssh-agent's and X11's sockets live in a directory of /tmp.
    mkdir -p "/tmp/$tag.d" && chmod 777 "/tmp/$tag.d" && track_file "/tmp/$tag.d"
    sockets+=("/tmp/$tag.d/$tag.sock")
    listen_at "${sockets[@]}"
    # Control: the probe reaches them all from the host.
    [[ $(as_user python3 -c "$PROBE_PY" "${markers[@]}" "${sockets[@]}" | grep -c '^REACHED /') -eq $(( ${#markers[@]} + ${#sockets[@]} )) ]] \
        || fail "control: the host probe does not reach every marker and socket"
    local profile start
    for profile in default ci strict gui browser; do
        for start in "${places[@]}" /proc /sys /dev; do
            cd "$start" || fail "cd $start"
            as_user env -u XDG_CONFIG_HOME HOME="$CT/home" XDG_RUNTIME_DIR="$runtime" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" --profile "$profile" \
                -- /usr/bin/python3 -c "$PROBE_PY" "${markers[@]}" "${sockets[@]}" </dev/null >"$CT/.out" 2>"$CT/.err"
            RC=$?; OUT=$(<"$CT/.out"); ERR=$(<"$CT/.err")
            printf '%s from %s: rc=%s out: %s err: %s\n' "$profile" "$start" "$RC" "$(oneline "$OUT")" "$(oneline "$ERR")"
            [[ $OUT != *REACHED* ]] || fail "--profile $profile started from $start reached the host: $(oneline "$OUT")"
            # The probe ran: strict, with no home and no ro-cwd, starts it in /.
            [[ $RC -eq 0 && $OUT == *"cwd "* ]] || fail "--profile $profile from $start: the probe did not run (rc=$RC): $(oneline "$OUT $ERR")"
            if [[ $profile != strict ]]; then
                [[ $OUT == *"cwd $CT/home"* ]] || fail "--profile $profile from $start: not run in its home: $(oneline "$OUT $ERR")"
                [[ $ERR == *"the current directory ${start%/}"*"is not exposed"* || $ERR == *"the current directory /"*"is not exposed"* ]] \
                    || fail "--profile $profile from $start: sbox did not say why the directory is not there: $(oneline "$ERR")"
            fi
        done
    done
    cd "$CT" || fail "cd"
}
add_case "the current directory never re-exposes the root, the home, shared places, services or sbox's own files" t_current_directory_never_reexposes

t_home_through_a_symlink_stays_private() {
    # HOME spelled through a symlink (as where /home is a link): started in the real home, the
    # current directory must not bring it back.
    mkdir -p "$CT/real/home/.ssh" && echo key >"$CT/real/home/.ssh/id_marker" && ln -s real/home "$CT/linked" && own "$CT/real"
    cd "$CT/real/home" || fail "cd"
    as_user env HOME="$CT/linked" "$SBOX_BIN" -- sh -c 'cat .ssh/id_marker "$HOME/.ssh/id_marker" 2>/dev/null; pwd' </dev/null >"$CT/.out" 2>"$CT/.err"
    [[ $(<"$CT/.out") != *key* ]] || fail "the real home was exposed through its symlinked spelling: $(<"$CT/.err")"
    [[ $(<"$CT/.err") == *"it is the home directory"* ]] || fail "sbox did not say why: $(<"$CT/.err")"
    cd "$CT" || fail "cd"
}
add_case "the current directory: a home reached through a symlink stays private" t_home_through_a_symlink_stays_private

t_workspace_in_a_shared_directory() {
    make_home
    # ci started from /tmp itself runs, in its home, and writes nothing to the host's /tmp ...
    local tag=sbox-it-$$-$RANDOM
    track_file "/tmp/$tag"
    cd /tmp || fail "cd"
    run_home --profile ci -- sh -c "touch ./$tag && pwd"
    expect_ok "ci started from /tmp still runs"
    expect_out "$CT/home" "ci started from /tmp starts in its home"
    [[ ! -e /tmp/$tag ]] || fail "ci started from /tmp wrote the host's /tmp"
    # ... and a workspace made in /tmp or /var/tmp is the workspace.
    local w
    for w in "/tmp/$tag.build" "/var/tmp/$tag.job"; do
        mkdir -p "$w" && own "$w" && track_file "$w"
        cd "$w" || fail "cd $w"
        run_home --profile ci -- sh -c 'echo built >out && pwd'
        expect_ok "ci in $w"
        expect_out "$w" "ci in $w starts there"
        [[ $(<"$w/out") == built ]] || fail "ci in $w: the workspace's file is not on the host"
    done
    cd "$CT" || fail "cd"
}
add_case "a workspace in /tmp or /var/tmp is usable with ci; /tmp itself is not exposed" t_workspace_in_a_shared_directory

t_current_directory_swapped_while_sbox_starts() {
    # Another user's project in /tmp: its owner swaps a directory above the caller's current directory
    # for a symlink to / in a loop (renameat2 RENAME_EXCHANGE) while the caller starts sbox there.
    # Bound by its path, the current directory would have been the host's /tmp (read-only under
    # default: its sockets connect; writable under ci, where the home is not beneath /tmp).
    make_home
    local tag=sbox-it-$$-$RANDOM race i leaked=0 ran=0
    race=/tmp/$tag.race
    mkdir -p "$race/bdir/tmp" && ln -s / "$race/blink" && track_file "$race" || fail "mkdir"
    chmod 755 "$race" "$race/bdir" "$race/bdir/tmp"
    echo host >"/tmp/$tag.marker" && chmod 644 "/tmp/$tag.marker" && track_file "/tmp/$tag.marker"
    cd "$race/bdir/tmp" || fail "cd"  # (before the swaps: where the caller really is)
    python3 - "$race" <<'PY' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
a, b = (os.path.join(sys.argv[1], n).encode() for n in ("bdir", "blink"))
end = time.time() + 120
while time.time() < end and os.path.exists(sys.argv[1]):
    libc.renameat2(-100, a, -100, b, 2)  # RENAME_EXCHANGE
PY
    local swapper=$!
    track_pid "$swapper"
    for ((i = 0; i < 100; i++)); do
        OUT=$(as_user env HOME="$CT/home" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" --profile default -- \
            sh -c "cat ./$tag.marker 2>/dev/null; echo ran" </dev/null 2>/dev/null)
        [[ $OUT == *host* ]] && leaked=$((leaked + 1))
        [[ $OUT == *ran* ]] && ran=$((ran + 1))
    done
    cd "$CT" || fail "cd"
    kill "$swapper" 2>/dev/null; wait "$swapper" 2>/dev/null
    echo "100 starts: $ran ran, $leaked saw the host's /tmp"
    [[ $leaked -eq 0 ]] || fail "$leaked of 100 starts bound the host's /tmp as the current directory"
    [[ $ran -gt 0 ]] || fail "no start ran at all"
}
add_case "the current directory swapped for a symlink while sbox starts is never bound elsewhere" \
    t_current_directory_swapped_while_sbox_starts

t_sandbox_cannot_change_sboxs_policy() {
    # CI caches often put XDG_CONFIG_HOME in the workspace. A program there renames the directory
    # above sbox's hidden one away, makes a new one, and plants ci.local for the next run.
    make_home
    local w; w=$(scratch workspace)
    mkdir -p "$w/.config" && own "$w"
    local attack='mv .config .config.old 2>/dev/null; mkdir -p .config/sbox/profiles 2>/dev/null &&
        printf "setenv PLANTED yes\nunsafe-no-seccomp\n" >.config/sbox/profiles/ci.local 2>/dev/null && echo PLANTED'
    cd "$w" || fail "cd"
    as_user env HOME="$CT/home" XDG_CONFIG_HOME="$w/.config" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" --profile ci -- sh -c "$attack" \
        </dev/null >"$CT/.out" 2>"$CT/.err"
    printf 'attack: out %s err %s\n' "$(<"$CT/.out")" "$(<"$CT/.err")"
    [[ ! -e $w/.config/sbox/profiles/ci.local && -d $w/.config ]] || fail "the sandbox planted a profile for the next run"
    [[ $(<"$CT/.err") == *"is not exposed, as it holds sbox's own files ($w/.config/sbox)"* ]] || fail "sbox did not say why the workspace is not there"
    as_user env HOME="$CT/home" XDG_CONFIG_HOME="$w/.config" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" --profile ci -- sh -c 'echo "${PLANTED:-no}"' \
        </dev/null >"$CT/.out" 2>/dev/null
    [[ $(<"$CT/.out") == no ]] || fail "the next run obeyed a planted profile"
    # The same through an explicit writable bind, and through a symlink that hides the place.
    run_home --rw "$w" -- true
    expect_rc 0 "control: the workspace itself is no problem while the configuration is elsewhere"
    as_user env HOME="$CT/home" XDG_CONFIG_HOME="$w/.config" "$SBOX_BIN" --rw "$w" -- true </dev/null >/dev/null 2>"$CT/.err"
    [[ $? -eq 125 && $(<"$CT/.err") == *"holds sbox's own files ($w/.config/sbox)"* ]] || fail "--rw of a directory above sbox's own files ran"
    # A --landlock-write path that leads through a symlink into the configuration.
    ln -s .config "$w/ws" && own "$w"
    as_user env HOME="$CT/home" XDG_CONFIG_HOME="$w/.config" "$SBOX_BIN" --bind "$w" /x --landlock-write /x/ws -- true </dev/null >/dev/null 2>"$CT/.err"
    [[ $? -eq 125 && $(<"$CT/.err") == *"leads through a symlink"* ]] || fail "--landlock-write through a symlink into sbox's files ran: $(<"$CT/.err")"
    ln -s "$w/.config" "$CT/home/linked-config" && own "$CT/home"
    as_user env HOME="$CT/home" XDG_CONFIG_HOME="$CT/home/linked-config" "$SBOX_BIN" --rw "$w" -- true </dev/null >/dev/null 2>"$CT/.err"
    [[ $? -eq 125 && $(<"$CT/.err") == *"holds sbox's own files ($w/.config/sbox)"* ]] \
        || fail "a symlinked configuration directory hid that --rw reaches it: $(<"$CT/.err")"
    cd "$CT" || fail "cd"
}
add_case "a sandbox cannot change sbox's own policy: the rename attack, --rw above it, a symlink" t_sandbox_cannot_change_sboxs_policy

t_poisoned_filter_cache_is_not_loaded() {
    # strict's filter is compiled once and cached. A cache entry whose program was replaced with one
    # that allows everything (as a program that reached the cache would write it) must not be loaded.
    make_home
    run_home --profile strict -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_out "socket 1" "control: strict refuses socket() with EPERM"
    local entry; entry=$(ls "$CT/home/.cache/sbox/seccomp/"*.bpf 2>/dev/null | head -1)
    [[ -n $entry ]] || fail "no filter was cached"
    python3 - "$entry" <<'PY' || fail "could not poison the entry"
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
allow = bytes([0x06, 0, 0, 0, 0, 0, 0xff, 0x7f])  # BPF_RET | BPF_K, SECCOMP_RET_ALLOW
for offset in range(16, len(data) - 16, 8):
    data[offset:offset + 8] = allow
open(path, "wb").write(data)
PY
    run_home --profile strict -- /usr/bin/python3 -c "$SOCKET_PY"
    expect_out "socket 1" "a poisoned cache entry was loaded, or the filter was not compiled again"
}
add_case "a filter cache entry changed by someone else is compiled again, not loaded" t_poisoned_filter_cache_is_not_loaded

t_credentials_stay_outside() {
    make_home
    local w; w=$(scratch work)
    cd "$w" || fail "cd"
    local libm; libm=$(ls /usr/lib/*/libm.so.6 2>/dev/null | head -1)
    local secrets=(GITHUB_TOKEN=ghp_secret AWS_SECRET_ACCESS_KEY=aws_secret NPM_TOKEN=npm_secret SSH_AUTH_SOCK=/tmp/ssh-x/agent
                   "LD_PRELOAD=$libm" DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/0/bus CI_JOB_TOKEN=job_secret
                   MYSQL_PWD=mysql_secret GPG_PASSPHRASE=gpg_secret DATABASE_URL=postgres://u:db_secret@db/app
                   https_proxy=http://u:proxy_secret@proxy:3128 SENTRY_DSN=https://dsn_secret@sentry/1)
    local profile
    for profile in default ci gui browser; do
        as_user env -u XDG_CONFIG_HOME HOME="$CT/home" "${secrets[@]}" CC=gcc CFLAGS=-O2 CI=true LANG=C.UTF-8 TERM=dumb \
            "$SBOX_BIN" --profile "$profile" -- /usr/bin/env </dev/null >"$CT/.out" 2>"$CT/.err"
        OUT=$(<"$CT/.out")
        printf '%s: %s\n' "$profile" "$(oneline "$OUT")"
        [[ $OUT != *secret* && $OUT != *SSH_AUTH_SOCK* && $OUT != *LD_PRELOAD* && $OUT != *DBUS_SESSION* ]] \
            || fail "--profile $profile: a credential reached the program: $(oneline "$(grep -E 'secret|SSH_AUTH|LD_PRELOAD|DBUS' <<<"$OUT")")"
        local kept
        for kept in CC=gcc CFLAGS=-O2 CI=true LANG=C.UTF-8 TERM=dumb; do
            grep -qx "$kept" <<<"$OUT" || fail "--profile $profile: $kept did not reach the program"
        done
    done
    # keepenv keeps one on purpose; explain says what is dropped and why; --verbose, how many.
    as_user env HOME="$CT/home" "${secrets[@]}" "$SBOX_BIN" --profile ci --keepenv GITHUB_TOKEN -- /usr/bin/env </dev/null >"$CT/.out" 2>/dev/null
    grep -qx GITHUB_TOKEN=ghp_secret "$CT/.out" || fail "keepenv GITHUB_TOKEN did not keep it"
    grep -q NPM_TOKEN "$CT/.out" && fail "keepenv GITHUB_TOKEN kept NPM_TOKEN too"
    OUT=$(as_user env HOME="$CT/home" "${secrets[@]}" "$SBOX_BIN" explain --profile ci 2>&1)
    [[ $OUT == *"dropped GITHUB_TOKEN: credential-shaped (TOKEN)"* && $OUT == *"dropped LD_PRELOAD: injects code into every program"* ]] \
        || fail "explain does not say what is dropped: $(oneline "$OUT")"
    [[ $OUT == *"dropped https_proxy: a URL with a password"* ]] || fail "explain does not say why https_proxy is dropped"
    ERR=$(as_user env -i PATH="$PATH" HOME="$CT/home" "${secrets[@]}" "$SBOX_BIN" --verbose --profile ci -- true 2>&1 </dev/null)
    [[ $ERR == *"environment: 12 credential-shaped variables dropped"* ]] || fail "--verbose does not say how many: $(oneline "$ERR")"
    cd "$CT" || fail "cd"
}
add_case "credential-shaped variables stay outside under default, ci, gui and browser; keepenv keeps one" t_credentials_stay_outside

t_share_pid_leaves_nothing_running() {
    # Without a PID namespace, what the program starts must end with the sandbox too: at --timeout,
    # when the program exits, and when sbox itself is killed.
    local n=$((RANDOM + 20000)) left
    running() { pgrep -f "sleep $1" 2>/dev/null | tr '\n' ' '; }
    # (run_sb takes 124 for its own timeout.)
    "${SB_CMD[@]}" "${BASE[@]}" --share-pid --timeout 1 -- sh -c "sleep $n & sleep $((n + 1)) & wait" </dev/null >/dev/null 2>&1
    RC=$?
    expect_rc 124 "--timeout"
    sleep 0.2; left=$(running "$n")$(running "$((n + 1))")
    [[ -z $left ]] || { kill $left; fail "--share-pid --timeout left processes running: $left"; }
    run_sb "${BASE[@]}" --share-pid -- sh -c "sleep $((n + 2)) & echo started"
    expect_out started "the program exits, leaving a child"
    sleep 0.2; left=$(running "$((n + 2))")
    [[ -z $left ]] || { kill $left; fail "--share-pid left the program's child running: $left"; }
    sb_bg "${BASE[@]}" --share-pid -- sh -c "sleep $((n + 3)) & sleep $((n + 4))"
    local i
    for ((i = 0; i < 100; i++)); do [[ -n $(running "$((n + 3))") ]] && break; sleep 0.05; done
    [[ -n $(running "$((n + 3))") ]] || fail "the program did not start"
    kill -KILL "$BG_PID"
    for ((i = 0; i < 40; i++)); do [[ -z $(running "$((n + 3))")$(running "$((n + 4))") ]] && break; sleep 0.05; done
    left=$(running "$((n + 3))")$(running "$((n + 4))")
    [[ -z $left ]] || { kill $left; fail "killing sbox left the sandbox's processes running: $left"; }
}
add_case "--share-pid: what the program started ends with the sandbox (timeout, exit, sbox killed)" t_share_pid_leaves_nothing_running

t_errors_not_crashes() {
    make_home
    # An include chain far deeper than any profile needs is an error, not a crash.
    local d=$CT/home/.config/sbox/profiles i
    for ((i = 0; i < 10000; i++)); do printf 'include %s/p%d.profile\n' "$d" $((i + 1)) >"$d/p$i.profile"; done
    echo "share-net" >"$d/p10000.profile"; own "$CT/home"
    run_home --profile "$d/p0.profile" -- true
    expect_rc 125 "a deep include chain"
    expect_err_has "includes nest more than 32 deep" "the error says why"
    # A diamond of includes (each file twice in the next) would read 2^20 lines: stopped early.
    for ((i = 0; i < 20; i++)); do printf 'include %s/d%d.profile\ninclude %s/d%d.profile\n' "$d" $((i + 1)) "$d" $((i + 1)) >"$d/d$i.profile"; done
    echo "share-net" >"$d/d20.profile"; own "$CT/home"
    SECONDS=0
    run_home --profile "$d/d0.profile" -- true
    expect_rc 125 "an include diamond"
    expect_err_has "the profiles give more than 4096 directives" "the error says why"
    (( SECONDS < 10 )) || fail "the include diamond took ${SECONDS}s"
    # A NUL byte in a profile would cut its path short: an error.
    printf 'include default\nro /tmp/\x00x\n' >"$d/nul.profile"; own "$CT/home"
    run_home --profile "$d/nul.profile" -- true
    expect_rc 125 "a NUL byte in a profile"
    expect_err_has "nul.profile:2: a NUL byte" "the error names the line"
    # Too many options: an error at once, not a minute of mounting.
    local args=() n
    for ((n = 0; n < 50000; n++)); do args+=(--tmpfs /x); done
    SECONDS=0
    run_home "${args[@]}" -- true
    expect_rc 125 "50,000 --tmpfs"
    expect_err_has "more than 4096 options" "the error says why"
    (( SECONDS < 10 )) || fail "50,000 --tmpfs took ${SECONDS}s"
    # sbox's own standard error, output or input is never read to its end and closed.
    local option
    for option in "--file 2 /x" "--ro-bind-data 1 /x" "--seccomp 2" "--add-seccomp-fd 0" "--args 2"; do
        run_sb "${BASE[@]}" $option -- true
        expect_rc 125 "$option"
        [[ $ERR == *"descriptor ${option//[^0-9]/}"*"is sbox's"* ]] || fail "$option: no word on what is wrong: $(oneline "$ERR")"
    done
    # A limit too small for any program to start is refused; one that kills it is explained.
    run_sb "${BASE[@]}" --rlimit-as 1k -- true
    expect_rc 125 "--rlimit-as 1k"
    expect_err_has "--rlimit-as 1k: no program starts in less than 1M of address space" "the error says why"
    run_sb "${BASE[@]}" --rlimit-as 1M -- /usr/bin/python3 -c 'x = bytearray(1 << 26)'
    expect_rc 139 "a program out of address space (SIGSEGV)"
    expect_err_has "it may have run out of address space (--rlimit-as 1M)" "sbox says why the program was killed"
}
add_case "errors, not crashes: include depth, include diamonds, option counts, descriptors 0-2, tiny limits" t_errors_not_crashes

t_a_stopped_program_does_not_hang_sbox() {
    # sbox leading its own session (a terminal emulator's, sshd's): a program that stops itself
    # cannot stop sbox there (nobody would resume it), so it is continued.
    command -v script >/dev/null || skip "script (util-linux) is not installed"
    make_home
    as_user env HOME="$CT/home" timeout -s KILL 20 script -qec "$SBOX_BIN -- sh -c 'kill -STOP \$\$; echo continued'" /dev/null \
        </dev/null >"$CT/.out" 2>"$CT/.err"
    RC=$?
    [[ $RC -eq 0 && $(<"$CT/.out") == *continued* ]] || fail "sbox hung or the program stayed stopped (rc=$RC): $(oneline "$(<"$CT/.out")")"
}
add_case "a program that stops itself where no shell could resume sbox is continued" t_a_stopped_program_does_not_hang_sbox

t_device_nodes_stay_the_hosts() {
    # The sandbox's /dev nodes are the host's: as the host's root, chmod or utimes through them
    # would change the host's (chmod 000 /dev/null breaks the machine).
    make_home
    local before; before=$(stat -c '%a %Y' /dev/null /dev/full)
    run_home -- sh -c 'chmod 0600 /dev/null 2>/dev/null; touch -m -d 2001-01-01 /dev/full 2>/dev/null
        echo x >/dev/null && head -c 3 /dev/zero | wc -c'
    local after; after=$(stat -c '%a %Y' /dev/null /dev/full)
    [[ $after == "$before" ]] || { chmod 666 /dev/null; fail "the sandbox changed the host's device nodes: $before -> $after"; }
    expect_out "3" "the devices still work for reading and writing"
    # Output and errors to /dev/null, as scripts send them: the program runs (they are reopened).
    as_user env HOME="$CT/home" "$SBOX_BIN" -- sh -c 'echo out; echo err >&2' </dev/null >/dev/null 2>/dev/null
    [[ $? -eq 0 ]] || fail "a program whose output and errors go to /dev/null did not run"
    # Nor through a standard descriptor that is the host's device (cron and systemd give /dev/null):
    # a copy of the node here, as only root can make one; it is the same device.
    if [[ $MUID == 0 ]]; then
        mknod -m 666 "$CT/null" c 1 3 || fail "mknod"
        RUN_STDIN=$CT/null run_home -- sh -c 'chmod 600 /proc/self/fd/0 2>/dev/null; cat /proc/self/fd/0 && echo read'
        [[ $(stat -c %a /dev/null) == 666 ]] || { chmod 666 /dev/null; fail "the sandbox changed the host's /dev/null"; }
        [[ $(stat -c %a "$CT/null") == 666 ]] || fail "the sandbox changed the device node of its standard input"
        expect_out "read" "the standard input is still the null device, and opens again as it was"
        # The same in a sandbox with no /dev, by fchmod.
        RUN_STDIN=$CT/null run_sb --profile none --ro /usr --symlink usr/bin /bin --symlink usr/lib /lib \
            --symlink usr/lib64 /lib64 -- /usr/bin/python3 -c 'import os
try: os.fchmod(0, 0o600)
except OSError as e: print("refused", e.errno)'
        [[ $(stat -c %a "$CT/null") == 666 ]] || fail "a sandbox without /dev changed the device node of its standard input"
        expect_out "refused 30" "fchmod of the standard input: EROFS"
        # A device node whose path is gone (deleted, still linked elsewhere) cannot be handed over
        # read-only: nothing runs, and sbox says why.
        mknod -m 666 "$CT/gone" c 1 3 && ln "$CT/gone" "$CT/kept" || fail "mknod"
        exec 7<"$CT/gone"; rm "$CT/gone"
        RUN_STDIN=/proc/self/fd/7 run_home -- sh -c 'echo ran'
        exec 7<&-
        expect_rc 125 "a device on standard input whose node is gone"
        expect_err_has "descriptor 0 is a device of yours whose node" "sbox says why"
        [[ -z $OUT && $(stat -c %a "$CT/kept") == 666 ]] || fail "the program ran, or changed the node"
    fi
}
add_case "the sandbox's device nodes are the host's, read-only: no chmod, no utimes" t_device_nodes_stay_the_hosts

# A shell in a tmux pane of its own (as the mode's user), for what only a terminal shows.
tmux_start() {
    command -v tmux >/dev/null || skip "tmux is not installed"
    TMUX_SOCKET=$CT/tmux.sock
    # SHELL is set: tmux runs the pane's command with it, and without it with the user's login
    # shell, which for nobody is nologin (CI starts with no SHELL: the pane ended at once).
    as_user env HOME="$CT/home" PATH="$PATH" SHELL=/bin/sh tmux -f /dev/null -S "$TMUX_SOCKET" \
        new-session -d -x 100 -y 30 "bash --norc --noprofile" || fail "tmux did not start"
    track_file "$TMUX_SOCKET"
    tmux_keys "cd $CT && PS1='host\$ ' && clear" Enter
}
tmux_keys() { as_user tmux -S "$TMUX_SOCKET" send-keys -t 0 "$@"; }
tmux_screen() { as_user tmux -S "$TMUX_SOCKET" capture-pane -t 0 -p -S -200; }
tmux_stop() { as_user tmux -S "$TMUX_SOCKET" kill-server 2>/dev/null; }
# tmux_fail WHY: the case fails with what the pane showed last (CI keeps only the failure's line).
tmux_fail() {
    local pane; pane=$(tmux_screen 2>&1 | grep -v '^$' | tail -n 12)
    tmux_stop
    fail "$1; the pane's last lines: $(oneline "$pane")"
}
# tmux_wait TEXT [SECONDS]: until the pane shows TEXT (an extended regex).
tmux_wait() {
    local i n=$(( ${2:-10} * 10 ))
    for ((i = 0; i < n; i++)); do
        tmux_screen | grep -Eq -- "$1" && return 0
        sleep 0.1
    done
    return 1
}

t_terminal_stays_with_the_user() {
    make_home
    tmux_start
    local sbox="env HOME=$CT/home $SBOX_BIN"
    # The attack: a program in the background reads the user's terminal. Its terminal is its own now.
    # It starts in a workspace (not in $CT, which holds the home) so that what it read shows on the host.
    mkdir "$CT/work"; own "$CT/work"
    tmux_wait "^host\\$" || tmux_fail "the shell in the pane did not start"
    tmux_keys "cd work" Enter
    tmux_keys "$sbox --profile ci -- sh -c 'exec cat > stolen' &" Enter
    tmux_keys "cd $CT" Enter
    local i
    for ((i = 0; i < 100; i++)); do [[ -e $CT/work/stolen ]] && break; sleep 0.1; done
    [[ -e $CT/work/stolen ]] || tmux_fail "the program in the background did not start in its workspace"
    tmux_keys "echo typed-at-the-shell" Enter
    tmux_wait "^typed-at-the-shell" || tmux_fail "the shell did not get what was typed"
    tmux_keys "kill %1; clear" Enter
    sleep 0.5
    [[ ! -s $CT/work/stolen ]] || tmux_fail "a background program read the user's terminal: $(<"$CT/work/stolen")"
    # A shell inside has job control: Ctrl-C ends its foreground job at once, Ctrl-Z stops it.
    tmux_keys "$sbox -- bash --norc --noprofile -i" Enter
    sleep 1
    tmux_keys "PS1='in\$ '; set -m; stty size; sleep 30" Enter
    tmux_wait "^30 100" || tmux_fail "the program's terminal does not have the window's size"
    tmux_keys C-c
    tmux_keys "echo interrupted; sleep 31" Enter
    tmux_wait "^interrupted" 3 || tmux_fail "Ctrl-C did not reach the sandbox's foreground job"
    sleep 0.5
    tmux_keys C-z
    tmux_wait "Stopped +sleep 31" 3 || tmux_fail "Ctrl-Z did not stop the shell's job"
    tmux_keys "fg" Enter
    sleep 0.5
    tmux_keys C-c
    tmux_keys "exit" Enter
    sleep 0.5
    tmux_keys "clear; echo \"\$PS1\"" Enter
    tmux_wait "^host\\$ ?$" || tmux_fail "the shell in the sandbox did not exit"
    # Ctrl-Z stops a program that is not a shell (its group is not orphaned), and sbox with it.
    tmux_keys "clear; $sbox -- sh -c 'cat; echo cat-ended'" Enter
    sleep 1
    tmux_keys C-z
    tmux_wait "Stopped" 3 || tmux_fail "Ctrl-Z did not stop cat in the sandbox"
    tmux_keys "fg" Enter
    sleep 0.5
    tmux_keys "typed-after-fg" Enter
    tmux_wait "^typed-after-fg" 3 || tmux_fail "input did not reach the program after fg"
    tmux_keys C-d
    tmux_wait "^cat-ended" 3 || tmux_fail "end of input did not reach the program"
    # A job started in the background and brought to the foreground (fg sends no SIGCONT to a running job).
    tmux_keys "clear; $sbox -- sh -c 'read line; echo \"got \$line\"' &" Enter
    sleep 1
    tmux_keys "fg" Enter
    sleep 0.8
    tmux_keys "hello" Enter
    tmux_wait "^got hello" 3 || tmux_fail "a job brought to the foreground does not get its input"
    # A program that stops itself suspends sbox too; fg resumes both; the terminal's modes come back.
    tmux_keys "clear; $sbox -- sh -c 'echo before; kill -STOP \$\$; echo resumed'" Enter
    tmux_wait "Stopped" || tmux_fail "sbox was not suspended with its program"
    tmux_keys "stty -a | grep -o ' icanon'; fg" Enter
    tmux_wait "^resumed" || tmux_fail "fg did not resume the program"
    tmux_screen | grep -q "^ icanon" || tmux_fail "the terminal's modes were not restored while sbox was stopped"
    # No output is lost at exit, the exit status is the program's, and the REPL works.
    tmux_keys "clear; $sbox -- sh -c 'seq 1 20000; exit 3'; echo rc=\$?" Enter
    tmux_wait "^rc=3" || tmux_fail "the exit status changed"
    tmux_screen | grep -q "^20000$" || tmux_fail "the program's last output was lost"
    tmux_keys "clear; $sbox -- python3 -q" Enter
    sleep 1
    tmux_keys "print(6 * 7)" Enter
    tmux_wait "^42" || tmux_fail "the python3 REPL does not answer"
    tmux_keys "exit()" Enter
    sleep 1
    # A program that stops itself under a script stops the script's whole job, as Ctrl-Z would; fg
    # resumes it all. It cannot outlive --timeout by stopping: it is continued instead.
    printf '%s\n' "$sbox -- sh -c 'kill -STOP \$\$; echo continued'" 'echo rc=$?' >"$CT/stopper.sh"
    tmux_keys "clear; bash $CT/stopper.sh" Enter
    tmux_wait "Stopped" 3 || tmux_fail "a program that stopped itself did not stop the script's job"
    tmux_keys "fg" Enter
    tmux_wait "^rc=0" || tmux_fail "fg did not resume the script's job"
    tmux_screen | grep -q "^continued" || tmux_fail "the program was not continued"
    # sbox continued while it runs (kill -CONT): the terminal's modes are the caller's again at exit.
    tmux_keys "clear; $sbox -- sleep 3; stty -a | grep -o ' icanon'" Enter
    sleep 1.5
    pkill -CONT -u "$MUID" -f -x "$SBOX_BIN -- sleep 3"
    tmux_wait "^ icanon" 6 || tmux_fail "a SIGCONT to a running sbox left the terminal raw"
    # In the background with stty tostop, sbox's output stops it as any job's would.
    tmux_keys "clear; stty tostop; $sbox -- sh -c 'sleep 0.5; echo bg-out' &" Enter
    sleep 2
    tmux_keys "" Enter  # (the shell tells of a stopped job before its next prompt)
    tmux_wait "Stopped" 5 || tmux_fail "sbox wrote to the terminal from the background despite tostop"
    tmux_screen | grep -q "^bg-out" && tmux_fail "sbox wrote to the terminal from the background despite tostop"
    tmux_keys "stty -tostop; fg" Enter
    tmux_wait "^bg-out" || tmux_fail "the output did not come after fg"
    tmux_keys "clear; $sbox --timeout 2 -- sh -c 'kill -STOP \$\$; sleep 30'; echo rc=\$?" Enter
    tmux_wait "^rc=124" || tmux_fail "a program that stopped itself outlived --timeout"
    # The program's pseudo-terminal is not made readable by others through /dev/console (its mount
    # is read-only): another user would read what is typed.
    tmux_keys "clear; $sbox -- sh -c 'chmod 666 /dev/console /proc/self/fd/0 2>/dev/null; stat -L -c console=%a /dev/console'" Enter
    tmux_wait "^console=" || tmux_fail "the console check did not run"
    tmux_screen | grep -q "^console=666" && tmux_fail "the sandbox made its pseudo-terminal readable by every user"
    # Nor with no /dev at all, by fchmod.
    printf '%s\n' 'import os' 'try:' '    os.fchmod(0, 0o666); print("fchmod=done")' \
        'except OSError as e:' '    print("fchmod=%d" % e.errno)' >"$CT/fchmod.py"
    chmod 644 "$CT/fchmod.py"
    tmux_keys "clear; $sbox --profile none --ro /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --ro $CT/fchmod.py -- /usr/bin/python3 $CT/fchmod.py" Enter
    tmux_wait "^fchmod=" || tmux_fail "the fchmod check did not run"
    tmux_screen | grep -q "^fchmod=30" || tmux_fail "a sandbox without /dev made its pseudo-terminal readable by every user"
    # The caller's terminal is not in the sandbox, not even as /dev/console.
    tmux_keys "clear; stat -L -c host=%t:%T /proc/self/fd/0; $sbox -- stat -L -c inside=%t:%T /proc/self/fd/0 /dev/console" Enter
    tmux_wait "^inside=.*" || tmux_fail "the terminal check did not run"
    local screen host; screen=$(tmux_screen); host=$(grep -o '^host=[0-9a-f:]*' <<<"$screen")
    [[ -n $host && $(grep -c "^inside=${host#host=}$" <<<"$screen") -eq 0 ]] || tmux_fail "the caller's terminal is in the sandbox"
    # A stop sent to sbox itself (kill -TSTP): the terminal's modes come back, and after fg the relay
    # makes the terminal raw again (else what is typed would be echoed twice, by both terminals).
    tmux_keys "clear; $sbox -- sh -c 'read x; echo \"got \$x\"'" Enter
    sleep 1
    local relay; relay=$(pgrep -u "$MUID" -f -x "$SBOX_BIN -- sh -c read x; echo \"got \\\$x\"" | head -1)
    [[ -n $relay ]] || tmux_fail "the reading program did not start"
    kill -TSTP "$relay"
    tmux_wait "Stopped" 3 || tmux_fail "sbox did not stop on SIGTSTP"
    tmux_keys "stty -a | grep -o ' icanon'; fg" Enter
    sleep 1
    tmux_keys "hello-again" Enter
    tmux_wait "^got hello-again" 3 || tmux_fail "input did not reach the program after sbox was stopped and resumed"
    tmux_screen | grep -q "^ icanon" || tmux_fail "the terminal's modes were not restored when sbox was stopped"
    [[ $(tmux_screen | grep -c "^hello-again") -eq 1 ]] || tmux_fail "after fg the terminal was not raw: typing was echoed twice"
    # A program that never reads while the terminal answers its queries (ESC [6n) cannot make sbox's
    # memory grow: past a bound, the caller's terminal is not read.
    cat >"$CT/ask.py" <<'PY'
import os, sys, time, tty
tty.setraw(0)
end = time.time() + 4
while time.time() < end:
    os.write(1, b"\x1b[6n" * 64)
PY
    chmod 644 "$CT/ask.py"
    tmux_keys "clear; $sbox --ro $CT/ask.py -- python3 $CT/ask.py; echo asked" Enter
    sleep 1
    local relay rss=() i
    relay=$(pgrep -u "$MUID" -f -x "$SBOX_BIN --ro $CT/ask.py -- python3 $CT/ask.py" | head -1)
    [[ -n $relay ]] || tmux_fail "the asking program did not start"
    for i in 1 2; do rss+=("$(awk '/^VmRSS/ { print $2 }' "/proc/$relay/status")"); sleep 2; done
    tmux_wait "asked" || tmux_fail "the asking program did not end"
    (( rss[1] - rss[0] < 4096 )) || tmux_fail "sbox's memory grew from ${rss[0]} kB to ${rss[1]} kB in 2 s"
    # (The last: the answers left in the terminal's queue go to the shell, as after any program.)
    tmux_stop
}
add_case "the terminal stays with the user: a pseudo-terminal, job control, Ctrl-C and Ctrl-Z, suspend and fg, no background reads" t_terminal_stays_with_the_user
