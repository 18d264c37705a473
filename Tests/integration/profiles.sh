# Profile cases: sourced by run.sh after cases.sh; each runs as [root] and as [unprivileged].
# Every case gets a home of its own ($CT/home), so that user profiles and .local files written for
# one case cannot change another.

# run_home ARGS...: run sbox with HOME=$CT/home (and no XDG_CONFIG_HOME), capturing RC, OUT, ERR.
run_home() {
    as_user env -u XDG_CONFIG_HOME HOME="$CT/home" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" "$@" \
        <"${RUN_STDIN:-/dev/null}" >"$CT/.out" 2>"$CT/.err"
    RC=$?
    OUT=$(<"$CT/.out"); ERR=$(<"$CT/.err")
    printf '$ HOME=%s sbox %s\n  rc=%s\n  out: %s\n  err: %s\n' "$CT/home" "$*" "$RC" "$(oneline "$OUT")" "$(oneline "$ERR")"
    [[ $RC -ne 124 ]] || fail "sbox timed out after ${TIMEOUT}s (sbox $(oneline "$*"))"
}

# A home with a secret file, and the user profile folder.
make_home() {
    mkdir -p "$CT/home/.config/sbox/profiles"
    echo secret >"$CT/home/secret.txt"
    own "$CT/home"
}

user_profile() { # user_profile FILE-NAME TEXT
    printf '%s\n' "$2" >"$CT/home/.config/sbox/profiles/$1"
    own "$CT/home"
}

t_profile_default() {
    make_home
    local w; w=$(scratch work)
    cd "$w" || fail "cd"
    # Control: the file is there on the host.
    [[ $(cat "$CT/home/secret.txt") == secret ]] || fail "setup: the secret file"
    run_home -- sh -c 'cat "$HOME/secret.txt" 2>/dev/null || echo NO_SECRET
        ls -A "$HOME" | wc -l
        head -c 4 /usr/bin/env | od -c | head -1 | grep -q E && echo USR_READABLE
        tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "
        touch ./in-workspace 2>/dev/null || echo CWD_READONLY'
    expect_ok "the default profile runs a program"
    expect_out $'NO_SECRET\n0\nUSR_READABLE\nlo\nCWD_READONLY' "default profile: home empty, /usr readable, only loopback, current directory read-only"
    [[ ! -e $w/in-workspace ]] || fail "default profile: a write in the current directory reached the host"
    # Started from the home directory itself, the current directory must not bring the home back.
    cd "$CT/home" || fail "cd home"
    run_home -- sh -c 'cat "$HOME/secret.txt" 2>/dev/null || echo NO_SECRET'
    expect_out NO_SECRET "default profile started from the home: the home's files stay hidden"
    cd "$w" || fail "cd"
    # Control: --profile none with the home bound shows the secret (so the first check can fail).
    run_home --profile none --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
        --ro-bind "$CT/home" "$CT/home" -- cat "$CT/home/secret.txt"
    expect_out secret "control: the home file is visible when bound"
}
add_case "profile default: home files and network absent, /usr readable, cwd read-only" t_profile_default

t_own_directories_hidden() {
    # sbox's profile and cache directories do not exist yet; a sandbox with a writable view of the
    # home must not be able to create them (and leave a profile that the next run would read): such
    # a plan does not run at all.
    mkdir -p "$CT/home"; own "$CT/home"
    run_home --rw "$CT/home" -- sh -c 'mkdir -p "$HOME/.config/sbox/profiles" 2>/dev/null && echo > "$HOME/.config/sbox/profiles/default.profile" 2>/dev/null && echo PLANTED || echo REFUSED'
    expect_rc 125 "a writable home is refused"
    expect_err_has "--rw $CT/home: the sandbox could write there, and $CT/home holds sbox's own files ($CT/home/.c" "the refusal says why"
    [[ ! -e $CT/home/.config/sbox/profiles ]] || fail "a profile directory appeared on the host"
    # A read-only home shows neither of them, even before they exist.
    run_home --ro "$CT/home" -- sh -c 'find "$HOME/.config/sbox" "$HOME/.cache/sbox" -mindepth 1 | wc -l'
    expect_out 0 "sbox's own directories are empty in the sandbox"
    [[ -d $CT/home/.config/sbox && -d $CT/home/.cache/sbox ]] || fail "sbox did not create its own directories"
    [[ $(stat -c %a "$CT/home/.config/sbox") == 700 ]] || fail "~/.config/sbox is not 0700"
}
add_case "sbox's own directories are hidden even before they exist" t_own_directories_hidden

t_profile_ci() {
    make_home
    local w; w=$(scratch workspace)
    cd "$w" || fail "cd"
    run_home --profile ci -- sh -c 'echo built >result.txt && pwd; ls -A "$HOME" | wc -l; cat "$HOME/secret.txt" 2>/dev/null || echo NO_SECRET'
    expect_ok "the ci profile runs a program"
    expect_out "$w"$'\n0\nNO_SECRET' "ci profile: runs in the workspace, home hidden"
    [[ $(cat "$w/result.txt" 2>/dev/null) == built ]] || fail "ci profile: the file written in the workspace is not on the host"
}
add_case "profile ci: a file written in the workspace appears on the host, home hidden" t_profile_ci

t_profile_user_include() {
    make_home
    cd "$(scratch work)" || fail "cd"
    user_profile my.profile $'# description: mine\ninclude default\nsetenv SBOX_MARK from-my-profile'
    run_home --profile my -- sh -c 'echo "$SBOX_MARK"; cat "$HOME/secret.txt" 2>/dev/null || echo NO_SECRET'
    expect_ok "a user profile that includes default"
    expect_out $'from-my-profile\nNO_SECRET' "user profile: its own line applies and default's private home too"
    run_home profiles
    expect_out_has "my          user      mine" "sbox profiles lists the user profile with its origin and description"
    expect_out_has "default     built-in  Command-line tools" "sbox profiles lists the built-in ones"
}
add_case "a user profile that includes default and adds a line" t_profile_user_include

t_profile_local() {
    make_home
    user_profile default.local 'setenv SBOX_LOCAL applied'
    run_home -- sh -c 'echo "${SBOX_LOCAL:-unset}"'
    expect_out applied "default.local applies after the default profile"
    run_home --profile none --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
        -- sh -c 'echo "${SBOX_LOCAL:-unset}"'
    expect_out unset "control: --profile none applies no .local"
}
add_case "a .local override in the user's folder applies" t_profile_local

t_profile_bad() {
    make_home
    user_profile broken.profile $'ro /usr\nro-bnd /etc /etc\nbind /only-one'
    run_home --profile broken -- true
    expect_rc 125 "a bad profile stops sbox"
    local file=$CT/home/.config/sbox/profiles/broken.profile
    expect_err_has "$file:2: unknown directive 'ro-bnd' (did you mean 'ro-bind'?)" "bad profile: unknown directive with file:line and suggestion"
    expect_err_has "$file:3: 'bind' takes 2 arguments" "bad profile: wrong arity with file:line"
    run_home check broken
    expect_rc 1 "sbox check on a bad profile"
    expect_err_has "$file:2: unknown directive 'ro-bnd'" "sbox check names file:line"
    run_home check default ci strict browser gui
    expect_ok "sbox check on the shipped profiles"
    expect_out $'default: ok\nci: ok\nstrict: ok\nbrowser: ok\ngui: ok' "sbox check reports each profile"
}
add_case "a bad profile: exit 125 at run time, sbox check exit 1, file:line errors" t_profile_bad

t_profile_explain() {
    make_home
    run_home explain --tmpfs /scratch -- ls
    expect_ok "sbox explain"
    expect_out_has "usr.profile (built-in):4" "explain shows a profile step's origin"
    expect_out_has "tmpfs /scratch (mode 0755)" "explain shows a command-line step"
    expect_out_has "command line" "explain shows command-line origins"
    run_home explain --json --profile strict
    expect_out_has '{"step": "ro /usr", "origin": "usr.profile (built-in):4"}' "explain --json"
    python3 -c 'import json, sys; json.loads(sys.argv[1])' "$OUT" || fail "explain --json: not valid JSON"
}
add_case "sbox explain prints every step with its origin (text and JSON)" t_profile_explain

t_profile_strict() {
    make_home
    # One program per run: strict refuses fork and clone, so a shell could not start another.
    run_home --profile strict -- /usr/bin/ls -A /
    expect_ok "the strict profile runs a dynamically linked program"
    expect_out $'bin\netc\nlib\nlib64\nsbin\nusr' "strict: only /usr and its links, and ld.so.cache in /etc (no /proc, /dev, /tmp or home)"
    run_home --profile strict -- /usr/bin/env
    expect_out $'PATH=/usr/local/bin:/usr/bin:/bin\nPWD=/' "strict: an empty environment but PATH"
}
add_case "profile strict: the least that runs a program from /usr" t_profile_strict

t_profile_hide() {
    make_home
    local d; d=$(scratch data); mkdir -p "$d/keys"; echo k >"$d/keys/id"; echo p >"$d/plain"; own "$d"
    run_home --profile none --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 \
        --ro "$d" --hide "$d/keys" --hide "$d/plain" --hide "$d/absent" -- sh -c "ls -A $d/keys | wc -l; wc -c <$d/plain; touch $d/keys/x 2>/dev/null || echo RO"
    expect_ok "hide"
    expect_out $'0\n0\nRO' "hide: an empty read-only directory and an empty file"
    [[ $(cat "$d/keys/id") == k && $(cat "$d/plain") == p ]] || fail "hide changed the host's files"
}
add_case "hide covers a directory and a file, and skips an absent path" t_profile_hide

t_profile_include_not_a_file() {
    # A FIFO would block the read and /dev/zero never ends: both are refused at once.
    make_home
    mkfifo "$CT/home/fifo"; own "$CT/home"
    user_profile fifo.profile "include $CT/home/fifo"
    run_home --profile fifo -- true
    expect_rc 125 "an include of a FIFO"
    expect_err_has "not a regular file" "says why"
    user_profile zero.profile "include /dev/zero"
    run_home --profile zero -- true
    expect_rc 125 "an include of /dev/zero"
    expect_err_has "profile /dev/zero: not a regular file" "names it"
}
add_case "profiles: an include of something other than a file is refused, not read forever" t_profile_include_not_a_file

t_profile_ci_real_projects() {
    ((HAVE_CC)) || skip "no C compiler for the C project"
    command -v make >/dev/null || skip "make is not installed"
    make_home
    # A small C project: built and tested inside the sandbox, its objects land in the workspace.
    local c; c=$(scratch cproject)
    printf '%s\n' 'int add(int a, int b) { return a + b; }' >"$c/add.c"
    printf '%s\n' '#include <stdio.h>' 'int add(int, int);' \
        'int main(void) { if (add(2, 3) != 5) { puts("FAIL"); return 1; } puts("all tests passed"); return 0; }' >"$c/test.c"
    printf 'test: test_add\n\t./test_add\ntest_add: add.o test.c\n\t$(CC) -o $@ add.o test.c\nadd.o: add.c\n\t$(CC) -c add.c\n' >"$c/Makefile"
    own "$c"
    cd "$c" || fail "cd"
    run_home --profile ci -- make -s test
    expect_ok "make test inside sbox --profile ci"
    expect_out_has "all tests passed" "the C tests ran"
    [[ -f $c/add.o && -x $c/test_add ]] || fail "the build's outputs are not in the workspace"
    # A failing test suite: its exact status comes back.
    sed -i 's/!= 5/!= 6/' "$c/test.c"
    run_home --profile ci -- make -s test
    expect_rc 2 "a failing make test: make's own status"
    # A small Python project with unittest; the network is absent, home writes stay in the sandbox.
    local p; p=$(scratch pyproject)
    printf '%s\n' 'def slug(text):' '    return "-".join(text.lower().split())' >"$p/slug.py"
    printf '%s\n' 'import socket, unittest' 'from slug import slug' 'class T(unittest.TestCase):' \
        '    def test_slug(self): self.assertEqual(slug("Hello Big World"), "hello-big-world")' \
        '    def test_no_network(self):' \
        '        with self.assertRaises(OSError): socket.create_connection(("1.1.1.1", 53), timeout=2)' >"$p/test_slug.py"
    own "$p"
    cd "$p" || fail "cd"
    run_home --profile ci --timeout 60 -- python3 -m unittest -q
    expect_ok "python3 -m unittest inside sbox --profile ci"
    expect_err_has "Ran 2 tests" "both Python tests ran"
}
add_case "profile ci: a real C project (make test) and a Python project (unittest) build and test in the workspace" t_profile_ci_real_projects
