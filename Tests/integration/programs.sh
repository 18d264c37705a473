# Real programs under the shipped profiles: a browser that renders a page, a desktop program that
# draws a window. Skipped, with a message, where the program is not installed.

# pixel FILE X Y: the pixel's colour as #RRGGBB (ImageMagick reads PNG and xwd alike).
pixel() { convert "$1" -crop "1x1+$2+$3" txt:- 2>/dev/null | tail -1 | grep -o '#[0-9A-F]\{6\}' | head -1; }

# red_page: a home, and a workspace ($w, entered) with a page whose background is red.
red_page() {
    make_home
    w=$(scratch site)
    printf '<html><body style="margin:0;background:#ff0000"><h1>sbox</h1></body></html>\n' >"$w/page.html"
    own "$w"
    cd "$w" || fail "cd"
}

t_browser_firefox_screenshot() {
    command -v firefox-esr >/dev/null || skip "firefox-esr is not installed"
    command -v convert >/dev/null || skip "ImageMagick (convert) is not installed"
    local w; red_page
    # The page is read from the workspace; the screenshot is written there (rw PATH).
    run_home --profile browser --rw "$w" --timeout 90 -- firefox-esr --headless --screenshot "$w/shot.png" "file://$w/page.html"
    expect_ok "firefox-esr --headless --screenshot under the browser profile"
    [[ $(head -c 8 "$w/shot.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "not a PNG: $(file "$w/shot.png")"
    [[ $(pixel "$w/shot.png" 600 400) == "#FF0000" ]] || fail "the page's red background is not in the screenshot: $(pixel "$w/shot.png" 600 400)"
}
add_case "browser profile: firefox-esr renders a local page to a PNG" t_browser_firefox_screenshot

t_browser_chromium_screenshot() {
    command -v chromium >/dev/null || skip "chromium is not installed"
    command -v convert >/dev/null || skip "ImageMagick (convert) is not installed"
    local w; red_page
    # Chromium's own sandbox needs user namespaces, which sbox refuses inside every sandbox: without
    # --no-sandbox it stops ("No usable sandbox!"); with it, sbox is the sandbox (see the README).
    run_home --profile browser --rw "$w" --timeout 90 -- chromium --headless --screenshot="$w/shot.png" --window-size=800,600 "file://$w/page.html"
    [[ ! -e $w/shot.png ]] || fail "chromium ran its own sandbox inside sbox's?"
    run_home --profile browser --rw "$w" --timeout 90 -- chromium --headless --no-sandbox --screenshot="$w/shot.png" --window-size=800,600 "file://$w/page.html"
    expect_ok "chromium --headless --no-sandbox --screenshot under the browser profile"
    [[ $(pixel "$w/shot.png" 400 300) == "#FF0000" ]] || fail "the page's red background is not in the screenshot: $(pixel "$w/shot.png" 400 300)"
}
add_case "browser profile: chromium renders a local page to a PNG (with --no-sandbox: sbox is its sandbox)" t_browser_chromium_screenshot

t_gui_program_under_xvfb() {
    command -v Xvfb >/dev/null || skip "Xvfb (xvfb) is not installed"
    command -v xlogo >/dev/null || skip "xlogo (x11-apps) is not installed"
    command -v convert >/dev/null || skip "ImageMagick (convert) is not installed"
    make_home
    # A display of our own, as the mode's user; free numbers from 90 up.
    local n=90
    while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do ((n++)); done
    # Commands, not the as_user function: $! is then the process itself, which kill reaches.
    "${AS_USER[@]}" Xvfb ":$n" -screen 0 320x240x24 -nolisten tcp >/dev/null 2>&1 &
    local xvfb=$!; track_pid "$xvfb"
    # Ready once it answers, not when its socket appears (bound, perhaps not yet listening).
    local i; for i in $(seq 50); do DISPLAY=":$n" xwd -root -silent >/dev/null 2>&1 && break; sleep 0.1; done
    DISPLAY=":$n" xwd -root -silent >/dev/null 2>&1 || fail "setup: Xvfb did not start"
    "${AS_USER[@]}" env -u XDG_CONFIG_HOME HOME="$CT/home" DISPLAY=":$n" timeout 30 "$SBOX_BIN" --profile gui \
        -- xlogo -geometry 200x200+0+0 -bg '#00ff00' >"$CT/.out" 2>"$CT/.err" &
    local app=$!; track_pid "$app"
    local colour=
    for i in $(seq 50); do
        DISPLAY=":$n" xwd -root -silent >"$CT/screen.xwd" 2>/dev/null && colour=$(pixel "xwd:$CT/screen.xwd" 100 100)
        [[ $colour == "#00FF00" ]] && break; sleep 0.1
    done
    kill "$app" "$xvfb" 2>/dev/null; wait "$app" "$xvfb" 2>/dev/null
    [[ $colour == "#00FF00" ]] || fail "the window is not on the screen (pixel $colour); sbox said: $(cat "$CT/.err")"
}
add_case "gui profile: an X11 program under Xvfb draws its window" t_gui_program_under_xvfb
