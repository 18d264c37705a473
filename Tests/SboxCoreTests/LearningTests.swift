@testable import SboxCore
import Testing

@Suite struct LearningTests {
    let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u/project")

    func base(_ arguments: [ByteString]) throws -> Plan {
        let invocation = try CommandLineParser.parse(arguments + ["--", "tool", "--flag"])
        return try PlanCompiler.compile(invocation, host: host)
    }

    /// The host of these tests: these paths exist, /srv/link is /data/link.
    let files = LearnedProfile.Host(
        exists: {
            [
                "/home/u/.config/tool/settings.ini", "/home/u/.config/tool", "/home/u/project", "/home/u/.cache",
                "/var/lib/tool/db", "/var/lib/tool", "/srv", "/srv/link", "/srv/link/file", "/etc/hosts",
                "/home/u/.toolrc", "/home/u/My Files", "/home/u/My Files/a",
            ].contains($0)
        },
        canonical: { $0.hasPrefix("/srv/") ? "/data" + $0.dropFirst(4) : $0 })

    func profile(
        _ base: Plan, _ accesses: [FileAccessRecord], syscalls: Set<String> = [], refused: Set<String> = [],
        network: Bool = false,
        options: [ByteString] = []
    ) throws -> [String] {
        var record = LearningRecord()
        record.accesses = accesses
        record.syscalls = syscalls
        record.refused = refused
        record.network = network
        let parsed = try CommandLineParser.parse(options + ["true"]).options
        let text = LearnedProfile.text(base: base, options: parsed, record: record, context: host, host: files)
        return Array(text.split(separator: "\n").map(String.init).dropFirst(3))  // the header
    }

    @Test func theLearningSandboxShowsTheHostAndWritesNowhere() throws {
        let plan = Learning.plan(
            base: try base(["--ro", "/usr", "--tmpfs", "/tmp", "--syscalls", "@default", "--landlock", "required"]),
            host: host,
            rootEntries: ["usr", "proc", "bin", "home"])
        #expect(
            plan.mounts.map(\.step.description) == [
                "ro-try /bin", "ro-try /home", "ro-try /usr", "proc /proc", "dev /dev",
                "tmp-overlay /tmp (layers, bottom to top: /tmp)",
                "tmp-overlay /var/tmp (layers, bottom to top: /var/tmp)",
                "tmp-overlay /home/u (layers, bottom to top: /home/u)",
                "tmp-overlay /home/u/project (layers, bottom to top: /home/u/project)",
                // The host's services out of reach.
                "hide /run", "hide /var/run", "hide /tmp/.X11-unix",
                // The command line's own options, as asked, and sbox's files hidden.
                "ro /usr", "tmpfs /tmp (mode 0755)", "hide /home/u/.config/sbox", "hide /home/u/.cache/sbox",
            ])
        #expect(!plan.namespaces.contains(.net))
        // Landlock scopes only: abstract sockets and signals stay inside.
        #expect(plan.landlock.mode == .bestEffort && !plan.landlock.mirrorsMounts && plan.learning)
        #expect(try LandlockEnforcement.of(plan.landlock, abi: 7)?.fileSystem == [])
        #expect(plan.allowedSyscalls?.contains("exit") == true)
    }

    @Test func onlyWhatBaseDoesNotGiveIsAdded() throws {
        let plan = try base([
            "--ro", "/usr", "--ro", "/etc", "--tmpfs", "/tmp", "--private-home", "--ro-cwd", "--proc", "/proc",
        ])
        let lines = try profile(plan, [
            FileAccessRecord("/usr/bin/tool", .execute), FileAccessRecord("/etc/hosts", .read),  // given read-only
            FileAccessRecord("/tmp/scratch", .write), FileAccessRecord("/tmp/scratch", .read),  // a private tmpfs
            FileAccessRecord("/proc/self/status", .read),  // the sandbox's own
            FileAccessRecord("/home/u/.config/tool/settings.ini", .read),  // hidden by the private home
            FileAccessRecord("/home/u/.config/other/absent.ini", .read),  // only probed for
            FileAccessRecord("/home/u/project/out.o", .write),  // in the current directory
            FileAccessRecord("/var/lib/tool/db", .read),
            FileAccessRecord("/var/lib/tool/db", .write),  // outside the overlays: the write failed
            FileAccessRecord("/srv/link/file", .read),  // and its real directory too
            FileAccessRecord("/home/u/My Files/a", .read),  // quoted
        ])
        #expect(
            lines == [
                "include default", "rw-cwd", "ro-try ${HOME}/.config/tool", "ro-try /var/lib", "ro-try /srv/link",
                "ro-try /data/link",
                "ro-try \"${HOME}/My Files\"",
                "# not learned: a write the run could not make (add rw-try if the program needs it): /var/lib/tool/db",
            ])
    }

    @Test func ownFileSystemsNetworkSyscallsAndOptions() throws {
        let plan = try base(["--ro", "/usr", "--syscalls", "@default,@basic-io"])
        let lines = try profile(
            plan,
            [
                FileAccessRecord("/proc/self/maps", .read), FileAccessRecord("/dev/null", .write),
                FileAccessRecord("/home/u/.toolrc", .read),
            ],
            syscalls: Set(["socket", "connect", "ptrace"] + (SyscallGroups.expand("@timer") ?? [])),
            refused: ["ptrace"],
            network: true,
            options: [
                "--profile", "strict", "--profile", "none", "--ro", "/usr", "--setenv", "GREETING", "hello world #1",
            ])
        #expect(
            lines == [
                "include strict", "ro /usr", "setenv GREETING \"hello world #1\"", "proc /proc", "dev /dev",
                "share-net",
                "ro-try ${HOME}/.toolrc", "syscalls @timer connect socket",
                "# not learned: ptrace: in no group, refused while learning; name it in a syscalls line if the program "
                    + "needs it",
            ])
    }

    @Test func foldingIntoSensibleDirectories() {
        #expect(LearnedProfile.fold("/home/u/.config/app/sub/file", home: "/home/u") == "/home/u/.config/app")
        #expect(LearnedProfile.fold("/home/u/.local/share/app/x", home: "/home/u") == "/home/u/.local/share/app")
        #expect(LearnedProfile.fold("/home/u/Documents/a/b", home: "/home/u") == "/home/u/Documents")
        #expect(LearnedProfile.fold("/var/lib/app/x", home: "/home/u") == "/var/lib")
        #expect(LearnedProfile.fold("/data.txt", home: nil) == "/data.txt")
    }
}

extension LearningTests {
    @Test func aSocketIsExposedAloneWithTheRuntimeDirectoryAsAVariable() throws {
        let context = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u", "XDG_RUNTIME_DIR=/run/user/1000"],
                                  currentDirectory: "/home/u/project")
        let base = try PlanCompiler.compile(try CommandLineParser.parse(["--ro", "/usr", "--", "tool"]), host: context)
        var record = LearningRecord()
        record.accesses = [
            FileAccessRecord("/run/user/1000/bus", .connect), FileAccessRecord("/run/user/1000/absent", .connect),
        ]
        record.socketsAllowed = true
        let host = LearnedProfile.Host(
            exists: { $0 == "/run/user/1000/bus" }, canonical: { $0 }, listening: { $0 == "/run/user/1000/bus" })
        let text = LearnedProfile.text(base: base, options: [], record: record, context: context, host: host)
        #expect(
            text.hasSuffix(
                "include default\n# a unix socket the program connected to while learning: the service behind it acts "
                    + "for it\n"
                    + "ro-try ${XDG_RUNTIME_DIR}/bus\n"))
        // Without --allow-sockets, the sockets were out of reach: an attempt grants nothing.
        record.socketsAllowed = false
        let refused = LearnedProfile.text(base: base, options: [], record: record, context: context, host: host)
        #expect(
            !refused.contains("ro-try")
                && refused.contains("# not learned: a connection to a unix socket, refused while learning"))
    }
}

extension LearningTests {
    @Test func aRelativeRuntimeDirectoryIsNoVariable() throws {
        let context = HostContext(
            uid: 1000, gid: 100, environment: ["HOME=/home/u", "XDG_RUNTIME_DIR=run"],
            currentDirectory: "/home/u/project")
        let base = try PlanCompiler.compile(try CommandLineParser.parse(["--ro", "/usr", "--", "tool"]), host: context)
        var record = LearningRecord()
        record.accesses = [FileAccessRecord("/run/dbus/system_bus_socket", .connect)]
        record.socketsAllowed = true
        let host = LearnedProfile.Host(exists: { _ in true }, canonical: { $0 }, listening: { _ in true })
        let text = LearnedProfile.text(base: base, options: [], record: record, context: context, host: host)
        #expect(text.hasSuffix("\nro-try /run/dbus/system_bus_socket\n"))
    }
}

extension LearningTests {
    @Test func aRuntimeDirectoryThatIsTheRootOrRelativeIsNone() {
        for value in ["/", "//", "run"] {
            let context = HostContext(
                uid: 1000, gid: 100, environment: ["HOME=/home/u", ByteString("XDG_RUNTIME_DIR=" + value)],
                currentDirectory: "/home/u")
            #expect(ProfileVariables(host: context).value(of: "XDG_RUNTIME_DIR") == nil, "\(value)")
            // Learning hides the runtime directory: never the root.
            let plan = Learning.plan(
                base: Plan(
                    uid: 1, gid: 1, hostUID: 1, hostGID: 1, callerDirectory: "/", environment: [], command: ["true"]),
                host: context, rootEntries: [])
            #expect(!plan.mounts.contains { $0.step == .hide("/") }, "\(value)")
        }
    }

    @Test func whatOnlyTheRootHoldsIsNotLearnedAndADollarIsEscaped() throws {
        let plan = try base(["--ro", "/usr"])
        var record = LearningRecord()
        record.accesses = [FileAccessRecord("/", .read), FileAccessRecord("/srv/pr$ice/list", .read)]
        let host = LearnedProfile.Host(exists: { _ in true }, canonical: { $0 })
        let lines = LearnedProfile.text(base: plan, options: [], record: record, context: self.host, host: host).split(
            separator: "\n")
        #expect(lines.contains("# not learned: only the root holds what was used: /"))
        #expect(lines.contains("ro-try \"/srv/pr\\$ice\""))
    }
}

extension LearningTests {
    @Test func onlyWhatSucceededIsGranted() throws {
        let plan = try base(["--ro", "/usr"])
        var record = LearningRecord()
        record.accesses = [FileAccessRecord("/srv/secret/key", .read), FileAccessRecord("/srv/absent", .read),
                           FileAccessRecord("/home/u/readonly.txt", .write), FileAccessRecord("/home/u/ok.txt", .write),
                           FileAccessRecord("/opt/tool/bin/run", .execute)]
        let host = LearnedProfile.Host(
            exists: { $0 != "/srv/absent" }, canonical: { $0 },
            permits: { path, _ in !["/srv/secret/key", "/home/u/readonly.txt"].contains(path) })
        let lines = LearnedProfile.text(base: plan, options: [], record: record, context: self.host, host: host).split(
            separator: "\n")
        // An unreadable file, an absent one and a write that would fail grant nothing.
        #expect(!lines.contains { $0.contains("/srv") || $0.contains("readonly") })
        #expect(lines.contains("rw-try ${HOME}/ok.txt") && lines.contains("ro-try /opt/tool"))
    }

    @Test func aSystemCallALibcMayTakeInsteadIsLearnedWithIt() throws {
        let strict = try base(["--syscalls", "@default,@basic-io,@file-system,@memory,@signal"])
        var record = LearningRecord()
        record.syscalls = ["clone", "wait4", "pipe2"]
        let host = LearnedProfile.Host(exists: { _ in true }, canonical: { $0 }, hasSyscall: { $0 != "fork" })
        let text = LearnedProfile.text(base: strict, options: [], record: record, context: self.host, host: host)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("syscalls ") })
        for name in ["clone", "vfork", "wait4", "waitid", "pipe", "pipe2"] {
            #expect(line.split(separator: " ").contains(Substring(name)), "\(name)")
        }
        // What this architecture does not have is not written: the profile must load here.
        #expect(!line.split(separator: " ").contains("fork"))
        #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
    }
}
