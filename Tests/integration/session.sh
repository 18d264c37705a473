# The promised uses as people run them, and the session they run in: a windowed browser on an X11
# display started with its defaults, displays with cookies, a Wayland compositor, the sound server,
# state that persists, launchers that open files, CI on Debian. Sourced by run.sh after programs.sh.

# start_xvfb [ARGS...]: an Xvfb of the mode's user on a free display; sets XN (its number), XPID.
start_xvfb() {
    command -v Xvfb >/dev/null || skip "Xvfb (xvfb) is not installed"
    XN=$((150 + RANDOM % 400))
    while [[ -e /tmp/.X11-unix/X$XN || -e /tmp/.X$XN-lock ]]; do ((XN++)); done
    "${AS_USER[@]}" Xvfb ":$XN" -screen 0 800x600x24 "$@" >/dev/null 2>&1 &
    XPID=$!; track_pid "$XPID"; track_file "/tmp/.X$XN-lock"; track_file "/tmp/.X11-unix/X$XN"
    local i; for i in $(seq 100); do [[ -S /tmp/.X11-unix/X$XN ]] && grep -q "@/tmp/.X11-unix/X$XN" /proc/net/unix && break; sleep 0.1; done
    sleep 0.3
}

t_browser_on_an_ordinary_x11_display() {
    make_home
    command -v xdpyinfo >/dev/null || skip "xdpyinfo (x11-utils) is not installed"
    # Xvfb as desktops start X servers: listening on its abstract socket too.
    start_xvfb -nolisten tcp
    local profile
    for profile in gui browser; do
        as_user env HOME="$CT/home" DISPLAY=":$XN" "$SBOX_BIN" --profile "$profile" -- xdpyinfo </dev/null >"$CT/.out" 2>"$CT/.err"
        [[ $? -eq 0 && $(<"$CT/.out") == *"version number:"* ]] || fail "--profile $profile cannot open :$XN: $(oneline "$(<"$CT/.err")")"
    done
    # Abstract sockets stay scoped for everything else: a second display is not reachable.
    local first=$XN; start_xvfb -nolisten tcp
    as_user env DISPLAY=":$XN" xdpyinfo >/dev/null 2>&1 || fail "control: the second display :$XN does not answer on the host"
    as_user env HOME="$CT/home" DISPLAY=":$first" "$SBOX_BIN" --profile browser -- xdpyinfo -display ":$XN" </dev/null >/dev/null 2>&1 \
        && fail "the browser reached a second display, :$XN"
    # A windowed Firefox on it, under browser: its red page on the screen.
    command -v firefox-esr >/dev/null || skip "firefox-esr is not installed (the display checks passed)"
    command -v convert >/dev/null || skip "ImageMagick (convert) is not installed"
    local w; w=$(scratch site)
    printf '<html><body style="margin:0;background:#ff0000"><h1>sbox</h1></body></html>\n' >"$w/page.html"; own "$w"
    as_user env HOME="$CT/home" DISPLAY=":$first" timeout 90 "$SBOX_BIN" --profile browser --ro "$w" --timeout 80 \
        -- firefox-esr --new-instance --kiosk "file://$w/page.html" </dev/null >"$CT/ff.out" 2>"$CT/ff.err" &
    local app=$! colour= i; track_pid "$app"
    for i in $(seq 120); do
        DISPLAY=":$first" xwd -root -silent >"$CT/screen.xwd" 2>/dev/null && colour=$(pixel "xwd:$CT/screen.xwd" 400 400)
        [[ $colour == "#FF0000" ]] && break; sleep 0.5
    done
    cp "$CT/screen.xwd" "$STATE/firefox-screen.xwd" 2>/dev/null
    kill "$app" 2>/dev/null; wait "$app" 2>/dev/null
    [[ $colour == "#FF0000" ]] || fail "Firefox's window is not on the display (pixel $colour): $(oneline "$(tail -5 "$CT/ff.err")")"
}
add_case "browser profile: Firefox in a window on an X11 display started with its defaults" t_browser_on_an_ordinary_x11_display

t_session_sockets_follow_the_session() {
    make_home
    command -v xdpyinfo >/dev/null && command -v xauth >/dev/null || skip "xdpyinfo or xauth is not installed"
    # An X server whose cookie is not in ~/.Xauthority, as GDM sets XAUTHORITY.
    local cookies=$CT/xauth_test
    as_user xauth -f "$cookies" add ":0" . "$(mcookie)" 2>/dev/null
    start_xvfb -nolisten tcp -auth "$cookies"
    as_user xauth -f "$cookies" add ":$XN" . "$(mcookie)"
    pkill -HUP -f "Xvfb :$XN" 2>/dev/null  # (Xvfb read the file at start; reset makes it read it again)
    sleep 0.5
    as_user env HOME="$CT/home" DISPLAY=":$XN" XAUTHORITY=/nonexistent xdpyinfo >/dev/null 2>&1 && skip "the server did not require its cookie"
    local profile
    for profile in gui browser; do
        as_user env HOME="$CT/home" DISPLAY=":$XN" XAUTHORITY="$cookies" "$SBOX_BIN" --profile "$profile" \
            -- sh -c 'xdpyinfo >/dev/null && echo OPENED; ls /tmp/.X11-unix; xauth -i -f "$XAUTHORITY" list | wc -l' </dev/null >"$CT/.out" 2>"$CT/.err"
        [[ $(<"$CT/.out") == OPENED* ]] || fail "--profile $profile: the display with its cookie did not open: $(oneline "$(<"$CT/.err")")"
        # Its socket alone, and that display's cookie alone.
        [[ $(sed -n 2p "$CT/.out") == X* && $(wc -l <"$CT/.out") -eq 3 && $(tail -1 "$CT/.out") == 1 ]] \
            || fail "--profile $profile: more than the display's socket and cookie: $(oneline "$(<"$CT/.out")")"
    done
    # A Wayland compositor on wayland-1, as nested sessions have.
    if command -v weston >/dev/null && command -v wayland-info >/dev/null; then
        local runtime=$CT/runtime; mkdir -m 700 "$runtime"; own "$runtime"
        # (Not through as_user: a function runs in a subshell, and $! would be that, not weston.)
        "${AS_USER[@]}" env XDG_RUNTIME_DIR="$runtime" weston --backend=headless-backend.so --socket=wayland-1 \
            >/dev/null 2>&1 &
        local weston=$! i; track_pid "$weston"
        for i in $(seq 50); do [[ -S $runtime/wayland-1 ]] && break; sleep 0.1; done
        as_user env HOME="$CT/home" XDG_RUNTIME_DIR="$runtime" WAYLAND_DISPLAY=wayland-1 "$SBOX_BIN" --profile gui -- wayland-info \
            </dev/null >"$CT/.out" 2>"$CT/.err"
        [[ $(<"$CT/.out") == *wl_compositor* ]] || fail "wayland-info did not reach wayland-1 under gui: $(oneline "$(<"$CT/.err")")"
        kill "$weston" 2>/dev/null
    else
        echo "note: weston or wayland-info is not installed: the Wayland check is skipped"
    fi
    # PULSE_SERVER=unix:PATH: that socket alone, at its path, and the variable set to it.
    local pulse=$CT/pulse-dir
    mkdir "$pulse" && echo other >"$pulse/other" && own "$pulse"
    listen_at "$pulse/native"
    as_user env HOME="$CT/home" PULSE_SERVER="tcp:nowhere unix:$pulse/native" "$SBOX_BIN" --profile gui -- sh -c 'echo "$PULSE_SERVER"; ls -A "'"$pulse"'"' \
        </dev/null >"$CT/.out" 2>"$CT/.err"
    [[ $(<"$CT/.out") == "unix:$pulse/native"$'\nnative' ]] || fail "PULSE_SERVER's socket is not exposed alone: $(oneline "$(<"$CT/.out") $(<"$CT/.err")")"
    # What explain says of them.
    OUT=$(as_user env HOME="$CT/home" DISPLAY=":$XN" XAUTHORITY="$cookies" "$SBOX_BIN" explain --profile browser 2>&1)
    [[ $OUT == *"x11: /tmp/.X11-unix/X$XN, from \$DISPLAY=:$XN, as :$((XN + 1000))"* && $OUT == *"pulseaudio: "* ]] \
        || fail "explain does not say which session sockets and why: $(oneline "$OUT")"
}
add_case "gui and browser follow the session: DISPLAY with XAUTHORITY, wayland-1, PULSE_SERVER, each alone" t_session_sockets_follow_the_session

t_browser_state_persists_from_the_first_run() {
    make_home
    # A first-time user: none of the browsers' directories exist yet.
    run_home --profile browser -- sh -c 'echo bookmark >"$HOME/.mozilla/places"; echo login >"$HOME/.config/mozilla/logins"; echo pref >"$HOME/.config/chromium/Preferences"'
    expect_ok "the browser profile writes its state"
    [[ $(<"$CT/home/.mozilla/places") == bookmark && $(<"$CT/home/.config/mozilla/logins") == login && $(<"$CT/home/.config/chromium/Preferences") == pref ]] \
        || fail "the browsers' state did not persist on the host"
    [[ $(stat -c %a "$CT/home/.mozilla") == 700 && $(stat -c %u "$CT/home/.mozilla") == "$MUID" ]] || fail "the state directory is not the user's, 0700"
    # Only in the home: rw-create elsewhere is refused before anything runs.
    run_home --rw-create /var/lib/sbox-it -- true
    expect_rc 125 "rw-create outside the home"
    [[ ! -e /var/lib/sbox-it ]] || { rm -rf /var/lib/sbox-it; fail "rw-create made a directory outside the home"; }
}
add_case "browser profile: its state directories are made on the first run and persist" t_browser_state_persists_from_the_first_run

t_launchers_expose_the_files_they_open() {
    make_home
    local page=/tmp/sbox-it-$$-$RANDOM.html doc; doc=$(scratch docs)/image.png
    echo '<p>page</p>' >"$page"; echo image >"$doc"; echo beside >"${doc%/*}/beside.txt"; track_file "$page"
    own "$(dirname "$doc")"; chmod 644 "$page"
    # A file:// URL and a path, each alone and read-only; what is beside them stays out.
    # (The program gets the URL as it is: a browser opens it; cat needs the path.)
    run_home --profile gui --expose-args ro -- sh -c 'cat "${1#file://}"; cat "$2"; ls "$(dirname "$2")"; echo x >>"$2" 2>/dev/null || echo READONLY' \
        sh "file://$page" "$doc"
    expect_out $'<p>page</p>\nimage\nimage.png\nREADONLY' "the files the arguments name, alone, read-only"
    # Never a service's place, nor the directory every user shares (a file in each: the control).
    local service=/run/sbox-it-$$-$RANDOM.txt
    echo service >"$service" && chmod 644 "$service" && track_file "$service"
    run_home --profile gui --expose-args ro -- sh -c 'cat "$1" 2>/dev/null | wc -l; ls /tmp | grep -c "^'"${page##*/}"'"' sh "$service" /tmp
    expect_out $'0\n0' "expose-args of /run and /tmp"
    # The attack: a sandbox that may write ~/Downloads (the browser's) plants "documents" that are
    # symlinks to /, to /tmp, to a secret of the home, or a directory that leads into sbox's own
    # files; the caller then opens them through a launcher. None is exposed, and sbox says why.
    local dl=$CT/home/Downloads
    mkdir -p "$dl" "$CT/home/.config/sbox/profiles" && echo mine >"$CT/home/.config/sbox/profiles/x.profile"
    ln -s / "$dl/report.pdf"; ln -s /tmp "$dl/notes.txt"; ln -s "$CT/home/secret.txt" "$dl/key.pdf"
    ln -s "$CT/home/.config/sbox" "$dl/d"; echo real >"$dl/real.pdf"; ln -s Downloads "$CT/home/linked"
    own "$CT/home"
    echo host-only >"$CT/marker"; chmod 644 "$CT/marker"
    # (Inside, the symlinks themselves are there, in the exposed Downloads: they lead into the
    # sandbox's own root, /tmp and home, where none of these files are.)
    run_home --profile browser --expose-args rw -- sh -c 'cat "$1$2/marker" "$3${2#/tmp}/marker" "$4" "$5" "$6" 2>/dev/null' \
        sh "$dl/report.pdf" "$CT" "$dl/notes.txt" "$dl/key.pdf" "$dl/d/profiles/x.profile" "$CT/home/linked/real.pdf"
    expect_out "real" "a planted symlink exposed what it leads to (only the file through a symlinked directory is)"
    expect_err_has "expose-args: $dl/report.pdf is not exposed, as it is a symlink (to /)" "sbox says why"
    expect_err_has "expose-args: $dl/d/profiles/x.profile is not exposed, as it is $CT/home/.config/sbox/profiles/x.profile, and it is sbox's own" "sbox says why"
    # A file and then its own directory, an inner directory and then an outer one: each goes on
    # the place made for it (an argument's place made by sbox is no other file).
    mkdir -p "$CT/fx/sub/inner" && echo a >"$CT/fx/sub/a.txt" && own "$CT/fx"
    run_home --expose-args ro -- sh -c 'cat "$1"; ls "$2"; ls "$4" | tr "\n" " "' sh "$CT/fx/sub/a.txt" "$CT/fx/sub" \
        "$CT/fx/sub/inner" "$CT/fx"
    expect_out $'a\na.txt\ninner\nsub ' "arguments nested in one another"
    # A directory spelled through a symlink is not exposed as one: sbox's own files beneath it are
    # hidden where they really are, not at the copy's place.
    ln -s home "$CT/L"
    run_home --profile browser --expose-args ro -- sh -c 'cat "$1/sbox/profiles/x.profile" 2>/dev/null; echo end' sh "$CT/L/.config"
    expect_out "end" "a directory argument spelled through a symlink showed sbox's own files"
    # sbox desktop install writes launchers that start sbox by its path and expose the files they open.
    mkdir -p "$CT/apps"
    printf '[Desktop Entry]\nType=Application\nName=Viewer\nExec = cat %%f\n' >"$CT/apps/viewer.desktop"; own "$CT/apps"
    run_home desktop install "$CT/apps/viewer.desktop" --profile gui
    expect_ok "desktop install"
    local exec; exec=$(grep '^Exec=' "$CT/home/.local/share/applications/viewer.desktop")
    [[ $exec == "Exec=$SBOX_BIN --profile gui --expose-args ro -- cat %f" ]] || fail "the launcher's Exec: $exec"
    local command=${exec#Exec=}; command=${command%\%f}
    as_user env -i HOME="$CT/home" PATH=/usr/bin:/bin $command "$doc" </dev/null >"$CT/.out" 2>/dev/null
    [[ $(<"$CT/.out") == image ]] || fail "the launcher's command did not open the file: $(<"$CT/.out")"
}
add_case "launchers expose exactly the files they open (expose-args), and start sbox by its path" t_launchers_expose_the_files_they_open

t_ci_on_debian_reads_the_package_database() {
    command -v dpkg >/dev/null || skip "not Debian (no dpkg)"
    make_home
    cd "$(scratch work)" || fail "cd"
    local host; host=$(dpkg -l libc6 2>&1)
    run_home --profile ci -- dpkg -l libc6
    expect_ok "dpkg -l under ci"
    expect_out "$host" "dpkg -l under ci answers as on the host"
    if command -v apt-cache >/dev/null; then
        run_home --profile ci -- apt-cache policy libc6
        expect_out_has "Installed: $(dpkg-query -W -f '${Version}' libc6)" "apt-cache policy under ci"
    fi
    run_home --profile ci -- sh -c 'echo x >/var/tmp/scratch && cat /var/tmp/scratch && ls /var/lib | sort | tr "\n" " "'
    expect_out "x"$'\n'"apt dpkg " "/var/tmp private and writable, and only the package database of /var/lib, under ci"
}
add_case "ci profile: dpkg and apt answer as on the host; /var/tmp private" t_ci_on_debian_reads_the_package_database

t_what_users_meet_first_is_said() {
    make_home
    cd "$(scratch work)" || fail "cd"
    printf '#!/bin/sh\necho tool\n' >tool; chmod 755 tool; own .
    # strict shows no current directory: a command given relative to it is not found, and sbox says why.
    run_home --profile strict -- ./tool
    expect_rc 127 "./tool under strict"
    expect_err_has "the sandbox does not show the current directory $PWD; ro-cwd or --ro $PWD would" "the hint"
    # check warns about a source that does not exist (the sandbox would not start).
    user_profile mytool.profile 'include default
rw ${HOME}/.cache/mytool'
    run_home check mytool
    expect_err_has "mytool.profile:2: rw \${HOME}/.cache/mytool: $CT/home/.cache/mytool does not exist here" "check's warning"
    # learn's hint works as printed, for a relative --output too.
    run_home learn --output learned.profile -- true
    local hint; hint=$(grep -o 'sbox --profile [^ ]*' <<<"$ERR")
    [[ $hint == "sbox --profile ./learned.profile" ]] || fail "learn's hint: $hint"
    run_home ${hint#sbox } -- true
    expect_ok "learn's hint, as printed"
    # --timeout takes units in a row.
    run_home --timeout 1h30m -- true
    expect_ok "--timeout 1h30m"
}
add_case "what users meet first is said: strict and ./tool, check of a missing source, learn's hint, 1h30m" t_what_users_meet_first_is_said
