# sbox learn: sourced by run.sh after profiles.sh (uses its run_home and make_home helpers).
# Each program is learned, then run again under its learned profile: same output, same status.

# learn_and_rerun NAME SCRIPT [OPTIONS...]: learns `sh -c SCRIPT` into $CT/NAME.profile (with OPTIONS
# given to learn), then runs it again under that profile. Sets LEARNED (the profile's text).
learn_and_rerun() {
    local name=$1 script=$2; shift 2
    local profile=$CT/$name.profile
    run_home learn --output "$profile" "$@" -- sh -c "$script"
    local first_rc=$RC first_out=$OUT
    expect_err_has "learned profile written to $profile" "$name: learn writes the profile"
    [[ -f $profile ]] || fail "$name: no profile at $profile"
    LEARNED=$(<"$profile")
    run_home check "$profile"
    expect_ok "$name: the learned profile passes sbox check"
    run_home --profile "$profile" -- sh -c "$script"
    [[ $RC -eq $first_rc ]] || fail "$name: status $RC under the learned profile, $first_rc while learning; stderr: $(oneline "$ERR")"
    [[ $OUT == "$first_out" ]] || fail "$name: output under the learned profile '$(oneline "$OUT")', while learning '$(oneline "$first_out")'"
}

t_learn_programs() {
    make_home
    local project; project=$(scratch project)
    mkdir -p "$project/src" "$CT/home/.config/demo"
    printf 'b\na\nb\n' >"$project/in.txt"; echo hello >"$project/src/a.txt"
    printf '{"greeting": "hi"}\n' >"$CT/home/.config/demo/settings.json"
    printf '#include <stdio.h>\nint main(void) { printf("hello from gcc\\n"); return 0; }\n' >"$project/hello.c"
    cat >"$project/script.py" <<'PY'
import json, os, sys, threading
settings = json.load(open(os.path.expanduser("~/.config/demo/settings.json")))
result = {"files": sorted(os.listdir("src")), "greeting": settings["greeting"]}
worker = threading.Thread(target=lambda: result.update(thread="ok"))
worker.start(); worker.join()
print(json.dumps(result, sort_keys=True))
sys.exit(3)
PY
    own "$project" "$CT/home"
    cd "$project" || fail "cd"

    learn_and_rerun pipeline 'sort in.txt | uniq -c | tr -s " " | wc -l; tr a-z A-Z <in.txt | head -1'
    expect_out $'2\nB' "pipeline: its output"

    learn_and_rerun tar 'tar czf out.tgz src && tar tzf out.tgz | sort && gzip -dc out.tgz | wc -c'
    expect_out_has "src/a.txt" "tar: the archive lists the file"
    [[ $LEARNED == *$'\nrw-cwd'* ]] || fail "tar: writing in the current directory was not learned: $(oneline "$LEARNED")"
    rm -f out.tgz

    learn_and_rerun python 'python3 script.py'
    expect_rc 3 "python: the program's own status passes through"
    expect_out '{"files": ["a.txt"], "greeting": "hi", "thread": "ok"}' "python: its output"
    [[ $LEARNED == *'ro-try ${HOME}/.config/demo'* ]] || fail "python: the file read from the home was not learned: $(oneline "$LEARNED")"

    if command -v gcc >/dev/null; then
        learn_and_rerun gcc 'gcc -o hello hello.c && ./hello'
        expect_out "hello from gcc" "gcc: the compiled program runs"
    else
        echo "note: gcc is not installed: the compile-and-run program is skipped"
    fi
}
add_case "learn: a pipeline, tar with gzip, python3, gcc: learned, then the same output under the profile" t_learn_programs

t_learn_leaves_the_host_alone() {
    make_home
    local project; project=$(scratch project)
    echo original >"$project/kept"; own "$project"
    cd "$project" || fail "cd"
    # Outside /tmp, /var/tmp, the home and the current directory: a directory the user may write.
    local outside=/sbox-it-outside-$$-$RANDOM
    mkdir -m 755 "$outside" && own "$outside" && track_file "$outside"
    local probe=$outside/probe shared=/var/tmp/sbox-it-probe-$$-$RANDOM
    track_file "$shared"
    run_home learn --output "$CT/writer.profile" -- sh -c "echo changed >kept; echo new >created; echo x >\"\$HOME/in-home\"; echo x >$shared; cat kept; echo x >$probe; echo rc=\$?"
    expect_out $'changed\nrc=2' "while learning, the program's writes succeed, but outside its overlays"
    [[ $(<kept) == original && ! -e created && ! -e $CT/home/in-home && ! -e $probe && ! -e $shared ]] || fail "learning changed the host's files"
    [[ $(<"$CT/writer.profile") == *$'\ntmpfs /var/tmp\n'* ]] || fail "a write in /var/tmp did not give the sandbox a private one: $(oneline "$(<"$CT/writer.profile")")"
    # A write that failed (outside the overlays) is not learned: a probe does not become a grant.
    [[ $(<"$CT/writer.profile") != *"rw-try $outside"* && $(<"$CT/writer.profile") == *"# not learned: a write the run could not make (add rw-try if the program needs it): $probe"* ]] \
        || fail "a failed write was learned: $(oneline "$(<"$CT/writer.profile")")"
}
add_case "learn: the program's writes land in invisible overlays, not on the host" t_learn_leaves_the_host_alone

t_learn_syscalls_and_hardening() {
    ((HAVE_CC)) || skip "no C compiler for the nsattempt helper"
    make_home
    cd "$(scratch work)" || fail "cd"
    # strict refuses new processes and pipes: a shell pipeline needs them.
    run_home --profile strict -- sh -c 'echo one | cat'
    [[ $RC -ne 0 || $OUT != one ]] || fail "control: strict runs a pipeline already"
    learn_and_rerun strict 'echo one | cat' --profile strict
    expect_out one "strict: the pipeline under its learned profile"
    [[ $LEARNED == *$'\nsyscalls '*clone* ]] || fail "strict: clone was not learned: $(oneline "$LEARNED")"
    # Neither learning nor a learned profile relaxes the always-on rules.
    run_home learn --output "$CT/ns.profile" --ro-bind "$WORK/bin" /h -- /h/nsattempt
    expect_out "unshare=EPERM clone=EPERM setns=EPERM clone3=ENOSYS" "while learning, new namespaces stay refused"
    run_home --profile "$CT/ns.profile" -- /h/nsattempt
    expect_out "unshare=EPERM clone=EPERM setns=EPERM clone3=ENOSYS" "a learned profile refuses new namespaces"
    # A call in no group (ptrace) is refused while learning and never learned.
    run_home learn --output "$CT/ptrace.profile" -- python3 -c 'import ctypes, os; print(ctypes.CDLL(None, use_errno=True).ptrace(0, 0, 0, 0), ctypes.get_errno())'
    expect_out "-1 1" "while learning, ptrace is refused with EPERM"
    [[ $(<"$CT/ptrace.profile") == *"# not learned: ptrace"* && $(<"$CT/ptrace.profile") != *$'\nsyscalls'*ptrace* ]] \
        || fail "ptrace was learned: $(oneline "$(<"$CT/ptrace.profile")")"
}
add_case "learn: refused system calls are learned; nested namespaces stay refused" t_learn_syscalls_and_hardening

t_learn_without_pidfd_getfd() {
    ((HAVE_CC)) || skip "no C compiler for the refuse helper"
    make_home
    cd "$(scratch work)" || fail "cd"
    # Where sbox may not take the sandbox's listener (a container's policy, Yama's ptrace_scope), the
    # learning run ends at once with 125, and no profile is written: it does not hang.
    local saved=("${SB_CMD[@]}")
    SB_CMD=(timeout -k 5 20 "${AS_USER[@]}" env HOME="$CT/home" "$WORK/bin/refuse" EPERM 438 "$SBOX_BIN")
    run_sb learn --output "$CT/none.profile" -- echo hello
    SB_CMD=("${saved[@]}")
    expect_rc 125 "learn without pidfd_getfd"
    expect_err_has "learn: cannot take the sandbox's seccomp listener" "the error says why"
    [[ ! -e $CT/none.profile ]] || fail "a profile was written from a run that did not happen"
}
add_case "learn: without pidfd_getfd, the run ends with 125 instead of hanging" t_learn_without_pidfd_getfd

t_learn_timeout_while_setting_up() {
    make_home
    cd "$(scratch work)" || fail "cd"
    # The sandbox waits on --block-fd before the filter: --timeout still ends it, and sbox exits 124
    # after about a second, not when the block ends.
    local start=$SECONDS
    # Not run_home, which takes 124 for its own timeout: timeout(1) here preserves the status.
    "${AS_USER[@]}" env -u XDG_CONFIG_HOME HOME="$CT/home" timeout --preserve-status 20 "$SBOX_BIN" \
        learn --output "$CT/blocked.profile" --timeout 1 --block-fd 5 -- true 5< <(sleep 8) </dev/null >"$CT/.out" 2>"$CT/.err"
    RC=$?; ERR=$(<"$CT/.err")
    expect_rc 124 "learn --timeout while the setup waits"
    expect_err_has "sbox: --timeout: the sandbox ran for 1 s and was ended" "says so"
    ((SECONDS - start < 6)) || fail "learn --timeout took $((SECONDS - start)) s"
    [[ ! -e $CT/blocked.profile ]] || fail "a profile was written from a run that did not happen"
}
add_case "learn: --timeout holds while the sandbox is still being set up" t_learn_timeout_while_setting_up

t_learn_bad_arguments() {
    make_home
    cd "$(scratch work)" || fail "cd"
    run_home learn --output
    expect_rc 125 "learn --output without a file"
    expect_err_has "sbox: learn: --output needs a FILE" "the error names the option"
    # Without --output the profile goes to the user's profiles, never over an existing one: the
    # command does not even run.
    # (What the program writes in files goes to the learning sandbox's overlays: its output shows
    # whether it ran.)
    run_home learn --output "$CT/echo.profile" -- echo ran
    expect_out "ran" "a program that learning runs writes its output"
    mkdir -p "$CT/home/.config/sbox/profiles"; echo "# mine" >"$CT/home/.config/sbox/profiles/echo.learned.profile"; own "$CT/home"
    run_home learn -- echo ran
    expect_rc 125 "learn over an existing learned profile"
    expect_err_has "echo.learned.profile exists: give --output FILE to replace it" "the error names the file"
    [[ -z $OUT && $(<"$CT/home/.config/sbox/profiles/echo.learned.profile") == "# mine" ]] || fail "the command ran or the profile was replaced"
    run_home learn --profile nosuchprofile -- true
    expect_rc 125 "learn with a base that does not exist"
    expect_err_has "no profile named 'nosuchprofile'" "the error names the profile"
    # An output that cannot be written is refused before the program runs.
    run_home learn --output /nonexistent-sbox-it/x.profile -- echo ran
    expect_rc 125 "learn --output in a missing directory"
    expect_err_has "learn: --output /nonexistent-sbox-it/x.profile: /nonexistent-sbox-it: No such file or directory" "the error names the path"
    [[ -z $OUT ]] || fail "the command ran before the output was refused"
}
add_case "learn: bad arguments are errors before anything runs" t_learn_bad_arguments

t_learn_writes_no_program_chosen_directive() {
    # A path the program chose, with newlines and a carriage return in it, never becomes a line of
    # its own: not even in a comment. The profile reads back to what the run learned, and check passes.
    make_home
    cd "$(scratch work)" || fail "cd"
    local evil=$'/var/x\nbind / /hostroot\nunsafe-no-seccomp\n#' hidden=$'/var/y\rshare-net'
    run_home learn --output "$CT/evil.profile" -- sh -c 'echo x > "$1"; echo y > "$2"; cat "$1" "$2" 2>/dev/null; true' sh "$evil" "$hidden"
    expect_ok "the learning run"
    local text; text=$(<"$CT/evil.profile")
    [[ $(tail -c 1 "$CT/evil.profile" | od -An -c | tr -d ' ') == '\n' ]] || fail "the learned profile does not end with a newline"
    if grep -qE '^(bind|unsafe-no-seccomp|share-net)' "$CT/evil.profile" || grep -q $'\r' "$CT/evil.profile"; then
        fail "a path the program chose became a directive: $(oneline "$text")"
    fi
    run_home check "$CT/evil.profile"
    expect_ok "the learned profile passes sbox check"
    run_home explain --profile "$CT/evil.profile"
    expect_out_lacks "hostroot" "explain of the learned profile"
    expect_out_lacks "UNSAFE" "explain of the learned profile"
}
add_case "learn: a path with newlines or a carriage return never becomes a directive" t_learn_writes_no_program_chosen_directive

t_learn_hides_every_host_service() {
    make_home
    local runtime=$CT/runtime tag=sbox-it-$$-$RANDOM
    mkdir -m 700 "$runtime"; mkdir -p "/tmp/$tag.d" "/var/tmp/$tag.d"; chmod 777 "/tmp/$tag.d" "/var/tmp/$tag.d"
    track_file "/tmp/$tag.d"; track_file "/var/tmp/$tag.d"
    local sockets=("/tmp/$tag.d/s.sock" "/var/tmp/$tag.d/s.sock" "$runtime/s.sock" "$CT/home/s.sock")
    own "$runtime" "$CT/home"
    listen_at "${sockets[@]}"
    cd "$(scratch work)" || fail "cd"
    # While learning, no host socket answers: the attempts are noted, never granted.
    as_user env HOME="$CT/home" XDG_RUNTIME_DIR="$runtime" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" learn --output "$CT/hidden.profile" \
        -- python3 -c "$PROBE_PY" "${sockets[@]}" </dev/null >"$CT/.out" 2>"$CT/.err"
    printf 'learn: %s\n' "$(<"$CT/.out")"
    [[ $(<"$CT/.out") != *REACHED* ]] || fail "a host socket answered while learning: $(oneline "$(<"$CT/.out")")"
    grep -q '^ro-try.*s\.sock' "$CT/hidden.profile" && fail "an attempted connection was granted: $(oneline "$(<"$CT/hidden.profile")")"
    grep -q 'not learned: a connection to a unix socket' "$CT/hidden.profile" || fail "the attempts are not noted: $(oneline "$(<"$CT/hidden.profile")")"
    # With --allow-sockets, what the program reached is granted, with a comment, and check warns.
    as_user env HOME="$CT/home" XDG_RUNTIME_DIR="$runtime" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" learn --allow-sockets \
        --output "$CT/allowed.profile" -- python3 -c "$PROBE_PY" "/var/tmp/$tag.d/s.sock" </dev/null >"$CT/.out" 2>"$CT/.err"
    [[ $(<"$CT/.out") == *"REACHED /var/tmp/$tag.d/s.sock"* ]] || fail "--allow-sockets: the socket did not answer: $(oneline "$(<"$CT/.out") $(<"$CT/.err")")"
    grep -B1 "^ro-try /var/tmp/$tag.d/s.sock" "$CT/allowed.profile" | grep -q "^# a unix socket" \
        || fail "--allow-sockets: the socket was not granted with its comment: $(grep -v '^# [dWo]' "$CT/allowed.profile" | tr '\n' '|')"
    run_home check "$CT/allowed.profile"
    expect_err_has "warning: $CT/allowed.profile" "check warns on the socket"
    expect_err_has "unix socket /var/tmp/$tag.d/s.sock" "check names the socket"
}
add_case "learn: no host service answers while learning; with --allow-sockets what was reached is granted" t_learn_hides_every_host_service

# Each program as the issue tried them, learned on each base, then run again under the learned profile.
t_learn_rerun_matrix() {
    make_home
    local project; project=$(scratch project)
    mkdir -p "$project/src" "$project/cproj"
    echo hello >"$project/src/a.txt"; printf 'b\na\nb\n' >"$project/in.txt"
    printf 'import json, os, textwrap\nopen("out.json", "w").write(json.dumps({"cwd": os.path.basename(os.getcwd())}))\nprint(textwrap.shorten("learned and run again", 12))\n' >"$project/script.py"
    printf '#include <stdio.h>\nint main(void) { puts("made"); return 0; }\n' >"$project/cproj/main.c"
    printf 'all: main\n\t./main\nmain: main.c\n\t$(CC) -o main main.c\n' >"$project/cproj/Makefile"
    own "$project" "$CT/home"
    cd "$project" || fail "cd"
    local programs=('sort in.txt | uniq -c > counts.txt; wc -l < counts.txt; cat < in.txt | tr a-z A-Z | head -1; date -d @0 +%Y'
                    'tar czf out.tgz src && tar tzf out.tgz | sort'
                    'python3 script.py && cat out.json')
    command -v gcc >/dev/null && programs+=('printf "int main(void){return 7;}" > t.c && gcc -o t t.c && ./t; echo rc=$?')
    command -v git >/dev/null && programs+=('rm -rf repo && git init -q repo && cd repo && echo x > f && git add f && git -c user.name=u -c user.email=u@e commit -qm m && git log --format=%s')
    command -v make >/dev/null && command -v gcc >/dev/null && programs+=('cd cproj && rm -f main && make -s')
    local base i
    for base in default ci strict; do
        for i in "${!programs[@]}"; do
            rm -rf out.tgz out.json t t.c repo cproj/main counts.txt
            learn_and_rerun "$base-$i" "${programs[$i]}" --profile "$base"
            # Every base shows /usr: a learned line there (/etc/localtime's target) only repeats it.
            ! grep -qE '^(ro|rw)(-try)? /usr(/|$)' <<<"$LEARNED" || fail "$base-$i: the learned profile repeats what $base shows: $(grep -E '^(ro|rw)(-try)? /usr' <<<"$LEARNED")"
        done
    done
}
add_case "learn: a pipeline, tar, python3, gcc, git and make, learned on default, ci and strict, run again alike" t_learn_rerun_matrix
