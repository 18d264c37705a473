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
