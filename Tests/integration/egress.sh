# allow-host: the sandbox's only way out is sbox's proxy, which reaches what the lines allow.
# Servers on the host's 127.0.0.1 stand in for the internet; names come from a hosts file given to
# sbox with SBOX_HOSTS (a name that leads to 127.0.0.1 is refused unless 127.0.0.1 is listed too).
# Sourced by run.sh after profiles.sh (make_home).

# start_netserve: an HTTP server (files: hello.txt, a git repository, a package index) and a TCP
# echo server; sets HTTP_PORT, ECHO_PORT, and $CT/hosts naming pkg.test, other.test, echo.test.
start_netserve() {
    local www; www=$(scratch www)
    echo "hello through the proxy" >"$www/hello.txt"
    mkdir -p "$www/simple/demo"
    python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as wheel:
    wheel.writestr("demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
    wheel.writestr("demo-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: t\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    wheel.writestr("demo-1.0.dist-info/RECORD", "")' "$www/demo-1.0-py3-none-any.whl"
    printf '<html><body><a href="/demo-1.0-py3-none-any.whl#sha256=%s">demo-1.0-py3-none-any.whl</a></body></html>\n' \
        "$(sha256sum "$www/demo-1.0-py3-none-any.whl" | cut -d' ' -f1)" >"$www/simple/demo/index.html"
    if command -v git >/dev/null; then
        git init -q "$CT/src" && echo "from git" >"$CT/src/file" && git -C "$CT/src" add file \
            && git -C "$CT/src" -c user.name=t -c user.email=t@t commit -qm m \
            && git clone -q --bare "$CT/src" "$www/repo.git" && git -C "$www/repo.git" update-server-info
    fi
    python3 "$WORK/bin/netserve.py" "$www" "$CT/net.ready" "$CT/net.log" ${NET_DNS:-} >/dev/null 2>&1 &
    track_pid $!
    wait_file "$CT/net.ready" || fail "the test servers did not start"
    read -r HTTP_PORT ECHO_PORT HALF_PORT SINK_PORT <"$CT/net.ready"
    printf '127.0.0.1 pkg.test other.test echo.test\n' >"$CT/hosts"
    chmod 644 "$CT/hosts"
}

# net_sb ARGS...: sbox with the test hosts file and no name server; RC, OUT, ERR.
net_sb() {
    as_user env -u XDG_CONFIG_HOME HOME="$CT/home" SBOX_HOSTS="$CT/hosts" SBOX_RESOLV_CONF=/dev/null \
        timeout -k 5 "$TIMEOUT" "$SBOX_BIN" "$@" </dev/null >"$CT/.out" 2>"$CT/.err"
    RC=$?
    OUT=$(<"$CT/.out"); ERR=$(<"$CT/.err")
    printf '$ sbox %s\n  rc=%s\n  out: %s\n  err: %s\n' "$*" "$RC" "$(oneline "$OUT")" "$(oneline "$ERR")"
}

t_egress_allowed_hosts_with_real_clients() {
    make_home; start_netserve
    local url="http://pkg.test:$HTTP_PORT"
    local allow=(--allow-host "pkg.test:$HTTP_PORT" --allow-host "127.0.0.1:$HTTP_PORT" --allow-host "echo.test:$ECHO_PORT"
                 --allow-host "127.0.0.1:$ECHO_PORT")
    net_sb "${allow[@]}" -- sh -c "curl -fsS $url/hello.txt && wget -qO- $url/hello.txt
        python3 -c 'import urllib.request; print(urllib.request.urlopen(\"$url/hello.txt\").read().decode().strip())'
        curl -fsS --proxy socks5h://127.0.0.1:3128 $url/hello.txt && curl -fsS --proxy socks4a://127.0.0.1:3128 $url/hello.txt"
    expect_ok "curl, wget, python and SOCKS clients"
    [[ $(grep -c "hello through the proxy" <<<"$OUT") == 5 ]] || fail "not every client got the page: $(oneline "$OUT")"
    # A tunnel (CONNECT), as https takes, to a TCP service.
    net_sb "${allow[@]}" -- python3 -c "import socket
s = socket.create_connection(('127.0.0.1', 3128))
s.sendall(b'CONNECT echo.test:$ECHO_PORT HTTP/1.1\r\nHost: echo.test\r\n\r\n')
head = s.recv(4096)
s.sendall(b'through the tunnel\n')
print(head.split(b'\r\n')[0].decode(), s.recv(100).decode().strip())"
    expect_out "HTTP/1.1 200 Connection established echo: through the tunnel" "CONNECT to an allowed port"
    if command -v git >/dev/null; then
        net_sb "${allow[@]}" -- sh -c "git clone -q $url/repo.git /tmp/repo && cat /tmp/repo/file"
        expect_out "from git" "git clone over http through the proxy"
    fi
    if python3 -m pip --version >/dev/null 2>&1; then
        net_sb "${allow[@]}" -- python3 -m pip download -q --no-deps --no-cache-dir --trusted-host pkg.test \
            --index-url "$url/simple/" -d /tmp/dl demo
        expect_ok "pip download from a local index"
    else
        echo "note: pip is not installed: the package index check is skipped"
    fi
}
add_case "egress: allowed hosts through the proxy with curl, wget, python, SOCKS, CONNECT, git and pip" t_egress_allowed_hosts_with_real_clients

t_egress_refuses_everything_else() {
    make_home; start_netserve
    local allow=(--allow-host "pkg.test:$HTTP_PORT" --allow-host "127.0.0.1:$HTTP_PORT")
    net_sb "${allow[@]}" -- sh -c "for u in http://other.test:$HTTP_PORT/hello.txt http://pkg.test:$ECHO_PORT/ http://127.0.0.2:$HTTP_PORT/; do
            curl -sS -o /dev/null -w '%{http_code} ' \$u; done; curl -sS http://other.test:$HTTP_PORT/hello.txt"
    expect_out_has "403 403 403" "another host, another port, an address not listed: 403"
    expect_out_has "sbox: other.test:$HTTP_PORT is not an allowed host" "the answer names sbox and the host"
    expect_err_has "network: refused other.test:$HTTP_PORT (2 times), pkg.test:$ECHO_PORT (once), 127.0.0.2:$HTTP_PORT (once)" \
        "one line at exit sums the refusals up"
    # Only the name listed: it leads to 127.0.0.1, which is the host's own.
    net_sb --allow-host "pkg.test:$HTTP_PORT" -- curl -sS http://pkg.test:$HTTP_PORT/hello.txt
    expect_out_has "leads to 127.0.0.1" "a listed name that leads inside is refused"
    net_sb --verbose --allow-host "pkg.test:$HTTP_PORT" -- curl -sS -o /dev/null http://pkg.test:$HTTP_PORT/hello.txt
    expect_err_has "it leads to 127.0.0.1, which no allow-host line names" "--verbose says why"
    # Ignoring the proxy gets nothing: no route, no resolver, no raw sockets, loopback is the sandbox's own.
    net_sb "${allow[@]}" -- python3 -c "import socket, errno
def attempt(what, f):
    try:
        f(); print(what, 'WORKED')
    except OSError as e:
        print(what, errno.errorcode.get(e.errno, e))
attempt('tcp', lambda: socket.create_connection(('127.0.0.1', $HTTP_PORT), timeout=3))
attempt('udp', lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', ('192.0.2.1', 53)))
attempt('raw', lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
attempt('dns', lambda: socket.getaddrinfo('pkg.test', 80))"
    expect_out_lacks "WORKED" "nothing but the proxy"
    expect_out_has "tcp ECONNREFUSED" "the allowed address directly: the sandbox's own loopback"
    expect_out_has "udp ENETUNREACH" "UDP has no route"
    expect_out_has "raw EPERM" "no raw sockets"
}
add_case "egress: other hosts, ports, addresses and names that lead inside are refused; nothing bypasses the proxy" t_egress_refuses_everything_else

t_egress_bad_clients_do_not_disturb() {
    make_home; start_netserve
    net_sb --allow-host "pkg.test:$HTTP_PORT" --allow-host "127.0.0.1:$HTTP_PORT" -- python3 -c "import socket, subprocess
idle = [socket.create_connection(('127.0.0.1', 3128)) for _ in range(1000)]
def ask(data):
    s = socket.create_connection(('127.0.0.1', 3128)); s.sendall(data)
    return s.recv(200).split(b'\r\n')[0].decode()
print(ask(b'GET /relative HTTP/1.1\r\n\r\n'))
print(ask(b'GET http://pkg.test/ HTTP/1.1\r\n' + b'X-Pad: ' + b'y' * 20000 + b'\r\n\r\n'))
print(ask(bytes(range(256))))
print(subprocess.run(['curl', '-fsS', 'http://pkg.test:$HTTP_PORT/hello.txt'], capture_output=True, text=True).stdout.strip())"
    expect_ok "runs"
    expect_out $'HTTP/1.1 400 Bad Request\nHTTP/1.1 431 Request Header Fields Too Large\nHTTP/1.1 400 Bad Request\nhello through the proxy' \
        "malformed and oversized requests are answered, and 1000 idle clients do not keep a good one waiting"
}
add_case "egress: 1000 idle, malformed and oversized clients do not disturb the proxy" t_egress_bad_clients_do_not_disturb

t_egress_ends_with_the_sandbox() {
    make_home; start_netserve
    local tunnel="import socket, time
s = socket.create_connection(('127.0.0.1', 3128))
s.sendall(b'CONNECT echo.test:$ECHO_PORT HTTP/1.1\r\n\r\n'); s.recv(100); s.sendall(b'x\n'); s.recv(100)
print('OPEN', flush=True); time.sleep(60)"
    local allow=(--allow-host "echo.test:$ECHO_PORT" --allow-host "127.0.0.1:$ECHO_PORT")
    net_sb --timeout 3 "${allow[@]}" -- python3 -c "$tunnel"
    expect_rc 124 "--timeout ends the sandbox"
    local i
    for ((i = 0; i < 50; i++)); do grep -q "closed 1" "$CT/net.log" && break; sleep 0.1; done
    grep -q "closed 1" "$CT/net.log" || fail "the proxy's connection outlived --timeout: $(oneline "$(<"$CT/net.log")")"
    # SIGKILL of sbox: its sockets go with it.
    as_user env HOME="$CT/home" SBOX_HOSTS="$CT/hosts" SBOX_RESOLV_CONF=/dev/null "$SBOX_BIN" "${allow[@]}" -- python3 -c "$tunnel" \
        </dev/null >"$CT/kill.out" 2>&1 &
    local job=$!
    track_pid "$job"
    for ((i = 0; i < 100; i++)); do grep -q OPEN "$CT/kill.out" && break; sleep 0.1; done
    grep -q OPEN "$CT/kill.out" || fail "the tunnel did not open: $(<"$CT/kill.out")"
    # The job's process is sbox itself, or (setpriv and env having executed it) its child.
    local sbox; sbox=$(pgrep -P "$job" -x sbox || echo "$job")
    kill -KILL $sbox
    for ((i = 0; i < 50; i++)); do grep -q "closed 2" "$CT/net.log" && break; sleep 0.1; done
    grep -q "closed 2" "$CT/net.log" || fail "the proxy's connection outlived sbox's SIGKILL: $(oneline "$(<"$CT/net.log")")"
    wait "$job" 2>/dev/null || true
}
add_case "egress: --timeout and SIGKILL of sbox leave no proxy connection behind" t_egress_ends_with_the_sandbox

t_egress_plan_and_learn() {
    make_home; start_netserve
    net_sb explain --allow-host "*.test:8080" --allow-host "127.0.0.1:8080" -- true
    expect_out_has "allow-host *.test:8080" "explain lists the allowed hosts"
    expect_out_has "127.0.0.1:3128" "and where the proxy listens"
    net_sb --share-net --allow-host pypi.org -- true
    expect_rc 125 "share-net and allow-host together"; expect_err_has "share-net" "says why"
    net_sb --allow-host "pypi.org:http" -- true
    expect_rc 125 "a bad port"; expect_err_has "--allow-host pypi.org:http: 'http' is not a port" "names the option"
    # learn with '*' writes the hosts the program reached.
    net_sb learn --allow-host '*' --allow-host "127.0.0.1:$HTTP_PORT" --output "$CT/net.profile" \
        -- curl -fsS "http://pkg.test:$HTTP_PORT/hello.txt"
    expect_out "hello through the proxy" "learning through the proxy"
    grep -qx "allow-host pkg.test:$HTTP_PORT" "$CT/net.profile" || fail "the reached host is not learned: $(oneline "$(<"$CT/net.profile")")"
    grep -qx "allow-host \*" "$CT/net.profile" && fail "learn wrote its own '*'"
    net_sb --profile "$CT/net.profile" -- curl -fsS "http://pkg.test:$HTTP_PORT/hello.txt"
    expect_out "hello through the proxy" "the learned profile reaches it again"
}
add_case "egress: explain, errors, and learning the hosts a program reached" t_egress_plan_and_learn

t_egress_names_from_a_name_server() {
    # Names not in the hosts file are asked of resolv.conf's name servers, over UDP, by sbox.
    make_home
    local dns=127.0.0.$((100 + RANDOM % 100))
    NET_DNS=$dns start_netserve
    printf 'nameserver %s\n' "$dns" >"$CT/resolv.conf"; chmod 644 "$CT/resolv.conf"
    as_user env HOME="$CT/home" SBOX_HOSTS=/dev/null SBOX_RESOLV_CONF="$CT/resolv.conf" timeout -k 5 "$TIMEOUT" "$SBOX_BIN" \
        --allow-host "web.dns.test:$HTTP_PORT" --allow-host "missing.dns.test:$HTTP_PORT" --allow-host "127.0.0.1:$HTTP_PORT" \
        -- sh -c "curl -sS http://web.dns.test:$HTTP_PORT/hello.txt; curl -sS http://missing.dns.test:$HTTP_PORT/hello.txt" \
        </dev/null >"$CT/.out" 2>"$CT/.err"
    OUT=$(<"$CT/.out")
    [[ $OUT == *"hello through the proxy"* ]] || fail "a name from the name server: $(oneline "$OUT $(<"$CT/.err")")"
    [[ $OUT == *"sbox: missing.dns.test:$HTTP_PORT could not be resolved"* ]] || fail "a name that does not exist: $(oneline "$OUT")"
}
add_case "egress: names resolved by sbox from the name servers of resolv.conf" t_egress_names_from_a_name_server

t_egress_review_findings() {
    # What an attacker's review found: a poll over more descriptors than sbox may open, endless
    # refusals kept, an upstream's end that cut the client's off (the relay's spin on a pipe full of
    # small segments is ProxyRelayTests').
    make_home; start_netserve
    local allow=(--allow-host "127.0.0.1:$SINK_PORT" --allow-host "127.0.0.1:$HALF_PORT" --allow-host "pkg.test:$HTTP_PORT"
                 --allow-host "127.0.0.1:$HTTP_PORT")
    # 1. Fewer descriptors than clients: silent ones make room, a new one is served.
    as_user env HOME="$CT/home" SBOX_HOSTS="$CT/hosts" SBOX_RESOLV_CONF=/dev/null prlimit --nofile=300:300 \
        timeout -k 5 60 "$SBOX_BIN" "${allow[@]}" -- python3 -c "import socket, subprocess
idle = [socket.create_connection(('127.0.0.1', 3128)) for _ in range(250)]
print(subprocess.run(['curl', '-sS', '--max-time', '20', 'http://pkg.test:$HTTP_PORT/hello.txt'], capture_output=True,
                     text=True).stdout.strip())" </dev/null >"$CT/.out" 2>"$CT/.err"
    [[ $(<"$CT/.out") == "hello through the proxy" ]] || fail "with 300 descriptors, 250 idle clients kept a good one out: \
$(oneline "$(<"$CT/.out") $(<"$CT/.err")")"
    # 2. The upstream ends its side first: the client's bytes still reach it.
    net_sb "${allow[@]}" -- python3 -c "import socket
s = socket.create_connection(('127.0.0.1', 3128)); s.sendall(b'CONNECT 127.0.0.1:$HALF_PORT HTTP/1.1\r\n\r\n')
s.recv(100); print(s.recv(100).decode().strip(), s.recv(100)); s.sendall(b'bye after your end'); s.shutdown(socket.SHUT_WR)
s.recv(100)"
    expect_out "hello b''" "the upstream's end reaches the client"
    for ((i = 0; i < 50; i++)); do grep -q "after its end" "$CT/net.log" && break; sleep 0.1; done
    grep -q "after its end: bye after your end" "$CT/net.log" || fail "what the client sent after the upstream's end was lost"
    # 3. Endless refused names: the first hundred kept, the rest counted.
    net_sb --allow-host "pkg.test:$HTTP_PORT" -- python3 -c "import socket
for i in range(150):
    s = socket.create_connection(('127.0.0.1', 3128)); s.sendall(b'CONNECT n%d.test:443 HTTP/1.1\r\n\r\n' % i); s.recv(100)"
    expect_err_has "network: refused n0.test:443 (once), n1.test:443 (once)" "the first ones named"
    expect_err_has "and 95 more (--verbose lists them); 50 more requests to destinations not recorded" "the rest counted"
}
add_case "egress: room made by silent clients, half-closed tunnels, bounded refusals" \
    t_egress_review_findings
