@testable import SboxCore
import Testing

let host = HostContext(
    uid: 1000, gid: 100, environment: ["HOME=/home/u", "PATH=/usr/bin", "LANG=C"], currentDirectory: "/home/u/work")

func compile(_ arguments: [ByteString]) throws(UsageError) -> Plan {
    try PlanCompiler.compile(try CommandLineParser.parse(arguments), host: host)
}

func expectError(_ arguments: [ByteString], _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: UsageError(message), sourceLocation: sourceLocation) { try compile(arguments) }
}

@Suite struct PlanCompilerTests {
    @Test func pathsAreNormalizedWithoutEmptyOrDotComponentsAndNormalOnesAreKept() {
        let cases = [
            "/": "/", "/a": "/a", "/a/": "/a", "/a//b": "/a/b", "/a/./b": "/a/b", "/a/.": "/a", "/.": "/", "//": "/",
            "a/b": "/a/b", "./a": "/a", "": "/", "/a/..": "/a/..", "/a/.b": "/a/.b", "/a/b.": "/a/b.",
            "/é/ü": "/é/ü",
            // A combining mark after a slash, a prepended mark before one: bytes, not Characters.
            "/\u{301}a": "/\u{301}a", "//\u{301}a": "/\u{301}a", "/a/b\u{600}": "/a/b\u{600}",
            "/a//b\u{600}/": "/a/b\u{600}",
        ]
        for (path, normal) in cases {
            #expect(ByteString(path).normalized == ByteString(normal), "\(path)")
            #expect(ByteString(path).isNormal == (path == normal), "\(path)")
        }
    }

    @Test func defaultsAreSecure() throws {
        let plan = try compile(["true"])
        #expect(plan.namespaces == .all)
        #expect(plan.capabilities.isEmpty)
        #expect(plan.uid == 1000 && plan.gid == 100 && plan.hostUID == 1000 && plan.hostGID == 100)
        #expect(plan.requestedMounts.isEmpty)
        #expect(plan.needsInit)
        #expect(plan.environment == host.environment)
    }

    @Test func mountsKeepTheOrderGivenWithTheirOrigin() throws {
        let plan = try compile([
            "--ro-bind", "/usr", "/usr", "--tmpfs", "/usr/share", "--bind-try", "data", "/data",
            "--dev-bind", "/dev/kvm", "/dev/kvm", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "true",
        ])
        #expect(plan.requestedMounts.map(\.step) == [
            .bind(source: "/usr", destination: "/usr", mode: .readOnly, optional: false),
            .tmpfs("/usr/share", permissions: 0o755, sizeBytes: nil),
            .bind(source: "/home/u/work/data", destination: "/data", mode: .readWrite, optional: true),
            .bind(source: "/dev/kvm", destination: "/dev/kvm", mode: .devices, optional: false),
            .symlink(target: "usr/bin", path: "/bin"),
            .proc("/proc"),
        ])
        #expect(plan.mounts[2].origin == .commandLine("--bind-try data /data"))
    }

    @Test func permsAndSizeModifyTheNextOption() throws {
        let plan = try compile([
            "--perms", "0700", "--size", "1M", "--tmpfs", "/a", "--tmpfs", "/b", "--perms", "1777", "--dir", "/c",
            "true",
        ])
        #expect(plan.requestedMounts.map(\.step) == [
            .tmpfs("/a", permissions: 0o700, sizeBytes: 1 << 20),
            .tmpfs("/b", permissions: 0o755, sizeBytes: nil),
            .directory("/c", permissions: 0o1777),
        ])
    }

    @Test func modifiersMustBeFollowedByAnOptionThatUsesThem() {
        expectError(
            ["--perms", "0700", "--proc", "/proc", "true"],
            "--perms must be followed by --dir, --tmpfs, --file, --bind-data or --ro-bind-data, not --proc /proc")
        expectError(["--size", "10", "--dir", "/d", "true"], "--size must be followed by --tmpfs, not --dir /d")
        expectError(
            ["--perms", "0700", "true"],
            "--perms 0700 must be followed by the option it modifies (--perms: --dir, --tmpfs, --file, --bind-data or "
                + "--ro-bind-data; --size: --tmpfs)"
        )
        expectError(
            ["--perms", "0700", "--perms", "0755", "--dir", "/d", "true"],
            "--perms 0755: --perms given twice for the same option")
    }

    @Test func pathsAreNormalizedAndDestinationsMustBeAbsolute() throws {
        let plan = try compile(["--bind", "/a//b/./c/", "//x/./y/", "true"])
        #expect(plan.mounts[0].step == .bind(source: "/a/b/c", destination: "/x/y", mode: .readWrite, optional: false))
        expectError(["--bind", "/a", "x", "true"], "--bind /a x: 'x' must be an absolute path inside the sandbox")
        expectError(["--chdir", "rel", "true"], "--chdir rel: 'rel' must be an absolute path inside the sandbox")
        expectError(["--bind", "", "/x", "true"], "--bind  /x: the source path is empty")
    }

    @Test func badValuesAreRejectedWithTheOption() {
        expectError(["--chmod", "999", "/x", "true"], "--chmod 999 /x: '999' is not an octal mode between 0 and 7777")
        expectError(
            ["--perms", "17777", "--dir", "/x", "true"],
            "--perms 17777: '17777' is not an octal mode between 0 and 7777")
        expectError(
            ["--size", "0", "--tmpfs", "/x", "true"],
            "--size 0: '0' is not a size in bytes (a positive number, optionally with K, M or G)")
        expectError(
            ["--size", "12Q", "--tmpfs", "/x", "true"],
            "--size 12Q: '12Q' is not a size in bytes (a positive number, optionally with K, M or G)")
        expectError(["--uid", "abc", "true"], "--uid abc: 'abc' is not a numeric id")
        expectError(["--gid", "-1", "true"], "--gid -1: '-1' is not a numeric id")
        expectError(["--setenv", "A=B", "c", "true"], "--setenv A=B c: 'A=B' is not a valid environment variable name")
        expectError(["--symlink", "", "/x", "true"], "--symlink  /x: the link target is empty")
    }

    @Test func namespaceConflictsAreReported() {
        expectError(
            ["--share-uts", "--hostname", "h", "true"],
            "--hostname h: a host name needs the sandbox's own UTS namespace (remove --share-uts)")
        expectError(
            ["--share-ipc", "--mqueue", "/dev/mqueue", "true"],
            "--mqueue /dev/mqueue: a message-queue file system needs the sandbox's own IPC namespace (remove "
                + "--share-ipc)"
        )
        expectError(
            ["--share-pid", "--as-pid-1", "true"],
            "--as-pid-1 needs the sandbox's own PID namespace (remove --share-pid)")
        expectError(
            ["--as-pid-1", "--lock-file", "/l", "true"],
            "--as-pid-1 and --lock-file cannot be combined: the locks are held by sbox's init")
    }

    @Test func joinedNamespacesReplaceNewOnesAndFollowBwrapsRules() throws {
        let plan = try compile(["--userns", "5", "--pidns", "6", "--userns2", "7", "true"])
        // A new PID namespace inside the joined one.
        #expect(!plan.namespaces.contains(.user) && plan.namespaces.contains(.pid))
        #expect(plan.joinedUserNamespace == 5 && plan.joinedPIDNamespace == 6 && plan.userNamespaceAfterSetup == 7)
        expectError(
            ["--userns", "5", "--uid", "0", "true"],
            "--uid and --gid cannot be combined with --userns: the joined namespace's maps decide the ids")
        let bwrap = { (arguments: [ByteString]) throws in
            try PlanCompiler.compile(try CommandLineParser.parse(arguments, mode: .bwrap), host: host, mode: .bwrap)
        }
        #expect(throws: UsageError("--userns not compatible --unshare-user")) {
            try bwrap(["--unshare-user", "--userns", "5", "true"])
        }
        #expect(throws: UsageError("--userns-block-fd requires --info-fd")) {
            try bwrap(["--unshare-user", "--userns-block-fd", "5", "true"])
        }
    }

    @Test func verboseSummarizesTheSandbox() throws {
        let plan = try compile([
            "--verbose", "--share-net", "--syscalls", "read,write", "--seccomp-action", "enosys", "true",
        ])
        #expect(plan.verbose)
        #expect(
            PlanDescription.summary(plan, profile: "none", landlockABI: 7)
                == "profile none; new namespaces: user, mount, pid, ipc, uts, cgroup; "
                + "network: the host's; seccomp: 2 system calls allowed, the rest ENOSYS; Landlock: ABI 7, 1 paths; "
                      + "capabilities: none"
        )
        #expect(
            PlanDescription.summary(plan, profile: "none", landlockABI: 2).hasSuffix(
                "Landlock: ABI 2, 1 paths (dropped: truncation rights (ABI 3), "
                    + "device ioctl rights (ABI 5), scoping of abstract unix sockets and signals (ABI 6)); "
                          + "capabilities: none"
            ))
        #expect(
            PlanDescription.summary(plan, profile: "none", landlockABI: 0).contains(
                "Landlock: none (this kernel has none, or it is disabled)"))
    }

    @Test func timeoutsAndResourceLimitsAreParsedWithTheirUnits() throws {
        #expect(try compile(["--timeout", "1.5", "true"]).timeoutMilliseconds == 1500)
        #expect(try compile(["--timeout", "2m", "true"]).timeoutMilliseconds == 120_000)
        expectError(
            ["--timeout", "soon", "true"],
            "--timeout soon: 'soon' is not a duration (a positive number of seconds, or with s, m, h or d)")
        let plan = try compile([
            "--rlimit-nofile", "64", "--rlimit-as", "2G", "--rlimit-cpu", "90s", "--rlimit-core", "0",
            "--rlimit-fsize", "unlimited", "--rlimit-nofile", "128", "true",
        ])
        #expect(plan.resourceLimits.map(\.kind) == [.addressSpace, .cpuSeconds, .coreSize, .fileSize, .openFiles])
        #expect(plan.resourceLimits.map(\.value) == [2 << 30, 90, 0, nil, 128])  // the last --rlimit-nofile wins
        expectError(["--rlimit-nproc", "many", "true"], "--rlimit-nproc many: 'many' is not a number, or 'unlimited'")
    }

    @Test func badDescriptorAndNamespaceCombinationsAreRefused() {
        expectError(["--sync-fd", "x", "true"], "--sync-fd x: 'x' is not a file descriptor number")
        expectError(["--seccomp", "-1", "true"], "--seccomp -1: '-1' is not a file descriptor number")
        expectError(["--userns", "5", "--disable-userns", "true"], "--disable-userns requires --unshare-user")
        expectError(
            ["--userns", "5", "--info-fd", "6", "--userns-block-fd", "7", "true"],
            "--userns-block-fd requires --unshare-user")
        expectError(["--disable-userns", "--info-fd", "6", "--userns-block-fd", "7", "true"],
                    "--disable-userns is not compatible with --userns-block-fd")
        expectError(
            ["--size", "1K", "--size", "2K", "--tmpfs", "/t", "true"],
            "--size 2K: --size given twice for the same option")
        expectError(
            ["--rlimit-as", "5Q", "true"],
            "--rlimit-as 5Q: '5Q' is not a size in bytes (optionally with K, M or G), or 'unlimited'")
        expectError(
            ["--rlimit-cpu", "soon", "true"],
            "--rlimit-cpu soon: 'soon' is not a duration (seconds, or with s, m or h), or 'unlimited'")
    }

    @Test func withTheHostsPIDNamespaceAnInitHoldsLockFilesAndEndsWhatTheProgramLeaves() throws {
        #expect(try compile(["--share-pid", "--lock-file", "/l", "true"]).needsInit)
        let shared = try compile(["--share-pid", "true"])
        #expect(shared.needsInit && shared.reapsDescendants)
        #expect(try !compile(["true"]).reapsDescendants)
        // bwrap leaves the program's processes behind: so does its mode.
        let bwrap = try PlanCompiler.compile(
            try CommandLineParser.parse(["true"], mode: .bwrap), host: host, mode: .bwrap)
        #expect(!bwrap.needsInit && !bwrap.reapsDescendants)
    }

    @Test func namespacesCanBeSharedAndUnsharedAgainInOrder() throws {
        var plan = try compile(["--share-net", "--share-pid", "--share-ipc", "--share-uts", "--share-cgroup", "true"])
        #expect(plan.namespaces == [.user, .mount])
        plan = try compile(["--share-net", "--unshare-net", "--share-pid", "--unshare-all", "true"])
        #expect(plan.namespaces == .all)
    }

    @Test func environmentEditsApplyInOrder() throws {
        var plan = try compile(["--setenv", "LANG", "C.UTF-8", "--unsetenv", "HOME", "--setenv", "NEW", "1", "true"])
        #expect(plan.environment == ["PATH=/usr/bin", "LANG=C.UTF-8", "NEW=1"])
        plan = try compile(["--setenv", "A", "1", "--clearenv", "--setenv", "B", "2", "true"])
        #expect(plan.environment == ["B=2"])
    }

    @Test func identityAndProcessOptions() throws {
        let plan = try compile([
            "--uid", "0", "--gid", "0", "--hostname", "box", "--chdir", "/work", "--argv0", "x", "--as-pid-1", "true",
        ])
        #expect(plan.uid == 0 && plan.gid == 0 && plan.hostUID == 1000 && plan.hostGID == 100)
        #expect(plan.hostname == "box" && plan.workingDirectory == .given("/work") && plan.argv0 == "x")
        #expect(plan.programIsPID1 && !plan.needsInit)
    }

    @Test func capabilitiesAreAddedAndDroppedInOrder() throws {
        var plan = try compile([
            "--cap-add", "cap_net_raw", "--cap-add", "SYS_ADMIN", "--cap-drop", "CAP_SYS_ADMIN", "true",
        ])
        #expect(plan.capabilities == CapabilitySet(.netRaw))
        plan = try compile(["--cap-add", "ALL", "--cap-drop", "net_raw", "true"])
        #expect(
            plan.capabilities.members.count == Capability.allCases.count - 1 && !plan.capabilities.contains(.netRaw))
        expectError(
            ["--cap-add", "CAP_NET_RAWW", "true"],
            "--cap-add CAP_NET_RAWW: unknown capability 'CAP_NET_RAWW' (did you mean CAP_NET_RAW?)")
    }

    @Test func overlaysTakeTheSourcesBeforeThemBottomToTop() throws {
        let plan = try compile([
            "--overlay-src", "/a", "--overlay-src", "/b", "--overlay", "/up", "/work", "/o", "--overlay-src", "/c",
            "--tmp-overlay", "/t", "true",
        ])
        #expect(plan.requestedMounts.map(\.step) == [
            .overlay(layers: ["/a", "/b"], path: "/o", writes: .host(upper: "/up", work: "/work")),
            .overlay(layers: ["/c"], path: "/t", writes: .temporary),
        ])
        expectError(["--tmp-overlay", "/t", "true"], "--tmp-overlay requires at least one --overlay-src")
        expectError(
            ["--overlay-src", "/a", "--ro-overlay", "/r", "true"], "--ro-overlay requires at least two --overlay-src")
        expectError(
            ["--overlay-src", "/a", "--dir", "/d", "true"],
            "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, or "
                + "--ro-overlay"
        )
    }

    @Test func aCommandIsRequired() {
        expectError(["--ro-bind", "/usr", "/usr"], "no command given (usage: sbox [OPTIONS] [--] COMMAND [ARG...])")
    }

    @Test func capabilityNamesMatchTheKernelNumbering() {
        #expect(Capability.named("CAP_CHOWN") == .chown)
        #expect(Capability.named("sys_admin")?.rawValue == 21)
        #expect(Capability.checkpointRestore.rawValue == 40)
        #expect(Capability.netRaw.description == "CAP_NET_RAW")
        #expect(CapabilitySet.all.members == Capability.allCases)
        #expect(CapabilitySet([Capability.chown, .checkpointRestore]).rawValue == 1 | 1 << 40)
    }
}

extension PlanCompilerTests {
    @Test func theHomeIsTheFirstEntryAsGetenvAndTheProfileVariablesRead() throws {
        let host = HostContext(
            uid: 1000, gid: 100, environment: ["HOME=/home/first", "HOME=/home/second"], currentDirectory: "/work")
        let plan = try PlanCompiler.compile(try CommandLineParser.parse(["--private-home", "true"]), host: host)
        #expect(plan.mounts.first?.step == .tmpfs("/home/first", permissions: 0o700, sizeBytes: nil))
        #expect(ProfileVariables(host: host).value(of: "HOME") == "/home/first")
    }
}
