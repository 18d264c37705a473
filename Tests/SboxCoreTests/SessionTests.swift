@testable import SboxCore
import Testing

@Suite struct SessionTests {
    func plan(_ arguments: [ByteString], _ environment: [ByteString]) throws -> Plan {
        let host = HostContext(
            uid: 1000, gid: 100, environment: ["HOME=/home/u", "XDG_RUNTIME_DIR=/run/user/1000"] + environment,
            currentDirectory: "/home/u/src")
        let result = ProfileLoader(store: MemoryStore(), variables: ProfileVariables(host: host))
            .options(for: try CommandLineParser.parse(arguments + ["true"]))
        if let error = result.errors.first { throw error }
        return try PlanCompiler.compile(Invocation(options: result.options, command: ["true"]), host: host)
    }

    func steps(_ plan: Plan) -> [MountStep] {
        plan.mounts.map(\.step).filter {
            if case .socket = $0 { true } else if case .xauthority = $0 { true } else { false }
        }
    }

    @Test func theDisplayAndItsCookieAloneAndRenumberedWhereTheNetworkIsShared() throws {
        let own = try plan(["--profile", "gui"], ["DISPLAY=:57.1", "XAUTHORITY=/run/user/1000/gdm/Xauthority"])
        #expect(steps(own).prefix(2) == [.socket(source: "/tmp/.X11-unix/X57", destination: "/tmp/.X11-unix/X57"),
                                        .xauthority(source: "/run/user/1000/gdm/Xauthority", display: "57", as: "57",
                                                    destination: "/run/sbox/Xauthority")])
        #expect(
            own.environment.contains("DISPLAY=:57.1") && own.environment.contains("XAUTHORITY=/run/sbox/Xauthority"))
        let shared = try plan(["--profile", "browser"], ["DISPLAY=unix:3"])
        #expect(
            steps(shared).prefix(2) == [
                .socket(source: "/tmp/.X11-unix/X3", destination: "/tmp/.X11-unix/X1003"),
                .xauthority(
                    source: "/home/u/.Xauthority", display: "3", as: "1003", destination: "/run/sbox/Xauthority"),
            ])
        #expect(shared.environment.contains("DISPLAY=:1003"))
        // Over TCP, or unset: no socket, and a note; never an error.
        for display: [ByteString] in [["DISPLAY=remote:0"], []] {
            let result = try plan(["--profile", "none", "--x11"], display)
            #expect(steps(result).isEmpty && result.settings.last?.text.hasPrefix("x11: ") == true, "\(display)")
        }
    }

    @Test func waylandSoundAndPipewireFollowTheirVariablesAndNeverADirectory() throws {
        let named = try plan(
            ["--profile", "none", "--wayland", "--pulseaudio", "--pipewire"],
            [
                "WAYLAND_DISPLAY=wayland-1", "PULSE_SERVER=tcp:box unix:/srv/pulse/native",
                "PIPEWIRE_REMOTE=/srv/pw/sock",
            ])
        #expect(steps(named) == [.socket(source: "/run/user/1000/wayland-1", destination: "/run/user/1000/wayland-1"),
                                 .socket(source: "/srv/pulse/native", destination: "/srv/pulse/native"),
                                 .socket(source: "/srv/pw/sock", destination: "/srv/pw/sock")])
        #expect(
            named.environment.suffix(3) == [
                "WAYLAND_DISPLAY=/run/user/1000/wayland-1", "PULSE_SERVER=unix:/srv/pulse/native",
                "PIPEWIRE_REMOTE=/srv/pw/sock",
            ])
        // A relative path that climbs, sbox's own files: nothing, and explain says why.
        let refused = try plan(["--profile", "none", "--wayland", "--pulseaudio"],
                               ["WAYLAND_DISPLAY=../../etc/x", "PULSE_SERVER=unix:/home/u/.config/sbox/s"])
        #expect(steps(refused).isEmpty)
        #expect(refused.settings.map(\.text).contains { $0.contains("nothing exposed") })
    }

    @Test func theCookieFileKeepsOnlyTheDisplaysEntriesMadeWild() {
        func entry(_ family: UInt16, _ address: String, _ number: String, _ data: [UInt8]) -> [UInt8] {
            func field(_ bytes: [UInt8]) -> [UInt8] { [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes }
            return [UInt8(family >> 8), UInt8(family & 0xff)] + field(Array(address.utf8)) + field(Array(number.utf8))
                + field(Array("MIT-MAGIC-COOKIE-1".utf8)) + field(data)
        }
        let file =
            entry(256, "host", "57", [1, 2]) + entry(256, "host", "9", [3, 4]) + entry(0, "10.0.0.1", "57", [5, 6])
        #expect(XAuthority.entries(for: "57", in: file, as: "1057") == entry(65535, "", "1057", [1, 2]))
        #expect(XAuthority.entries(for: "57", in: Array(file.dropLast()), as: "57").isEmpty)  // malformed: nothing
    }

    /// A host where each of `paths` exists as itself.
    func hostWithFiles(_ paths: [ByteString]) -> HostContext {
        var host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        for path in paths { host.resolved.arguments[path] = ResolvedArgument(path: path, isSymlink: false) }
        return host
    }

    func exposedArguments(_ plan: Plan) -> [MountStep] {
        plan.requestedMounts.map(\.step).filter { if case .argument = $0 { true } else { false } }
    }

    @Test func exposeArgsNamesEachFileAloneButNeverServicesOrSboxsOwn() throws {
        let host = hostWithFiles(["/tmp/a b.html", "/home/u/Downloads/img.png", "/proc/1/environ", "/home/u",
                                  "/home/u/.config/sbox/profiles/x"])
        let invocation = try CommandLineParser.parse([
            "--expose-args", "ro", "--", "viewer", "file:///tmp/a%20b.html",
            "/home/u/Downloads/img.png", "relative.txt", "/proc/1/environ",
            "file:///home/u/.config/sbox/profiles/x", "https://example.org/", "/home/u", "/home/u/absent",
        ])
        let plan = try PlanCompiler.compile(invocation, host: host)
        #expect(exposedArguments(plan) == [
            .argument("/tmp/a b.html", source: "/tmp/a b.html", mode: .readOnly, directories: true),
            .argument("/home/u/Downloads/img.png", source: "/home/u/Downloads/img.png", mode: .readOnly,
                      directories: true),
            .argument("/home/u", source: "/home/u", mode: .readOnly, directories: false),
        ])
        #expect(plan.settings.map(\.text).contains { $0.hasPrefix("expose-args: not /proc/1/environ") })
        #expect(plan.settings.map(\.text).contains("expose-args: not /home/u/absent, as it does not exist"))
        #expect(plan.notices.isEmpty)
        #expect(throws: UsageError("--expose-args yes: 'yes' is not a mode (ro or rw)")) {
            try PlanCompiler.compile(try CommandLineParser.parse(["--expose-args", "yes", "true"]), host: host)
        }
    }

    /// The attack: a sandbox that may write ~/Downloads plants "documents" that are symlinks to /, to
    /// /tmp, to a key or to sbox's own files; the caller later opens one through a launcher.
    @Test func exposeArgsNeverFollowsASymlinkPastTheChecks() throws {
        var host = hostWithFiles([])
        let links: [(ByteString, ByteString)] = [("/home/u/Downloads/report.pdf", "/"),
                                                ("/home/u/Downloads/notes.txt", "/tmp"),
                                                ("/home/u/Downloads/key.pdf", "/home/u/.ssh/id_ed25519")]
        for (link, target) in links { host.resolved.arguments[link] = ResolvedArgument(path: target, isSymlink: true) }
        // Through a symlinked directory: where it leads is checked as where it is spelled.
        host.resolved.arguments["/home/u/Downloads/d/bus"] =
            ResolvedArgument(path: "/run/dbus/system_bus_socket", isSymlink: false)
        host.resolved.arguments["/home/u/Downloads/d/own"] =
            ResolvedArgument(path: "/home/u/.config/sbox/profiles/ci.local", isSymlink: false)
        host.resolved.arguments["/home/u/Downloads/t/x"] = ResolvedArgument(path: "/tmp", isSymlink: false)
        // A directory only as it is spelled: sbox's own files beneath it are hidden at their real
        // paths, which a copy at /home/u/L/.config would miss.
        host.resolved.arguments["/home/u/L/.config"] = ResolvedArgument(path: "/home/u/.config", isSymlink: false)
        host.resolved.arguments["/home/u/Documents/a/b.pdf"] =
            ResolvedArgument(path: "/data/u/Documents/a/b.pdf", isSymlink: false)
        // A directory every user may write in is anyone's: its files only, never the directory.
        host.resolved.arguments["/srv/drop"] = ResolvedArgument(path: "/srv/drop", isSymlink: false)
        host.resolved.writableByEveryone = ["/srv/drop"]
        let plan = try PlanCompiler.compile(try CommandLineParser.parse(
            ["--expose-args", "rw", "--", "viewer"] + links.map(\.0)
                + ["/home/u/Downloads/d/bus", "/home/u/Downloads/d/own", "/home/u/Downloads/t/x",
                   "/home/u/L/.config", "/home/u/Documents/a/b.pdf", "/srv/drop"]), host: host)
        #expect(exposedArguments(plan) == [
            .argument("/home/u/Downloads/t/x", source: "/tmp", mode: .readWrite, directories: false),
            .argument("/home/u/L/.config", source: "/home/u/.config", mode: .readWrite, directories: false),
            .argument("/home/u/Documents/a/b.pdf", source: "/data/u/Documents/a/b.pdf", mode: .readWrite,
                      directories: false),
            .argument("/srv/drop", source: "/srv/drop", mode: .readWrite, directories: false),
        ])
        #expect(plan.notices == [
            "expose-args: /home/u/Downloads/report.pdf is not exposed, as it is a symlink (to /): only a file "
                + "itself is exposed",
            "expose-args: /home/u/Downloads/notes.txt is not exposed, as it is a symlink (to /tmp): only a file "
                + "itself is exposed",
            "expose-args: /home/u/Downloads/key.pdf is not exposed, as it is a symlink (to "
                + "/home/u/.ssh/id_ed25519): only a file itself is exposed",
            "expose-args: /home/u/Downloads/d/bus is not exposed, as it is /run/dbus/system_bus_socket, and /run "
                + "holds the host's services",
            "expose-args: /home/u/Downloads/d/own is not exposed, as it is /home/u/.config/sbox/profiles/ci.local, "
                + "and it is sbox's own (/home/u/.config/sbox)",
        ])
    }

    @Test func rwCreateMakesDirectoriesInTheHomeOnly() throws {
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        let plan = try PlanCompiler.compile(
            try CommandLineParser.parse(["--rw-create", "/home/u/.mozilla", "true"]), host: host)
        #expect(plan.createdDirectories.map(\.path) == ["/home/u/.mozilla"])
        #expect(plan.mounts.first?.step == .expose("/home/u/.mozilla", mode: .readWrite, optional: false))
        for path: ByteString in ["/etc/x", "/home/u", "/home/u/.config/sbox/x", "/home/u/../v/x"] {
            #expect(
                throws: UsageError(
                    "--rw-create \(path): sbox makes directories on the host only in the home (not the home itself, "
                        + "nor sbox's own)"
                )
            ) {
                try PlanCompiler.compile(try CommandLineParser.parse(["--rw-create", path, "true"]), host: host)
            }
        }
    }

    @Test func durationsTakeUnitsInARow() {
        #expect(PlanCompiler.milliseconds("1h30m") == 5_400_000)
        #expect(PlanCompiler.milliseconds("2m30s") == 150_000)
        #expect(PlanCompiler.milliseconds("1.5") == 1500 && PlanCompiler.milliseconds("1d") == 86_400_000)
        for bad in ["1h30", "h", "", "1x", "0", "-1s", "1h-30m"] {
            #expect(PlanCompiler.milliseconds(bad) == nil, "\(bad)")
        }
    }
}
