#!/bin/bash
# flatpak.sh - run a real (locally built, offline) flatpak app through
# sbox used as a drop-in bwrap (FLATPAK_BWRAP), and compare with /usr/bin/bwrap.
#
#   SBOX=/path/to/sbox bash Tests/integration/flatpak.sh
#
# Env: SBOX (required)        the sbox binary; it is copied and symlinked as "bwrap"
#      REAL_BWRAP             reference bwrap (default: /usr/bin/bwrap; skipped if absent)
#      AS_USER                uid to use for the unprivileged pass when run as root (default 65534)
#      KEEP=1                 keep the temporary directory (its path is printed)
#      VERBOSE=1              print the probe outputs and the bwrap argument lists
#
# Exit: 0 all checks passed, 1 some check failed, 77 skipped (flatpak or busybox missing).
# Nothing outside a fresh mktemp -d directory is written (HOME, XDG_*, FLATPAK_*_DIR
# and the D-Bus session are all private). No network is used.
set -u

skip() { echo "SKIP: $*"; exit 77; }
since() { awk -v a="$1" -v b="${2:-$(date +%s.%N)}" 'BEGIN{printf "%.2f", b-a}'; }

# ---------------------------------------------------------------------------
# inner: one complete pass (build runtime+app, install, run through each bwrap)
# runs as whatever uid invokes it; $1 = work dir (owned by us), $2 = sbox copy
# ---------------------------------------------------------------------------
inner() {
  local W=$1 SBOXBIN=$2 REAL=${REAL_BWRAP:-/usr/bin/bwrap}
  local fails=0 uid t0 t1 arch
  uid=$(id -u); t0=$(date +%s.%N)
  ok()    { echo "  ok     - $*"; }
  notok() { echo "  NOT OK - $*"; fails=$((fails+1)); }
  check() { local d=$1; shift; if "$@"; then ok "$d"; else notok "$d"; fi; }
  quiet() { "$@" >/dev/null 2>&1; }

  # private environment: nothing of the caller's session leaks in.
  # FLATPAK_SYSTEM_HELPER_ON_SESSION=1 (as flatpak's own tests): a non-root
  # "install" otherwise asks malcontent on the system bus and fails without one.
  export HOME=$W/home XDG_DATA_HOME=$W/home/.local/share XDG_CONFIG_HOME=$W/home/.config \
         XDG_CACHE_HOME=$W/home/.cache XDG_RUNTIME_DIR=$W/xdg-run \
         FLATPAK_SYSTEM_DIR=$W/system FLATPAK_CONFIG_DIR=$W/etc-flatpak FLATPAK_RUN_DIR=$W/run-flatpak \
         DBUS_SYSTEM_BUS_ADDRESS=unix:path=$W/no-system-bus LANG=C.UTF-8 \
         FLATPAK_SYSTEM_HELPER_ON_SESSION=1 \
         PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY PULSE_SERVER FLATPAK_BWRAP
  mkdir -p "$HOME" "$W/bin" "$W/etc-flatpak" "$W/system" "$W/logs"
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  cd "$W" || return 1
  arch=$(flatpak --default-arch)

  # bwrap candidates, each behind a logging wrapper (flatpak runs bwrap with an
  # EMPTY environment, so the wrapper's log path is baked in)
  ln -s "$SBOXBIN" "$W/bin/bwrap"           # sbox behaves as bwrap under this name
  local names=() n b
  [ -x "$REAL" ] && names+=(real)
  names+=(sbox)
  for n in "${names[@]}"; do
    if [ "$n" = real ]; then b=$REAL; else b=$W/bin/bwrap; fi
    cat > "$W/bin/log-$n" <<EOF
#!/bin/bash
{ echo "=== bwrap call"; printf 'ARG %s\n' "\$@"
  p=; for a in "\$@"; do [ "\$p" = --args ] && tr '\0' '\n' < /proc/\$\$/fd/\$a | sed 's/^/ARGS-FD /'; p=\$a; done
} >> "$W/logs/$n.log" 2>&1
exec "$b" "\$@"
EOF
    chmod 755 "$W/bin/log-$n"
  done

  # --- runtime: busybox (+ its libs, if dynamic) as /usr/bin/* ----------------
  local bb R=$W/build/runtime A=$W/build/app lib
  bb=$(command -v busybox) || { echo "  busybox missing"; return 77; }
  mkdir -p "$R/files/bin"
  cp "$bb" "$R/files/bin/busybox"
  for lib in $(ldd "$bb" 2>/dev/null | grep -o '/[^ ]*'); do     # empty for busybox-static
    mkdir -p "$R/files/$(dirname "${lib#/usr/}")"; cp -L "$lib" "$R/files/${lib#/usr/}"
  done
  for n in sh cat id grep sed tr cut sort ls readlink test touch sleep tail awk; do
    ln -s busybox "$R/files/bin/$n"
  done
  cat > "$R/metadata" <<EOF
[Runtime]
name=org.test.Platform
runtime=org.test.Platform/$arch/master
sdk=org.test.Platform/$arch/master
EOF
  # --files=files: export files/ instead of the default usr/ of a runtime build dir
  flatpak build-export --no-update-summary --runtime --files=files repo "$R" master >/dev/null \
    || { notok "build-export runtime"; return 1; }

  # --- app: hello.sh (default command) and probe.sh ------------------------------
  mkdir -p "$A/files/bin"
  cat > "$A/metadata" <<EOF
[Application]
name=org.test.Hello
runtime=org.test.Platform/$arch/master
sdk=org.test.Platform/$arch/master
EOF
  cat > "$A/files/bin/hello.sh" <<'EOF'
#!/bin/sh
echo "HELLO argc=$# argv=[$1][$2]"
echo "uid=$(id -u)"
cat /.flatpak-info
EOF
  cat > "$A/files/bin/probe.sh" <<'EOF'
#!/bin/sh
echo "pid=$$ uid=$(id -u) gid=$(id -g)"
grep -E '^(NoNewPrivs|Seccomp|CapEff):' /proc/self/status | tr -d '\t'
echo "net=$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort | tr '\n' ' ')"
touch /usr/x 2>/dev/null && echo "usr=rw" || echo "usr=ro"
touch /tmp/x 2>/dev/null && echo "tmp=rw" || echo "tmp=ro"
test -S /run/flatpak/bus && echo "bus-socket=yes" || echo "bus-socket=no"
echo "DBUS_SESSION_BUS_ADDRESS=$DBUS_SESSION_BUS_ADDRESS"
echo "FLATPAK_ID=$FLATPAK_ID container=$container PATH=$PATH"
echo "procs=$(ls /proc | grep -cE '^[0-9]+$')"
echo "mounts:"; awk '{print "  " $5, $6}' /proc/self/mountinfo | sed 's/,relatime//; s#/run/flatpak/.flatpak/[0-9]*#/run/flatpak/.flatpak/N#' | sort
EOF
  chmod 755 "$A/files/bin/"*.sh
  # a desktop file with a MimeType: the install trigger desktop-database.trigger
  # (run by flatpak inside FLATPAK_BWRAP) then writes exports/.../mimeinfo.cache
  mkdir -p "$A/files/share/applications"
  printf '[Desktop Entry]\nType=Application\nName=Hello\nExec=hello.sh\nMimeType=x-test/hello;\n' \
    > "$A/files/share/applications/org.test.Hello.desktop"
  flatpak build-finish --command=hello.sh "$A" >/dev/null || { notok "build-finish"; return 1; }
  flatpak build-export --no-update-summary repo "$A" master >/dev/null 2>&1 || { notok "build-export app"; return 1; }
  flatpak build-update-repo repo >/dev/null || { notok "build-update-repo"; return 1; }
  flatpak --user remote-add --no-gpg-verify test-repo "file://$W/repo" || { notok "remote-add"; return 1; }
  # install: flatpak runs its triggers (/usr/share/flatpak/triggers) through FLATPAK_BWRAP -> sbox
  FLATPAK_BWRAP=$W/bin/log-sbox flatpak --user install -y --noninteractive test-repo org.test.Hello \
      > "$W/logs/install.out" 2>&1
  check "install through sbox" quiet flatpak --user info org.test.Hello
  if command -v update-desktop-database >/dev/null; then
    check "install trigger ran in sbox (mimeinfo.cache written)" \
      grep -q x-test/hello "$XDG_DATA_HOME/flatpak/exports/share/applications/mimeinfo.cache"
  fi
  grep -iE 'warning|error' "$W/logs/install.out" | sed 's/^/    install: /'
  t1=$(date +%s.%N); echo "  (build+install: $(since $t0 $t1) s)"

  # --- private D-Bus session bus: makes flatpak start xdg-dbus-proxy inside a
  #     second bwrap (--args, --file) and pass --sync-fd to the app's bwrap ---
  local busconf=$W/bus.conf buspid=
  if command -v dbus-daemon >/dev/null; then
    cat > "$busconf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=$W/bus</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
EOF
    dbus-daemon --config-file="$busconf" --nofork --nopidfile 2>/dev/null & buspid=$!
    trap "kill $buspid 2>/dev/null" EXIT
    for _ in $(seq 50); do [ -S "$W/bus" ] && break; sleep 0.05; done
  fi

  # --- runs ----------------------------------------------------------------------
  local out rc ts te
  for n in "${names[@]}"; do
    echo "  -- through $n"
    export FLATPAK_BWRAP=$W/bin/log-$n
    ts=$(date +%s.%N)
    out=$(flatpak --user run org.test.Hello "a 1" b2 2>&1); rc=$?
    te=$(date +%s.%N)
    echo "$out" > "$W/logs/hello-$n.out"
    check "[$n] hello exit 0 (got $rc, $(since $ts $te) s)" [ "$rc" = 0 ]
    check "[$n] hello argv passed" grep -qxF 'HELLO argc=2 argv=[a 1][b2]' <<<"$out"
    check "[$n] hello uid=$uid" grep -qx "uid=$uid" <<<"$out"
    check "[$n] /.flatpak-info readable" grep -qx 'name=org.test.Hello' <<<"$out"
    [ "$rc" = 0 ] || sed 's/^/    | /' <<<"$out"

    flatpak --user run --command=sh org.test.Hello -c 'exit 7' >/dev/null 2>&1; rc=$?
    check "[$n] sh -c 'exit 7' -> $rc" [ "$rc" = 7 ]

    out=$(flatpak --user run --command=probe.sh org.test.Hello 2>&1); rc=$?
    echo "$out" > "$W/logs/probe-$n.out"
    check "[$n] probe exit 0 (got $rc)" [ "$rc" = 0 ]
    check "[$n] probe: seccomp filter" grep -qx 'Seccomp:2' <<<"$out"
    check "[$n] probe: no_new_privs" grep -qx 'NoNewPrivs:1' <<<"$out"
    check "[$n] probe: only loopback" grep -qx 'net=lo ' <<<"$out"
    check "[$n] probe: /usr read-only" grep -qx 'usr=ro' <<<"$out"
    check "[$n] probe: /tmp writable" grep -qx 'tmp=rw' <<<"$out"
    check "[$n] probe: own pid namespace (pid=2)" grep -q '^pid=2 ' <<<"$out"
    [ "${VERBOSE:-0}" = 1 ] && sed 's/^/    | /' <<<"$out"

    # an fd the caller passes to "flatpak run" reaches the app (bwrap keeps
    # inherited fds; flatpak relies on it for xdg-dbus-proxy's --args=FD)
    out=$(flatpak --user run --command=sh org.test.Hello -c 'cat <&5' 5<<<"fd5-data" 2>&1); rc=$?
    check "[$n] inherited fd 5 reaches the app (rc $rc: $(echo $out))" [ "$out" = fd5-data ]

    # session bus: flatpak starts xdg-dbus-proxy in a second bwrap
    # (--args FD -- xdg-dbus-proxy --args=FD2) and gives the app's bwrap --sync-fd
    if [ -n "$buspid" ]; then
      out=$(DBUS_SESSION_BUS_ADDRESS=unix:path=$W/bus flatpak --user run --command=probe.sh org.test.Hello 2>&1); rc=$?
      echo "$out" > "$W/logs/probe-dbus-$n.out"
      check "[$n] with D-Bus proxy: exit 0 (got $rc)" [ "$rc" = 0 ]
      check "[$n] with D-Bus proxy: /run/flatpak/bus socket" grep -qx 'bus-socket=yes' <<<"$out"
      [ "$rc" = 0 ] || grep -v '^ \|^[a-zA-Z]*[:=]' <<<"$out" | sed 's/^/    | /'
    fi

    # flatpak ps reads the JSON bwrap wrote to --info-fd (child-pid)
    mkdir -p "$W/sync"; rm -f "$W/sync/"*
    flatpak --user run --filesystem="$W/sync" --command=sh org.test.Hello -c \
      "grep instance-id= /.flatpak-info > $W/sync/id; mv $W/sync/id $W/sync/started
       while [ ! -e $W/sync/stop ]; do sleep 0.05; done" >/dev/null 2>&1 &
    local bg=$! ps= inst= cpid=
    for _ in $(seq 100); do [ -e "$W/sync/started" ] && break; sleep 0.05; done
    inst=$(sed -n 's/^instance-id=//p' "$W/sync/started" 2>/dev/null)
    ps=$(flatpak ps --columns=instance,application,child-pid 2>&1)
    touch "$W/sync/stop"; wait $bg; rc=$?
    cpid=$(awk -v i="$inst" '$1==i{print $3}' <<<"$ps")
    check "[$n] flatpak ps: instance ${inst:-?} child-pid ${cpid:-none} (from --info-fd)" [ "${cpid:-0}" != 0 ]
    check "[$n] background run exit 0 (got $rc)" [ "$rc" = 0 ]
    unset FLATPAK_BWRAP
  done

  # --- compare what the app sees ---------------------------------------------------
  if [ -f "$W/logs/probe-real.out" ]; then
    if diff -u "$W/logs/probe-real.out" "$W/logs/probe-sbox.out" > "$W/logs/probe.diff"; then
      ok "probe output identical through real bwrap and sbox"
    else
      echo "  info   - probe output differs (real bwrap vs sbox, informational):"
      grep '^[-+][^-+]' "$W/logs/probe.diff" | sed 's/^/    /'
    fi
  fi

  # --- every option flatpak passed, and whether sbox knows it ----------------------
  local opts o
  # (from both logs: a call that failed early through sbox still ran through real bwrap)
  opts=$(cat "$W/logs/"*.log | awk '/^=== /{stop=0; next} $0=="ARG --"{stop=1; next}
           /^ARGS-FD --[a-z0-9-]+$/{print $2; next} !stop && /^ARG --[a-z0-9-]+$/{print $2}' | sort -u)
  echo "  options flatpak passed to bwrap: $(echo $opts)"
  for o in $opts; do
    "$SBOXBIN" --help 2>&1 | grep -q -- "^ *$o " || notok "sbox --help does not list $o"
  done
  grep -c '^=== bwrap call' "$W/logs/sbox.log" | sed 's/^/  bwrap calls through sbox (incl. install triggers, dbus proxies): /'
  if [ "${VERBOSE:-0}" = 1 ]; then sed 's/^/    /' "$W/logs/sbox.log"; fi

  [ -n "$buspid" ] && { kill "$buspid"; wait "$buspid" 2>/dev/null; }
  echo "  (pass total: $(since $t0) s)"
  return $((fails > 0))
}

# ---------------------------------------------------------------------------
if [ "${1:-}" = --inner ]; then inner "$2" "$3"; exit $?; fi

: "${SBOX:?set SBOX=/path/to/sbox}"
[ -x "$SBOX" ] || { echo "FAIL: SBOX=$SBOX is not executable"; exit 1; }
command -v flatpak >/dev/null || skip "flatpak is not installed (apt-get install flatpak)"
command -v busybox >/dev/null || skip "busybox is not installed (apt-get install busybox-static)"

T0=$(date +%s.%N)
T=$(mktemp -d /tmp/flatpak-test.XXXXXX) || exit 1
chmod 755 "$T"
cleanup() {
  # flatpak leaves read-only dirs in its repo/checkouts: make them removable
  chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"
}
if [ "${KEEP:-0}" = 1 ]; then echo "keeping $T"; else trap cleanup EXIT; fi
cp "$SBOX" "$T/sbox"; chmod 755 "$T/sbox"        # readable by the unprivileged uid
cp "$0" "$T/self.sh"; chmod 755 "$T/self.sh"
echo "flatpak: $(flatpak --version); sbox: $("$T/sbox" --version 2>&1 | head -1); real: $(${REAL_BWRAP:-/usr/bin/bwrap} --version 2>&1)"

status=0
if [ "$(id -u)" = 0 ]; then
  echo "== pass as root"
  mkdir "$T/root"; bash "$T/self.sh" --inner "$T/root" "$T/sbox" || status=1
  if command -v setpriv >/dev/null; then
    u=${AS_USER:-65534}
    echo "== pass as uid $u (setpriv, unprivileged)"
    mkdir "$T/user"; chown "$u:$u" "$T/user"
    (cd "$T/user" && setpriv --reuid="$u" --regid="$u" --clear-groups \
       env -i PATH=/usr/bin:/bin REAL_BWRAP="${REAL_BWRAP:-}" VERBOSE="${VERBOSE:-0}" \
       bash "$T/self.sh" --inner "$T/user" "$T/sbox") || status=1
  fi
else
  echo "== pass as uid $(id -u)"
  mkdir "$T/user"; bash "$T/self.sh" --inner "$T/user" "$T/sbox" || status=1
fi
echo "== total $(since $T0) s: $([ $status = 0 ] && echo PASS || echo FAIL)"
exit $status
