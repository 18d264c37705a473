// Written by scripts/embed-profiles from profiles/*.profile: run it after changing a profile, rather
// than editing this file. BuiltinProfilesTests fails while the two differ.
public enum BuiltinProfiles {
    public static let names = ["browser", "ci", "default", "gui", "strict", "system", "usr"]

    public static func text(of name: String) -> String? {
        switch name {
        case "browser":
            return #"""
            # description: A web browser: the gui profile plus the network, ~/Downloads and the browser's own state\#
             read-write.
            include gui
            share-net
            # Name resolution when /etc/resolv.conf points into /run.
            ro-try /run/systemd/resolve
            rw-try ${HOME}/Downloads
            # The browsers' own state, made on the first run (0700) so that bookmarks, history and logins persist
            # from it: Firefox's two places and its cache, Chromium's.
            rw-create ${HOME}/.mozilla
            rw-create ${XDG_CONFIG_HOME}/mozilla
            rw-create ${XDG_CACHE_HOME}/mozilla
            rw-create ${XDG_CONFIG_HOME}/chromium
            rw-create ${XDG_CACHE_HOME}/chromium
            """# + "\n"
        case "ci":
            return #"""
            # description: A test run: the current directory (the workspace) read-write, the system read-only, a\#
             private home and /tmp, no network.
            include system
            proc /proc
            dev /dev
            tmpfs /tmp
            tmpfs /var/tmp
            # Debian's package database, read-only: dpkg -l, apt-cache policy and build scripts that ask it.
            ro-try /var/lib/dpkg
            ro-try /var/lib/apt
            ro-try /var/cache/apt
            private-home
            rw-cwd
            # A CI job's tokens stay outside: the test suite runs code nobody reviewed (keepenv NAME keeps one).
            drop-credentials
            syscalls @system-service
            """# + "\n"
        case "default":
            return #"""
            # description: Command-line tools: the system read-only, a private home and /tmp, no network, the current\#
             directory read-only.
            include system
            proc /proc
            dev /dev
            tmpfs /tmp
            # An empty writable home at $HOME: nothing of the real one is visible.
            private-home
            # The directory sbox was started in, read-only (nothing when that is / or contains the home).
            ro-cwd
            # The caller's tokens, keys, passwords, agents' sockets and LD_PRELOAD stay outside (keepenv NAME keeps\#
             one).
            drop-credentials
            # What command-line tools need; everything else is refused with EPERM.
            syscalls @system-service
            """# + "\n"
        case "gui":
            return #"""
            # description: Desktop programs without network: the default profile plus the display (Wayland, X11),\#
             sound and the GPU.
            include default
            # The session's display and sound, as its variables name them: each socket alone (never its
            # directory), and DISPLAY, XAUTHORITY, WAYLAND_DISPLAY, PULSE_SERVER, PIPEWIRE_REMOTE set inside.
            # X11 has no isolation between clients: a program with the X11 socket can read other windows and
            # type into them (a host terminal included). On a Wayland desktop, start sbox with DISPLAY unset.
            x11
            wayland
            pulseaudio
            pipewire
            # The GPU, and the user's fonts and themes.
            dev-bind-try /dev/dri /dev/dri
            ro-try ${XDG_DATA_HOME}/fonts
            ro-try ${XDG_CONFIG_HOME}/fontconfig
            ro-try ${XDG_CONFIG_HOME}/gtk-3.0
            """# + "\n"
        case "strict":
            return #"""
            # description: The least that still runs a program from /usr: /usr read-only, no /proc, /dev, /tmp or\#
             home, an empty environment but PATH.
            include usr
            # The dynamic linker's cache: on multiarch systems libraries are not found without it.
            ro-try /etc/ld.so.cache
            clearenv
            setenv PATH /usr/local/bin:/usr/bin:/bin
            # Reading and writing files and memory; no sockets, no new processes, no ioctl, no IPC.
            syscalls @default @basic-io @file-system @memory @signal
            """# + "\n"
        case "system":
            return #"""
            # description: The system read-only (/usr and its merged-/usr links, /etc, /opt): a base for other profiles.
            include usr
            ro /etc
            ro-try /opt
            """# + "\n"
        case "usr":
            return #"""
            # description: /usr and its merged-/usr links read-only: what any program from /usr needs; a base for\#
             other profiles.
            # ro shows a path as it is on the host: on a merged-/usr system /bin is the link usr/bin, elsewhere
            # it is a directory bound read-only. The -try forms skip what a distribution does not have.
            ro /usr
            ro-try /bin
            ro-try /sbin
            ro-try /lib
            ro-try /lib32
            ro-try /lib64
            ro-try /libx32
            """# + "\n"
        default:
            return nil
        }
    }

    /// The directives of profile `name` as ProfileParser reads them, parsed when this file was
    /// written: a start parses no built-in profile.
    public static func lines(of name: String) -> [ParsedOption]? {
        switch name {
        case "browser":
            let file = "browser.profile (built-in)"
            return [
                ParsedOption(.include, ["gui"], origin: .profile(file: file, line: 2, text: "include gui")),
                ParsedOption(.shareNet, [], origin: .profile(file: file, line: 3, text: "share-net")),
                ParsedOption(.roTry, ["/run/systemd/resolve"],
                             origin: .profile(file: file, line: 5, text: "ro-try /run/systemd/resolve")),
                ParsedOption(.rwTry, ["${HOME}/Downloads"],
                             origin: .profile(file: file, line: 6, text: "rw-try ${HOME}/Downloads")),
                ParsedOption(.rwCreate, ["${HOME}/.mozilla"],
                             origin: .profile(file: file, line: 9, text: "rw-create ${HOME}/.mozilla")),
                ParsedOption(.rwCreate, ["${XDG_CONFIG_HOME}/mozilla"],
                             origin: .profile(file: file, line: 10, text: "rw-create ${XDG_CONFIG_HOME}/mozilla")),
                ParsedOption(.rwCreate, ["${XDG_CACHE_HOME}/mozilla"],
                             origin: .profile(file: file, line: 11, text: "rw-create ${XDG_CACHE_HOME}/mozilla")),
                ParsedOption(.rwCreate, ["${XDG_CONFIG_HOME}/chromium"],
                             origin: .profile(file: file, line: 12, text: "rw-create ${XDG_CONFIG_HOME}/chromium")),
                ParsedOption(.rwCreate, ["${XDG_CACHE_HOME}/chromium"],
                             origin: .profile(file: file, line: 13, text: "rw-create ${XDG_CACHE_HOME}/chromium")),
            ]
        case "ci":
            let file = "ci.profile (built-in)"
            return [
                ParsedOption(.include, ["system"], origin: .profile(file: file, line: 2, text: "include system")),
                ParsedOption(.proc, ["/proc"], origin: .profile(file: file, line: 3, text: "proc /proc")),
                ParsedOption(.dev, ["/dev"], origin: .profile(file: file, line: 4, text: "dev /dev")),
                ParsedOption(.tmpfs, ["/tmp"], origin: .profile(file: file, line: 5, text: "tmpfs /tmp")),
                ParsedOption(.tmpfs, ["/var/tmp"], origin: .profile(file: file, line: 6, text: "tmpfs /var/tmp")),
                ParsedOption(.roTry, ["/var/lib/dpkg"],
                             origin: .profile(file: file, line: 8, text: "ro-try /var/lib/dpkg")),
                ParsedOption(.roTry, ["/var/lib/apt"],
                             origin: .profile(file: file, line: 9, text: "ro-try /var/lib/apt")),
                ParsedOption(.roTry, ["/var/cache/apt"],
                             origin: .profile(file: file, line: 10, text: "ro-try /var/cache/apt")),
                ParsedOption(.privateHome, [], origin: .profile(file: file, line: 11, text: "private-home")),
                ParsedOption(.rwCwd, [], origin: .profile(file: file, line: 12, text: "rw-cwd")),
                ParsedOption(.dropCredentials, [], origin: .profile(file: file, line: 14, text: "drop-credentials")),
                ParsedOption(.syscalls, ["@system-service"],
                             origin: .profile(file: file, line: 15, text: "syscalls @system-service")),
            ]
        case "default":
            let file = "default.profile (built-in)"
            return [
                ParsedOption(.include, ["system"], origin: .profile(file: file, line: 2, text: "include system")),
                ParsedOption(.proc, ["/proc"], origin: .profile(file: file, line: 3, text: "proc /proc")),
                ParsedOption(.dev, ["/dev"], origin: .profile(file: file, line: 4, text: "dev /dev")),
                ParsedOption(.tmpfs, ["/tmp"], origin: .profile(file: file, line: 5, text: "tmpfs /tmp")),
                ParsedOption(.privateHome, [], origin: .profile(file: file, line: 7, text: "private-home")),
                ParsedOption(.roCwd, [], origin: .profile(file: file, line: 9, text: "ro-cwd")),
                ParsedOption(.dropCredentials, [], origin: .profile(file: file, line: 11, text: "drop-credentials")),
                ParsedOption(.syscalls, ["@system-service"],
                             origin: .profile(file: file, line: 13, text: "syscalls @system-service")),
            ]
        case "gui":
            let file = "gui.profile (built-in)"
            return [
                ParsedOption(.include, ["default"], origin: .profile(file: file, line: 2, text: "include default")),
                ParsedOption(.x11, [], origin: .profile(file: file, line: 7, text: "x11")),
                ParsedOption(.wayland, [], origin: .profile(file: file, line: 8, text: "wayland")),
                ParsedOption(.pulseaudio, [], origin: .profile(file: file, line: 9, text: "pulseaudio")),
                ParsedOption(.pipewire, [], origin: .profile(file: file, line: 10, text: "pipewire")),
                ParsedOption(.devBindTry, ["/dev/dri", "/dev/dri"],
                             origin: .profile(file: file, line: 12, text: "dev-bind-try /dev/dri /dev/dri")),
                ParsedOption(.roTry, ["${XDG_DATA_HOME}/fonts"],
                             origin: .profile(file: file, line: 13, text: "ro-try ${XDG_DATA_HOME}/fonts")),
                ParsedOption(.roTry, ["${XDG_CONFIG_HOME}/fontconfig"],
                             origin: .profile(file: file, line: 14, text: "ro-try ${XDG_CONFIG_HOME}/fontconfig")),
                ParsedOption(.roTry, ["${XDG_CONFIG_HOME}/gtk-3.0"],
                             origin: .profile(file: file, line: 15, text: "ro-try ${XDG_CONFIG_HOME}/gtk-3.0")),
            ]
        case "strict":
            let file = "strict.profile (built-in)"
            return [
                ParsedOption(.include, ["usr"], origin: .profile(file: file, line: 2, text: "include usr")),
                ParsedOption(.roTry, ["/etc/ld.so.cache"],
                             origin: .profile(file: file, line: 4, text: "ro-try /etc/ld.so.cache")),
                ParsedOption(.clearenv, [], origin: .profile(file: file, line: 5, text: "clearenv")),
                ParsedOption(.setenv, ["PATH", "/usr/local/bin:/usr/bin:/bin"],
                             origin: .profile(file: file, line: 6, text: "setenv PATH /usr/local/bin:/usr/bin:/bin")),
                ParsedOption(.syscalls, ["@default,@basic-io,@file-system,@memory,@signal"], origin: .profile(
                    file: file, line: 8,
                    text: "syscalls @default @basic-io @file-system @memory @signal")),
            ]
        case "system":
            let file = "system.profile (built-in)"
            return [
                ParsedOption(.include, ["usr"], origin: .profile(file: file, line: 2, text: "include usr")),
                ParsedOption(.ro, ["/etc"], origin: .profile(file: file, line: 3, text: "ro /etc")),
                ParsedOption(.roTry, ["/opt"], origin: .profile(file: file, line: 4, text: "ro-try /opt")),
            ]
        case "usr":
            let file = "usr.profile (built-in)"
            return [
                ParsedOption(.ro, ["/usr"], origin: .profile(file: file, line: 4, text: "ro /usr")),
                ParsedOption(.roTry, ["/bin"], origin: .profile(file: file, line: 5, text: "ro-try /bin")),
                ParsedOption(.roTry, ["/sbin"], origin: .profile(file: file, line: 6, text: "ro-try /sbin")),
                ParsedOption(.roTry, ["/lib"], origin: .profile(file: file, line: 7, text: "ro-try /lib")),
                ParsedOption(.roTry, ["/lib32"], origin: .profile(file: file, line: 8, text: "ro-try /lib32")),
                ParsedOption(.roTry, ["/lib64"], origin: .profile(file: file, line: 9, text: "ro-try /lib64")),
                ParsedOption(.roTry, ["/libx32"], origin: .profile(file: file, line: 10, text: "ro-try /libx32")),
            ]
        default:
            return nil
        }
    }
}
