#!/usr/bin/env bash
# Every command of README.md, run as shown: each line of its ```sh blocks, in a workspace with the
# files the examples name (a Makefile, app.py, mytool...), with a home of its own and the built sbox
# first in PATH; as the caller, and (when root) as uid 65534. A command must exit 0, or with the
# status its comment names ("exit status N"). Skipped, and said: what needs the internet or root
# (apt-get, sudo, curl, Flatpak's application), a browser's window, this test suite itself, and the
# build as uid 65534 (it writes the repository's .build).
#
#   SBOX=/path/to/sbox bash Tests/readme.sh
set -u
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SBOX_SRC=${SBOX:-$REPO/.build/release/sbox}
[[ -x $SBOX_SRC ]] || { echo "readme.sh: no sbox at $SBOX_SRC" >&2; exit 2; }
export LC_ALL=C

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sbox-readme.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
mkdir -p "$WORK/bin"
cp "$SBOX_SRC" "$WORK/bin/sbox" && chmod 755 "$WORK/bin/sbox"

# The commands, one per line (continuations joined), with their block's number.
python3 - "$REPO/README.md" >"$WORK/commands" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for number, block in enumerate(re.findall(r"```sh\n(.*?)```", text, re.S)):
    for command in block.replace("\\\n", " ").split("\n"):
        if command.strip():
            print(f"{number}\t{command}")
PY

skip_reason() {
    case $1 in
        *"apt-get install"*|sudo\ *|*" sudo "*) echo "needs root and the network" ;;
        *"bash Tests/run"*) echo "the test suite itself" ;;
        *curl\ https://*|*"needs the internet"*) echo "needs the internet" ;;
        *"flatpak run"*) echo "needs a Flatpak application" ;;
        *"-- firefox"*) echo "a browser's window" ;;
        *"swift build"*) [[ $2 == unprivileged ]] && echo "the build writes the repository's .build: the caller's" ;;
    esac
}

# A workspace with what the examples name.
fixtures() { # fixtures DIR
    mkdir -p "$1"
    cp "$REPO/README.md" "$1/"
    printf 'all:\n\t@echo built\ntest:\n\t@echo tested\ncheck:\n\t@echo checked\n' >"$1/Makefile"
    printf 'print("app ran")\n' >"$1/app.py"
    printf 'b\na\nb\n' >"$1/data"
    printf '#!/bin/sh\necho "mytool $*"\n' >"$1/mytool"
    printf '#!/bin/sh\necho tool ran\n' >"$1/tool"
    printf '#!/bin/sh\necho client ran\n' >"$1/client"
    chmod 755 "$1/mytool" "$1/tool" "$1/client"
}

failures=0 passes=0 skips=0
run_as() { # run_as MODE COMMAND...
    if [[ $1 == unprivileged ]]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$HOMEDIR" PATH="$PATHS" "${@:2}"
    else
        env HOME="$HOMEDIR" PATH="$PATHS" "${@:2}"
    fi
}
modes=(caller)
[[ $EUID -eq 0 ]] && command -v setpriv >/dev/null && modes+=(unprivileged)
for mode in "${modes[@]}"; do
    WS=$WORK/$mode/workspace HOMEDIR=$WORK/$mode/home
    fixtures "$WS"; mkdir -p "$HOMEDIR"
    [[ $mode == unprivileged ]] && chown -R 65534:65534 "$WORK/$mode"
    PATHS=$HOMEDIR/.local/bin:$WORK/bin:/usr/local/bin:/usr/bin:/bin
    command -v swift >/dev/null && PATHS+=:$(dirname "$(command -v swift)")
    while IFS=$'\t' read -r block command; do
        reason=$(skip_reason "$command" "$mode")
        if [[ -n $reason ]]; then
            skips=$((skips + 1)); echo "skip - [$mode] $command: $reason"; continue
        fi
        expected=0
        [[ $command =~ exit\ status\ ([0-9]+) ]] && expected=${BASH_REMATCH[1]}
        # The repository's own scripts run from the repository; the examples from the workspace.
        directory=$WS; [[ $command == scripts/* || $command == swift\ build* ]] && directory=$REPO
        output=$(cd "$directory" && run_as "$mode" timeout 60 bash -c "$command" 2>&1 </dev/null)
        status=$?
        if [[ $status -eq $expected ]]; then
            passes=$((passes + 1)); echo "ok - [$mode] $command"
        else
            failures=$((failures + 1)); echo "not ok - [$mode] $command: exit status $status, expected $expected"
            printf '%s\n' "$output" | tail -5 | sed 's/^/    # /'
        fi
    done <"$WORK/commands"
done
echo "README: $passes passed, $failures failed, $skips skipped"
[[ $failures -eq 0 ]]
