import SboxCore
import Testing

/// Profile files in memory: the loader's view of the file system.
final class MemoryStore: ProfileStore {
    var files: [String: String]
    var unreadable: Set<String> = []
    init(_ files: [String: String] = [:]) { self.files = files }

    func read(_ path: ByteString) throws(UsageError) -> ByteString? {
        if unreadable.contains(path.lossy) { throw UsageError("cannot read the profile \(path): Permission denied") }
        return files[path.lossy].map { ByteString($0) }
    }

    func profileNames(in directory: ByteString) -> [String] {
        files.keys.filter { $0.hasPrefix(directory.lossy + "/") && $0.hasSuffix(".profile") }
            .map { String($0.dropFirst(directory.count + 1).dropLast(".profile".count)) }
    }
}

let profileHost = HostContext(
    uid: 1000, gid: 100, environment: ["HOME=/home/u", "USER=u", "XDG_RUNTIME_DIR=/run/user/1000", "PATH=/usr/bin"],
    currentDirectory: "/home/u/work")
let userDirectory = "/home/u/.config/sbox/profiles"

func loader(_ store: MemoryStore, host: HostContext = profileHost) -> ProfileLoader {
    ProfileLoader(store: store, variables: ProfileVariables(host: host))
}

/// The options a command line gives once its profiles are applied, compiled into a plan.
func plan(_ arguments: [ByteString], _ store: MemoryStore, host: HostContext = profileHost) throws -> Plan {
    let result = loader(store, host: host).options(for: try CommandLineParser.parse(arguments + ["true"]))
    if let error = result.errors.first { throw error }
    return try PlanCompiler.compile(Invocation(options: result.options, command: ["true"]), host: host)
}

extension Plan {
    /// The mounts the options asked for, without the two that every sandbox gets (sbox's own files hidden).
    var requestedMounts: [PlannedMount] { mounts.filter { $0.origin != .commandLine("always: sbox's own files") } }
}

func errors(of reference: String, _ store: MemoryStore) -> [String] {
    loader(store).load(ByteString(reference), withLocal: false).errors.map(\.message)
}

@Suite struct ProfileParserTests {
    @Test func directivesAreOptionsWithoutDashesWithTheirLineAsOrigin() {
        let text = """
        # description: test
        ro-bind /usr /usr   # trailing comment

        setenv GREETING "hello world"
        setenv QUOTE "a \\"b\\" \\\\c"
          share-net  
        ro  /opt
        """
        let (lines, errors) = ProfileParser.parse(text, file: "t.profile")
        #expect(errors.isEmpty)
        #expect(lines.map(\.name) == [.roBind, .setenv, .setenv, .shareNet, .ro])
        // The origin is the directive's words joined by one blank, whatever the line's blanks and quotes.
        #expect(
            lines.map { if case .profile(_, _, let text) = $0.origin { text } else { "" } }
                == [
                    "ro-bind /usr /usr", "setenv GREETING hello world", #"setenv QUOTE a "b" \c"#, "share-net",
                    "ro /opt",
                ])
        #expect(lines[1].arguments == ["GREETING", "hello world"])
        // Arguments are templates until the loader expands them: an escaped backslash stays escaped.
        #expect(lines[2].arguments == ["QUOTE", #"a "b" \\c"#])
        #expect(
            ProfileParser.expand(lines[2].arguments[1], with: ProfileVariables(host: profileHost)).value == #"a "b" \c"#
        )
        #expect(lines[0].origin == .profile(file: "t.profile", line: 2, text: "ro-bind /usr /usr"))
        #expect(lines[0].origin.location == "t.profile:2")
    }

    @Test func everyBadLineIsReportedWithFileAndLine() {
        let text = """
        ro-bnd /usr /usr
        bind /only-one
        tmpfs
        setenv A "unterminated
        ro ${HOEM}/x
        help
        """
        let (lines, errors) = ProfileParser.parse(text, file: "bad.profile")
        #expect(lines.count == 1)  // the line with the unknown variable is parsed, its error reported
        #expect(
            errors.map(\.message) == [
                "bad.profile:1: unknown directive 'ro-bnd' (did you mean 'ro-bind'?)",
                "bad.profile:2: 'bind' takes 2 arguments (bind SRC DEST), not 1",
                "bad.profile:3: 'tmpfs' takes 1 argument (tmpfs DEST), not 0",
                "bad.profile:4: unterminated quote",
                "bad.profile:5: unknown variable ${HOEM} (did you mean ${HOME}?); known: HOME, USER, UID, GID, PWD, "
                    + "XDG_RUNTIME_DIR, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME, XDG_STATE_HOME",
                "bad.profile:6: unknown directive 'help'",
            ])
    }

    @Test func everyOptionButHelpAndVersionIsADirective() {
        for name in OptionName.allCases where name.spec.isDirective {
            let line = ([name.rawValue] + name.spec.arguments.map { _ in "/x" }).joined(separator: " ")
            let (lines, errors) = ProfileParser.parse(line, file: "all.profile")
            #expect(errors.isEmpty, "\(line): \(errors)")
            #expect(lines.map(\.name) == [name])
        }
    }
}

@Suite struct ProfileLoaderTests {
    @Test func variablesAreExpandedAndUnsetOnesAreErrorsUnlessOptional() throws {
        let store = MemoryStore(["/p/v.profile": """
        ro ${HOME}/docs
        rw-try ${XDG_RUNTIME_DIR}/bus
        setenv WHO ${USER}:${UID}:${GID}
        ro-try ${XDG_CACHE_HOME}/x
        """])
        let result = loader(store).load("/p/v.profile")
        #expect(result.errors.isEmpty)
        #expect(
            result.options.map(\.arguments) == [
                ["/home/u/docs"], ["/run/user/1000/bus"], ["WHO", "u:1000:100"], ["/home/u/.cache/x"],
            ])

        let bare = HostContext(uid: 1, gid: 1, environment: ["HOME=/h"], currentDirectory: "/")
        let unset = loader(store, host: bare).load("/p/v.profile")
        // ro-try with an unset variable does nothing; setenv with one is an error.
        #expect(unset.options.map(\.name) == [.ro, .roTry])
        #expect(
            unset.errors.map(\.message) == [
                "/p/v.profile:3: setenv WHO ${USER}:${UID}:${GID}: ${USER} is not set (use the -try form if the path "
                    + "is optional)"
            ])
    }

    @Test func namesAreLookedUpInTheUsersThenTheSystemsThenTheBuiltInProfiles() throws {
        let store = MemoryStore([
            "/etc/sbox/profiles/tool.profile": "hostname system-tool\n",
            "\(userDirectory)/tool.profile": "hostname user-tool\n",
            "/etc/sbox/profiles/other.profile": "hostname system-other\n",
        ])
        #expect(try plan(["--profile", "tool"], store).hostname == "user-tool")
        #expect(try plan(["--profile", "other"], store).hostname == "system-other")
        #expect(try plan(["--profile", "strict"], store).environment == ["PATH=/usr/local/bin:/usr/bin:/bin"])
        let listed = loader(store).available().map { "\($0.name) \($0.kind.rawValue)" }
        #expect(
            listed == [
                "browser built-in", "ci built-in", "default built-in", "gui built-in", "other system",
                "strict built-in", "system built-in", "tool user", "usr built-in",
            ])
    }

    @Test func withoutProfileTheDefaultAppliesAndNoneAppliesNothing() throws {
        let store = MemoryStore()
        let withDefault = try plan([], store)
        #expect(withDefault.mounts.first?.origin.location == "usr.profile (built-in):4")
        #expect(withDefault.mounts.contains { $0.step == .tmpfs("/home/u", permissions: 0o700, sizeBytes: nil) })
        #expect(try plan(["--profile", "none"], store).requestedMounts.isEmpty)
    }

    @Test func commandLineOptionsApplyAfterTheProfileAndIncludeWhereItStands() throws {
        let store = MemoryStore(["/p/a.profile": "hostname from-profile\ntmpfs /a\n", "/p/b.profile": "tmpfs /b\n"])
        let result = try plan(
            [
                "--profile", "/p/a.profile", "--hostname", "cli", "--tmpfs", "/c", "--include", "/p/b.profile",
                "--tmpfs", "/d",
            ], store)
        #expect(result.hostname == "cli")
        #expect(
            result.requestedMounts.map(\.step)
                == ["/a", "/c", "/b", "/d"].map { MountStep.tmpfs($0, permissions: 0o755, sizeBytes: nil) })
    }

    @Test func aLocalFileInTheUsersFolderAppliesAfterTheProfile() throws {
        let store = MemoryStore(["\(userDirectory)/default.local": "share-net\nhide ${HOME}/.ssh\n"])
        let result = try plan([], store)
        #expect(!result.namespaces.contains(.net))
        #expect(result.requestedMounts.last?.step == .hide("/home/u/.ssh"))
        #expect(result.requestedMounts.last?.origin.location == "\(userDirectory)/default.local:2")
    }

    @Test func includeOfItsOwnNameMeansTheNextOneSoAUserProfileCanExtendTheBuiltIn() throws {
        let store = MemoryStore(["\(userDirectory)/default.profile": "include default\nsetenv EXTENDED yes\n"])
        let result = try plan([], store)
        #expect(result.environment.last == "EXTENDED=yes")
        #expect(result.mounts.contains { $0.origin.location == "default.profile (built-in):3" })
    }

    @Test func relativeIncludesResolveAgainstTheIncludingFile() throws {
        let store = MemoryStore(["/p/sub/a.profile": "include ../b.profile\n", "/p/b.profile": "tmpfs /from-b\n"])
        #expect(
            try plan(["--profile", "/p/sub/a.profile"], store).requestedMounts.map(\.step) == [
                .tmpfs("/from-b", permissions: 0o755, sizeBytes: nil)
            ])
    }

    @Test func includeCyclesShowTheChain() {
        let store = MemoryStore(["/p/a.profile": "include /p/b.profile\n", "/p/b.profile": "include /p/a.profile\n"])
        #expect(
            errors(of: "/p/a.profile", store) == [
                "/p/a.profile:1: in '/p/b.profile': /p/b.profile:1: in '/p/a.profile': include cycle: /p/a.profile → "
                    + "/p/b.profile → /p/a.profile"
            ])
    }

    @Test func aProfileThatIncludesItsOwnNameWithNoneAfterItIsACycle() {
        let store = MemoryStore(["\(userDirectory)/self.profile": "include self\n"])
        #expect(
            errors(of: "self", store) == [
                "\(userDirectory)/self.profile:1: in 'self': include cycle: \(userDirectory)/self.profile → "
                    + "\(userDirectory)/self.profile (inside self.profile, 'include self' is the next profile "
                    + "of that name, and there is none after it)"
            ])
    }

    @Test func missingUnknownAndUnreadableProfilesAreErrors() {
        let store = MemoryStore(["/p/a.profile": "include /p/missing.profile\ninclude defualt\n"])
        store.unreadable = ["/p/secret.profile"]
        #expect(
            errors(of: "/p/a.profile", store) == [
                "/p/a.profile:1: in '/p/missing.profile': profile /p/missing.profile: No such file or directory",
                "/p/a.profile:2: in 'defualt': no profile named 'defualt' (did you mean 'default'?); looked in "
                    + "\(userDirectory), /etc/sbox/profiles and the built-in ones (browser, ci, default, gui, strict, "
                    + "system, usr)",
            ])
        #expect(
            errors(of: "/p/secret.profile", store) == ["cannot read the profile /p/secret.profile: Permission denied"])
    }

    @Test func anIncludeOfAnUnsetVariableOrOfNoneIsAnError() {
        let store = MemoryStore(["/p/a.profile": "include ${XDG_RUNTIME_DIR}/x.profile\ninclude none\n"])
        let noRuntimeDirectory = HostContext(
            uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        #expect(
            loader(store, host: noRuntimeDirectory).load("/p/a.profile", withLocal: false).errors.map(\.message) == [
                "/p/a.profile:1: include ${XDG_RUNTIME_DIR}/x.profile: ${XDG_RUNTIME_DIR} is not set",
                "/p/a.profile:2: in 'none': 'none' is not a profile to include",
            ])
    }

    @Test func badValuesAndRelativePathsNameTheLine() {
        let store = MemoryStore([
            "/p/a.profile": "chmod 999 /x\n", "/p/b.profile": "ro usr\n", "/p/c.profile": "bind /a relative\n",
        ])
        #expect(throws: UsageError("/p/a.profile:1: chmod 999 /x: '999' is not an octal mode between 0 and 7777")) {
            try plan(["--profile", "/p/a.profile"], store)
        }
        #expect(
            throws: UsageError(
                "/p/b.profile:1: ro usr: 'usr' is a relative path; a profile needs an absolute one (use ${PWD} or "
                    + "${HOME})"
            )
        ) { try plan(["--profile", "/p/b.profile"], store) }
        #expect(
            throws: UsageError(
                "/p/c.profile:1: bind /a relative: 'relative' must be an absolute path inside the sandbox")
        ) { try plan(["--profile", "/p/c.profile"], store) }
    }
}

@Suite struct PathDirectiveTests {
    @Test func shorthandsBecomeTheStepsTheyStandFor() throws {
        let result = try plan(
            [
                "--profile", "none", "--ro", "/usr", "--rw-try", "/srv", "--hide", "/usr/secret", "--private-home",
                "--ro-home", "--ro-cwd", "--rw-cwd",
            ], MemoryStore())
        #expect(result.requestedMounts.map(\.step) == [
            .expose("/usr", mode: .readOnly, optional: false),
            .expose("/srv", mode: .readWrite, optional: true),
            .hide("/usr/secret"),
            .tmpfs("/home/u", permissions: 0o700, sizeBytes: nil),
            .expose("/home/u", mode: .readOnly, optional: false),
            .expose("/home/u/work", mode: .readOnly, optional: false),
            .expose("/home/u/work", mode: .readWrite, optional: false),
        ])
    }

    @Test func theCurrentDirectoryIsNotExposedWhereItWouldBringBackWhatTheSandboxKeepsOut() throws {
        let environment: [ByteString] = ["HOME=/home/u/", "XDG_RUNTIME_DIR=/run/user/1", "XDG_CONFIG_HOME=/srv/conf"]
        func exposed(_ directory: ByteString, _ shorthand: ByteString = "--rw-cwd") throws -> Plan {
            let host = HostContext(uid: 1, gid: 1, environment: environment, currentDirectory: directory)
            return try plan(
                ["--profile", "none", "--tmpfs", "/mnt/private", "--hide", "/srv/secret", shorthand], MemoryStore(),
                host: host)
        }
        // The root, the home (however HOME is spelled) and above it, the places every user shares or
        // where services listen, sbox's own files, what the plan made private.
        let refused: [ByteString] = [
            "/", "/home", "/home/u", "/tmp", "/var/tmp", "/var", "/dev/shm", "/dev", "/run", "/run/user/1",
            "/run/user/1/bus.d", "/proc", "/proc/self", "/sys", "/srv/conf/sbox", "/srv/conf/sbox/profiles",
            "/srv/conf", "/mnt/private", "/mnt", "/srv/secret/x", "/srv", "/tmp/.X11-unix", "/tmp/tmux-1000",
            "/tmp/ssh-XYZ/sub", "/usr/src", "/etc",
        ]
        for directory in refused {
            let result = try exposed(directory)
            #expect(
                !result.requestedMounts.contains { if case .expose = $0.step { true } else { false } }, "\(directory)")
            #expect(result.workingDirectory == .home, "\(directory)")
            #expect(
                result.notices.count == 1
                    && result.notices[0].hasPrefix("the current directory \(directory) is not exposed, as "),
                "\(directory): \(result.notices)")
        }
        #expect(
            try exposed("/tmp").notices == [
                "the current directory /tmp is not exposed, as every user shares it: the program starts in its home"
            ])
        #expect(try exposed("/").settings.map(\.text).last == "rw-cwd: nothing, as it is the root, the whole host")
        // A workspace in a shared directory, a project in the home, one beneath a private tmpfs.
        for directory: ByteString in ["/tmp/build-123", "/var/tmp/job", "/home/u/src", "/mnt/private/x", "/srv/data"] {
            let result = try exposed(directory)
            #expect(
                result.requestedMounts.last?.step == .expose(directory, mode: .readWrite, optional: false),
                "\(directory)")
            #expect(result.workingDirectory == .caller(directory) && result.notices.isEmpty, "\(directory)")
        }
        // Read-only, a directory above sbox's own files is safe: it cannot be renamed, and they stay hidden.
        #expect(
            try exposed("/srv/conf", "--ro-cwd").requestedMounts.last?.step
                == .expose("/srv/conf", mode: .readOnly, optional: false))
        // The home and the runtime directory as the host resolves them (/home -> /data/home).
        var linked = HostContext(uid: 1, gid: 1, environment: environment, currentDirectory: "/data/home/u")
        linked.resolved = ResolvedPaths(home: "/data/home/u", runtime: "/data/run/1")
        for directory: ByteString in ["/data/home/u", "/data/home", "/data/run/1/x"] {
            linked.currentDirectory = directory
            #expect(
                try plan(["--profile", "none", "--ro-cwd"], MemoryStore(), host: linked).workingDirectory == .home,
                "\(directory)")
        }
        // The system stays read-only: as the host's root, rw-cwd in /usr would have made it writable.
        #expect(
            try exposed("/usr/src", "--ro-cwd").requestedMounts.last?.step
                == .expose("/usr/src", mode: .readOnly, optional: false))
        // A directory every user may write in, wherever it is (a 1777 one made for sharing): anyone's
        // files and sockets may be there.
        var shared = HostContext(uid: 1, gid: 1, environment: environment, currentDirectory: "/tmp/drop")
        shared.resolved.writableByEveryone = ["/tmp/drop"]
        let sharedPlan = try plan(["--profile", "none", "--ro-cwd"], MemoryStore(), host: shared)
        #expect(sharedPlan.workingDirectory == .home)
        #expect(sharedPlan.notices == [
            "the current directory /tmp/drop is not exposed, as every user may write in it: "
                + "the program starts in its home"
        ])
        // --chdir still decides where the program starts.
        let host = HostContext(uid: 1, gid: 1, environment: environment, currentDirectory: "/tmp")
        #expect(
            try plan(["--profile", "none", "--ro-cwd", "--chdir", "/usr"], MemoryStore(), host: host).workingDirectory
                == .given("/usr"))
    }

    @Test func sboxsOwnProfilesAndCacheAreAlwaysHidden() throws {
        let result = try plan(["--profile", "none", "--rw", "/home/u"], MemoryStore())
        #expect(result.mounts.suffix(2).map(\.step) == [.hide("/home/u/.config/sbox"), .hide("/home/u/.cache/sbox")])
        #expect(result.cacheDirectory == "/home/u/.cache/sbox")
        #expect(result.ownDirectories == ["/home/u/.config/sbox", "/home/u/.cache/sbox"])  // created if missing
        // A relative XDG directory is invalid (XDG specification): the default under $HOME applies.
        let relative = HostContext(
            uid: 1, gid: 1, environment: ["HOME=/home/u/", "XDG_CACHE_HOME=rc"], currentDirectory: "/")
        #expect(
            try plan(["--profile", "none"], MemoryStore(), host: relative).ownDirectories.last == "/home/u/.cache/sbox")
    }

    @Test func aHomeDirectiveNeedsHome() {
        let homeless = HostContext(uid: 1, gid: 1, environment: [], currentDirectory: "/w")
        #expect(throws: UsageError("--private-home: $HOME is not set")) {
            try plan(["--profile", "none", "--private-home"], MemoryStore(), host: homeless)
        }
    }
}

@Suite struct ExplainTests {
    @Test func everyStepShowsWhereItCameFrom() throws {
        let store = MemoryStore(["/p/a.profile": "ro /usr\nsetenv A 1\n"])
        let text = PlanDescription.text(
            try plan(["--profile", "/p/a.profile", "--tmpfs", "/tmp", "--share-net"], store))
        #expect(text.contains("  ro /usr" + String(repeating: " ", count: 37) + "/p/a.profile:1"))
        #expect(text.contains("  tmpfs /tmp (mode 0755)"))
        #expect(text.contains("command line"))
        #expect(text.contains("namespaces: new user, mount, pid, ipc, uts, cgroup; the host's net"))
        let json = PlanDescription.json(try plan(["--profile", "/p/a.profile", "--setenv", "Q", "a\"b"], store))
        #expect(json.contains(#"{"step": "ro /usr", "origin": "/p/a.profile:1"}"#))
        #expect(json.contains(#""Q=a\"b""#))
        #expect(json.contains(#""net": "new""#))
    }
}
