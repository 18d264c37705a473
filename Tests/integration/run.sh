#!/usr/bin/env bash
# Integration tests for sbox.
#
#   SBOX=/path/to/sbox bash Tests/integration/run.sh [PATTERN]
#
# SBOX defaults to $REPO/.build/release/sbox. PATTERN (an extended regex) runs
# only the cases whose name matches it. SBOX_TEST_TIMEOUT (default 30) bounds
# every sbox invocation; SBOX_TEST_VERBOSE=1 prints the log of failed cases.
#
# Every case runs twice: as root ("[root]") and as uid/gid 65534 through
# setpriv ("[unprivileged]"). Cases live in cases.sh, helpers (C sources built
# at start-up) in helpers/. Prints one line per case and mode, then
# "N passed, N failed, N skipped"; exits 1 if anything failed.
set -u

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
SBOX_SRC=${SBOX:-$REPO/.build/release/sbox}
TIMEOUT=${SBOX_TEST_TIMEOUT:-30}
VERBOSE=${SBOX_TEST_VERBOSE:-0}
PATTERN=${1:-}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C
umask 022

if [[ ! -x $SBOX_SRC ]]; then
    echo "run.sh: no sbox binary at $SBOX_SRC (build it, or set SBOX=/path/to/sbox)" >&2
    exit 2
fi
for tool in timeout mktemp; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

# ---------------------------------------------------------------- world setup

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sbox-it.XXXXXX") || exit 2
chmod 755 "$WORK"
mkdir -p "$WORK/bin" "$WORK/cases" "$WORK/.state"
chmod 700 "$WORK/.state"
STATE=$WORK/.state              # root-only bookkeeping: logs, cleanup lists
: >"$STATE/pids" ; : >"$STATE/mounts" ; : >"$STATE/shm" ; : >"$STATE/files"
cp "$SBOX_SRC" "$WORK/bin/sbox" && chmod 755 "$WORK/bin/sbox" || exit 2
SBOX_BIN=$WORK/bin/sbox

HOST_USERNS=$(readlink /proc/self/ns/user)

# Processes in a user namespace other than ours that exist before the run
# (they are not ours; the leak check ignores them).
foreign_userns_pids() {
    local d p
    for d in /proc/[0-9]*; do
        p=${d#/proc/}
        [[ $(readlink "$d/ns/user" 2>/dev/null) == "$HOST_USERNS" ]] && continue
        [[ -e $d/ns/user ]] || continue
        # A zombie has no namespaces left to read; it is dead already.
        echo "$p"
    done
}
foreign_userns_pids | sort >"$STATE/foreign-before"
cp /proc/self/mountinfo "$STATE/mountinfo-before"

cleanup_resources() {
    local p m id f
    local st
    while read -r p st; do
        # Only if it is still the same process (pids get reused).
        [[ -n $p && $(proc_start "$p" 2>/dev/null) == "$st" ]] && kill -KILL "$p" 2>/dev/null
    done <"$STATE/pids"
    : >"$STATE/pids"
    # Newest mounts first.
    if [[ -s $STATE/mounts ]]; then
        tac "$STATE/mounts" | while read -r m; do
            [[ -n $m ]] && umount -l "$m" 2>/dev/null
        done
    fi
    : >"$STATE/mounts"
    while read -r id; do
        [[ -n $id ]] && ipcrm -m "$id" 2>/dev/null
    done <"$STATE/shm"
    : >"$STATE/shm"
    while read -r f; do
        [[ -n $f ]] && rm -rf -- "$f"
    done <"$STATE/files"
    : >"$STATE/files"
}

on_exit() {
    trap - EXIT INT TERM HUP
    [[ -d $STATE ]] && cleanup_resources
    # Anything still mounted below $WORK is ours (the leak check has already
    # reported it): unmount it, deepest first. Never rm -rf through a mount.
    local mp i
    for ((i = 0; i < 50; i++)); do
        mp=$(cut -d' ' -f5 /proc/self/mountinfo | grep -E "^${WORK}(/|\$)" | sort -r | head -1)
        [[ -n $mp ]] || break
        umount -l "$mp" 2>/dev/null || break
    done
    if grep -q " ${WORK}[/ ]" /proc/self/mountinfo 2>/dev/null; then
        echo "run.sh: mounts remain under $WORK; leaving it in place" >&2
    else
        rm -rf -- "$WORK"
    fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Helpers: scripts are copied, C sources built.
for f in "$HERE"/helpers/*; do
    case $f in *.c) ;; *) [[ -f $f ]] && cp "$f" "$WORK/bin/" && chmod 644 "$WORK/bin/${f##*/}" ;; esac
done
HAVE_CC=0
if command -v gcc >/dev/null; then
    HAVE_CC=1
    for src in "$HERE"/helpers/*.c; do
        [[ -e $src ]] || continue
        name=$(basename "$src" .c)
        if ! gcc -O2 -Wall -o "$WORK/bin/$name" "$src" 2>"$STATE/cc-$name.log"; then
            echo "run.sh: building helper $name failed:" >&2
            cat "$STATE/cc-$name.log" >&2
            HAVE_CC=0
        fi
    done
fi

# ----------------------------------------------------------------- modes

NOBODY_UID=65534
NOBODY_GID=65534
if [[ $EUID -eq 0 ]]; then
    if command -v setpriv >/dev/null; then
        MODES=(root unprivileged)
    else
        echo "run.sh: setpriv not found; only the [root] mode runs" >&2
        MODES=(root)
    fi
else
    echo "run.sh: not root; cases run once as uid $EUID ([user]) and root-only setup is skipped" >&2
    MODES=(user)
fi

set_mode() {
    MODE=$1
    case $MODE in
        root)
            MUID=0; MGID=0
            SB_CMD=(timeout -k 5 "$TIMEOUT" "$SBOX_BIN")
            AS_USER=() ;;
        unprivileged)
            # A home of its own, as a real user has (setpriv keeps root's HOME, which uid 65534
            # cannot read: sbox refuses to guess whether a profile is there).
            MUID=$NOBODY_UID; MGID=$NOBODY_GID
            mkdir -p "$WORK/home-nobody"; chown "$MUID:$MGID" "$WORK/home-nobody"
            SB_CMD=(timeout -k 5 "$TIMEOUT" setpriv --reuid="$MUID" --regid="$MGID" --clear-groups env HOME="$WORK/home-nobody" "$SBOX_BIN")
            AS_USER=(setpriv --reuid="$MUID" --regid="$MGID" --clear-groups env HOME="$WORK/home-nobody") ;;
        user)
            MUID=$(id -u); MGID=$(id -g)
            SB_CMD=(timeout -k 5 "$TIMEOUT" "$SBOX_BIN")
            AS_USER=() ;;
    esac
}

# A usable minimal system inside the sandbox (Debian, merged /usr), built only from these options:
# --profile none, so that the default profile adds nothing.
BASE=(--profile none --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib
      --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin
      --proc /proc --dev /dev --tmpfs /tmp)

# ------------------------------------------------------- helpers for cases
# Cases run in a subshell with cwd $CT (a fresh directory owned by the mode's
# user). They call fail/skip (which end the subshell) or return normally.

fail() { printf '%s\n' "$*" >&3; exit 1; }
skip() { printf '%s\n' "$*" >&3; exit 77; }

# Collapse text into a short single line for failure details.
# Prints "socket ok", or "socket ERRNO" when socket() is refused (python3 -c).
SOCKET_PY='import socket
try:
    socket.socket(); print("socket ok")
except OSError as e: print("socket", e.errno)'

oneline() {
    local s=${1//$'\n'/ | }
    (( ${#s} > 400 )) && s="${s:0:400}..."
    printf '%s' "$s"
}

# sb ARGS...: run sbox as the mode's user under timeout.
sb() { "${SB_CMD[@]}" "$@"; }

# as_user CMD...: run a host command as the mode's user.
as_user() { "${AS_USER[@]}" "$@"; }

# run_sb ARGS...: run sbox, capturing RC, OUT, ERR (stdin from /dev/null).
run_sb() {
    "${SB_CMD[@]}" "$@" <"${RUN_STDIN:-/dev/null}" >"$CT/.out" 2>"$CT/.err"
    RC=$?
    OUT=$(<"$CT/.out"); ERR=$(<"$CT/.err")
    printf '$ sbox %s\n  rc=%s\n  out: %s\n  err: %s\n' "$*" "$RC" "$(oneline "$OUT")" "$(oneline "$ERR")"
    if [[ $RC -eq 124 ]]; then
        fail "sbox timed out after ${TIMEOUT}s (sbox $(oneline "$*"))"
    fi
}

# sandbox-side shell snippet shortcut: run_sh [OPTIONS...] -- 'script'
run_sh() {
    local -a opts=()
    while [[ $# -gt 0 && $1 != -- ]]; do opts+=("$1"); shift; done
    shift
    run_sb "${BASE[@]}" "${opts[@]}" -- sh -c "$1"
}

expect_rc() { # expect_rc N WHAT
    [[ $RC -eq $1 ]] || fail "$2: exit status $RC, expected $1; stderr: $(oneline "$ERR")"
}
expect_ok() { expect_rc 0 "$1"; }
expect_out() { # expect_out EXACT WHAT
    [[ $OUT == "$1" ]] || fail "$2: output '$(oneline "$OUT")', expected '$(oneline "$1")'"
}
expect_out_has() {
    [[ $OUT == *"$1"* ]] || fail "$2: output '$(oneline "$OUT")' lacks '$1'"
}
expect_out_lacks() {
    [[ $OUT != *"$1"* ]] || fail "$2: output '$(oneline "$OUT")' contains '$1'"
}
expect_err_has() {
    [[ $ERR == *"$1"* ]] || fail "$2: stderr '$(oneline "$ERR")' lacks '$1'"
}

# scratch NAME: a fresh directory owned by the mode's user, echoed.
scratch() {
    local d=$CT/$1
    mkdir -p "$d" && chown "$MUID:$MGID" "$d" && chmod 755 "$d"
    printf '%s' "$d"
}
own() { chown -R "$MUID:$MGID" "$@"; }

# Bookkeeping for the global cleanup (cases run in subshells).
track_pid() { echo "$1 $(proc_start "$1")" >>"$STATE/pids"; }
track_mount() { echo "$1" >>"$STATE/mounts"; }
track_shm() { echo "$1" >>"$STATE/shm"; }
track_file() { echo "$1" >>"$STATE/files"; }

# wait_for TEST-ARGS...: poll `test ARGS` for up to 10 s.
wait_file() { # wait_file FILE [SECONDS]
    local i n=$(( ${2:-10} * 20 ))
    for ((i = 0; i < n; i++)); do
        [[ -e $1 ]] && return 0
        sleep 0.05
    done
    return 1
}

# sb_bg ARGS...: start sbox in the background (stdout/stderr to $CT/bg.out,
# $CT/bg.err). Sets BG_TO (the timeout process) and BG_PID (sbox itself).
sb_bg() {
    "${SB_CMD[@]}" "$@" </dev/null >"$CT/bg.out" 2>"$CT/bg.err" &
    BG_TO=$!
    track_pid "$BG_TO"
    local i c
    BG_PID=
    for ((i = 0; i < 200; i++)); do
        c=$(cat "/proc/$BG_TO/task/$BG_TO/children" 2>/dev/null)
        c=${c%% *}
        if [[ -n $c && $(readlink "/proc/$c/exe" 2>/dev/null) == "$SBOX_BIN" ]]; then
            BG_PID=$c
            track_pid "$BG_PID"
            return 0
        fi
        sleep 0.05
    done
    fail "could not find the background sbox process"
}
# bg_wait: wait for the background sbox; sets RC, OUT, ERR.
bg_wait() {
    wait "$BG_TO"
    RC=$?
    OUT=$(<"$CT/bg.out"); ERR=$(<"$CT/bg.err")
    printf 'background sbox rc=%s\n  out: %s\n  err: %s\n' "$RC" "$(oneline "$OUT")" "$(oneline "$ERR")"
}

# Host-side process inspection.
proc_ppid() { local s; { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1; s=${s##*) }; set -- $s; echo "$2"; }
proc_sid()  { local s; { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1; s=${s##*) }; set -- $s; echo "$4"; }
proc_start() { local s; { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1; s=${s##*) }; set -- $s; echo "${20}"; }
proc_state() { local s; { s=$(<"/proc/$1/stat"); } 2>/dev/null || return 1; s=${s##*) }; set -- $s; echo "$1"; }
# descendants PID: every process below PID (host pids).
descendants() {
    local -A kids=()
    local d p pp
    for d in /proc/[0-9]*; do
        p=${d#/proc/}
        pp=$(proc_ppid "$p") || continue
        kids[$pp]+="$p "
    done
    local -a queue=("$1") out=()
    while ((${#queue[@]})); do
        p=${queue[0]}; queue=("${queue[@]:1}")
        for pp in ${kids[$p]:-}; do out+=("$pp"); queue+=("$pp"); done
    done
    echo "${out[@]:-}"
}
# find_desc PID TOKEN: the descendant of PID whose command line contains TOKEN.
find_desc() {
    local p cl
    for p in $(descendants "$1"); do
        cl=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
        if [[ $cl == *"$2"* ]]; then echo "$p"; return 0; fi
    done
    return 1
}
# gone PID: true if PID does not exist or is a zombie.
gone() { local st; st=$(proc_state "$1") || return 0; [[ $st == Z || $st == X ]]; }

# ----------------------------------------------------------------- registry

CASE_NAMES=()
CASE_CMDS=()
# add_case NAME FUNCTION [ARGS...]
add_case() {
    local name=$1; shift
    CASE_NAMES+=("$name")
    CASE_CMDS+=("$(printf '%q ' "$@")")
}

source "$HERE/cases.sh"
source "$HERE/profiles.sh"
source "$HERE/seccomp.sh"
source "$HERE/landlock.sh"
source "$HERE/learn.sh"
source "$HERE/boundary.sh"
source "$HERE/egress.sh"
source "$HERE/bwrap.sh"
source "$HERE/programs.sh"
source "$HERE/session.sh"

# ------------------------------------------------------------------ runner

PASS=0; FAILN=0; SKIPN=0; CASE_NO=0

report() { # report STATUS NAME MODE DETAIL LOG
    case $1 in
        ok)   PASS=$((PASS + 1)); echo "ok - $2 [$3]" ;;
        skip) SKIPN=$((SKIPN + 1)); echo "skip - $2 [$3]: $4" ;;
        *)    FAILN=$((FAILN + 1)); echo "not ok - $2 [$3]: $4"
              if [[ $VERBOSE == 1 && -n ${5:-} && -s $5 ]]; then sed 's/^/    # /' "$5"; fi ;;
    esac
}

run_case() { # run_case INDEX MODE
    local name=${CASE_NAMES[$1]} cmd=${CASE_CMDS[$1]}
    CASE_NO=$((CASE_NO + 1))
    set_mode "$2"
    CT=$WORK/cases/$CASE_NO
    mkdir -p "$CT" && chown "$MUID:$MGID" "$CT" && chmod 755 "$CT"
    local log=$STATE/log.$CASE_NO detail=$STATE/detail.$CASE_NO rc
    (
        cd "$CT" || exit 1
        eval "$cmd"
    ) 3>"$detail" >"$log" 2>&1 </dev/null
    rc=$?
    local d; d=$(<"$detail"); d=$(oneline "$d")
    case $rc in
        0)  report ok "$name" "$MODE" ;;
        77) report skip "$name" "$MODE" "${d:-skipped}" ;;
        *)  report fail "$name" "$MODE" "${d:-exit status $rc (see log)}" "$log" ;;
    esac
    # Per-case resources (processes, mounts, SysV segments) go now.
    cleanup_resources
}

for i in "${!CASE_NAMES[@]}"; do
    if [[ -n $PATTERN ]] && ! [[ ${CASE_NAMES[$i]} =~ $PATTERN ]]; then continue; fi
    for m in "${MODES[@]}"; do
        run_case "$i" "$m"
    done
done

# ------------------------------------------------------------ global checks

# No processes left: nothing runs from our copy of sbox, and no process in a
# user namespace other than ours appeared during the run.
leftover_procs() {
    local p new=()
    for p in $(comm -13 "$STATE/foreign-before" <(foreign_userns_pids | sort)); do
        gone "$p" || new+=("$p")
    done
    for p in /proc/[0-9]*; do
        p=${p#/proc/}
        [[ $(readlink "/proc/$p/exe" 2>/dev/null) == "$SBOX_BIN" ]] && ! gone "$p" && new+=("$p")
    done
    echo "${new[@]:-}"
}
left=
for ((i = 0; i < 50; i++)); do
    left=$(leftover_procs)
    [[ -z ${left// /} ]] && break
    sleep 0.1
done
if [[ -z ${left// /} ]]; then
    report ok "no sandbox processes left running" global
else
    desc=
    for p in $left; do desc+="$p($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)) "; done
    report fail "no sandbox processes left running" global "still running: $desc"
    for p in $left; do kill -KILL "$p" 2>/dev/null; done
fi

if diff <(sort "$STATE/mountinfo-before") <(sort /proc/self/mountinfo) >"$STATE/mountdiff"; then
    report ok "no mounts left on the host" global
else
    report fail "no mounts left on the host" global "mount table changed: $(oneline "$(grep '^[<>]' "$STATE/mountdiff")")"
fi

echo "$PASS passed, $FAILN failed, $SKIPN skipped"
[[ $FAILN -eq 0 ]]
