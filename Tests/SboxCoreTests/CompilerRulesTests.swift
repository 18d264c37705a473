@testable import SboxCore
import Testing

/// The compiler's rules that the other suites leave out: descriptors, bwrap mode's defaults and
/// readings, the bounds, and which error a command line with several mistakes gets.
func compileBwrap(_ arguments: [ByteString], host: HostContext = host) throws(UsageError) -> Plan {
    try PlanCompiler.compile(try CommandLineParser.parse(arguments, mode: .bwrap), host: host, mode: .bwrap)
}

func expectBwrapError(_ arguments: [ByteString], _ message: String,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(throws: UsageError(message), sourceLocation: sourceLocation) { try compileBwrap(arguments) }
}

@Suite struct DescriptorRulesTests {
    @Test func dataFromDescriptorsHasBwrapsModesUnlessPermsSaysOtherwise() throws {
        let plan = try compile(["--file", "3", "/a", "--bind-data", "4", "/b", "--perms", "0640",
                                "--ro-bind-data", "5", "/c", "true"])
        #expect(plan.requestedMounts.map(\.step) == [
            .data(descriptor: 3, path: "/a", permissions: 0o666, bind: nil),
            .data(descriptor: 4, path: "/b", permissions: 0o600, bind: .readWrite),
            .data(descriptor: 5, path: "/c", permissions: 0o640, bind: .readOnly),
        ])
    }

    @Test func sboxNeverReadsItsOwnStandardDescriptorsToTheirEnd() throws {
        let consumed = "which this option would read to its end and close: pass the data on another descriptor"
        expectError(["--file", "0", "/a", "true"],
                    "--file 0 /a: descriptor 0 is sbox's standard input, \(consumed) (--file 3 ... 3<FILE)")
        expectError(["--seccomp", "2", "true"],
                    "--seccomp 2: descriptor 2 is sbox's standard error, \(consumed) (--seccomp 3 ... 3<FILE)")
        expectBwrapError(["--bind-data", "1", "/a", "true"],
                         "--bind-data 1 /a: descriptor 1 is sbox's standard output, \(consumed) "
                            + "(--bind-data 3 ... 3<FILE)")
        // bwrap reads its own input when told to.
        #expect(try compileBwrap(["--file", "0", "/a", "true"]).mounts.map(\.step)
            == [.data(descriptor: 0, path: "/a", permissions: 0o666, bind: nil)])
    }

    @Test func aDirectoryOpenAsADescriptorIsBoundThroughProc() throws {
        let plan = try compile(["--ro-bind-fd", "5", "/x", "--bind-fd", "6", "/y", "true"])
        #expect(plan.requestedMounts.map(\.step) == [
            .bind(source: "/proc/self/fd/5", destination: "/x", mode: .readOnly, optional: false),
            .bind(source: "/proc/self/fd/6", destination: "/y", mode: .readWrite, optional: false),
        ])
    }

    @Test func bwrapsProtocolsWithItsCallerAndLocks() throws {
        let plan = try compile(["--info-fd", "5", "--json-status-fd", "6", "--sync-fd", "7", "--block-fd", "8",
                                "--lock-file", "/l", "--lock-file", "/m", "true"])
        #expect(plan.infoDescriptor == 5 && plan.jsonStatusDescriptor == 6 && plan.syncDescriptor == 7)
        #expect(plan.blockDescriptor == 8 && plan.lockFiles == ["/l", "/m"])
        expectError(["--block-fd", "-1", "true"], "--block-fd -1: '-1' is not a file descriptor number")
    }

    @Test func seLinuxLabelsAreRefused() {
        expectError(["--exec-label", "x", "true"], "--exec-label x: SELinux labels are not supported by sbox")
        expectBwrapError(["--file-label", "x", "true"], "--file-label x: SELinux labels are not supported by sbox")
    }
}

@Suite struct BwrapModeRulesTests {
    static let terminal: HostContext = {
        var host = host
        host.terminalDescriptors = [0, 1]
        return host
    }()

    @Test func bwrapsDefaultsAreItsOwnAndSboxsAreSecure() throws {
        let bwrap = try compileBwrap(["true"], host: Self.terminal)
        #expect(bwrap.namespaces == [.user, .mount] && !bwrap.newSession && !bwrap.dieWithParent && !bwrap.readOnlyRoot)
        #expect(!bwrap.lockMounts && bwrap.withoutSeccomp && bwrap.passesDescriptors && bwrap.capabilities.isEmpty)
        #expect(bwrap.ownDirectories.isEmpty && bwrap.relayedDescriptors.isEmpty && bwrap.landlock.mode == .off)
        #expect(bwrap.mode == .bwrap && bwrap.mounts.isEmpty)
        let root = HostContext(uid: 0, gid: 0, environment: ["HOME=/root"], currentDirectory: "/")
        #expect(try compileBwrap(["true"], host: root).capabilities == .all)
        #expect(try PlanCompiler.compile(try CommandLineParser.parse(["true"]), host: root).capabilities.isEmpty)
        let sbox = try PlanCompiler.compile(try CommandLineParser.parse(["true"]), host: Self.terminal)
        #expect(sbox.ownDirectories == ["/home/u/.config/sbox", "/home/u/.cache/sbox"])
        #expect(sbox.relayedDescriptors == [0, 1] && sbox.landlock.mode == .bestEffort)
        #expect(sbox.cacheDirectory == "/home/u/.cache/sbox" && bwrap.cacheDirectory == "/home/u/.cache/sbox")
    }

    @Test func bwrapReadsARelativeDestinationFromTheRootAndDescriptorsAsStrtol() throws {
        #expect(try compileBwrap(["--bind", "/a", "x/./y", "true"]).mounts.map(\.step)
            == [.bind(source: "/a", destination: "/x/y", mode: .readWrite, optional: false)])
        expectBwrapError(["--sync-fd", "x", "true"], "Invalid fd: x")
        expectBwrapError([], "No command specified")
    }

    @Test func onlyTheLastSeccompCountsInBwrapModeAndEveryOneInSbox() throws {
        let bwrap = try compileBwrap(["--seccomp", "5", "--seccomp", "6", "true"])
        #expect(bwrap.filterDescriptors == [6] && bwrap.notices == ["Only the last --seccomp option will take effect"])
        let sbox = try compile(["--seccomp", "5", "--seccomp", "6", "--add-seccomp-fd", "7", "true"])
        #expect(sbox.filterDescriptors == [5, 6, 7])
        expectBwrapError(["--seccomp", "5", "--add-seccomp-fd", "6", "true"],
                         "--add-seccomp-fd cannot be combined with --seccomp")
    }

    @Test func bwrapsRulesOnUserNamespaces() throws {
        expectBwrapError(["--disable-userns", "true"], "--disable-userns requires --unshare-user")
        #expect(try compileBwrap(["--unshare-user", "--disable-userns", "true"]).disableUserNamespaces)
        expectBwrapError(["--info-fd", "5", "--userns-block-fd", "6", "true"],
                         "--userns-block-fd requires --unshare-user")
        #expect(try compile(["--info-fd", "5", "--userns-block-fd", "6", "true"]).usernsBlockDescriptor == 6)
    }

    @Test func bwrapReadsSizesAsStrtoullAndHasNoLandlockUnlessAsked() throws {
        #expect(try compileBwrap(["--size", "0x10", "--tmpfs", "/t", "true"]).mounts.map(\.step)
            == [.tmpfs("/t", permissions: 0o755, sizeBytes: 16)])
        expectError(["--size", "0x10", "--tmpfs", "/t", "true"],
                    "--size 0x10: '0x10' is not a size in bytes (a positive number, optionally with K, M or G)")
        #expect(try compileBwrap(["--landlock-read", "/usr", "true"]).landlock.mode == .bestEffort)
        #expect(try compileBwrap(["--landlock", "required", "true"]).landlock.mode == .required)
    }
}

@Suite struct CompileOrderTests {
    /// A valid command line around each option: its arguments, and what it needs before or after it.
    static func validLine(for spec: OptionSpec) -> [ByteString] {
        var arguments: [ByteString] = spec.argumentTypes.map { type in
            switch type {
            case .descriptor: "5"
            case .octal: "0700"
            case .bytes: "1M"
            case .count: "64"
            case .duration: "1m"
            case .capability: "CAP_CHOWN"
            case .list: "read"
            case .action: "kill"
            case .mode: spec.name == .landlock ? "best-effort" : "ro"
            case .port: "80"
            case .hostPort: "pypi.org:443"
            case .uid, .gid: "0"
            case .variable: "A"
            case .hostName, .value, .pattern, .label, .profile, .target: "x"
            case .path, .source, .destination, .directory, .upperSource, .workDirectory: ByteString("/\(type)")
            }
        }
        if spec.name == .rwCreate { arguments = ["/home/u/.cache/x"] }
        var before: [ByteString] = [], after: [ByteString] = []
        switch spec.name {
        case .perms, .size: after = ["--tmpfs", "/t"]
        case .overlaySrc: after = ["--tmp-overlay", "/o"]
        case .overlay, .tmpOverlay, .roOverlay: before = ["--overlay-src", "/a", "--overlay-src", "/b"]
        case .usernsBlockFD: before = ["--unshare-user", "--info-fd", "4"]
        case .disableUserns: before = ["--unshare-user"]
        case .mqueue, .hostname, .asPID1: before = ["--unshare-all"]  // bwrap shares those namespaces unless asked
        default: break
        }
        return before + [ByteString(spec.flag)] + arguments + after + ["true"]
    }

    @Test func everyOptionCompilesWithValidArgumentsInEveryModeThatKnowsIt() throws {
        for spec in OptionTable.all where spec.name != .args {
            let line = Self.validLine(for: spec)
            for mode in [Mode.sbox, .bwrap] where mode == .sbox || spec.isBwrapOption {
                do {
                    let invocation = try CommandLineParser.parse(line, mode: mode)
                    _ = try PlanCompiler.compile(invocation, host: host, mode: mode)
                } catch {
                    let refused = ["profiles must be loaded before the plan is compiled",
                                   "SELinux labels are not supported by sbox"]
                    #expect(refused.contains { error.message.hasSuffix($0) }, "\(mode): \(line): \(error.message)")
                }
            }
        }
    }

    @Test func theDirectivesAreBoundedAndProfilesLoadedFirst() throws {
        let many = Invocation(options: Array(repeating: ParsedOption(.verbose), count: 4097), command: ["true"])
        let bound = "the profiles and options give more than 4096 directives: no sandbox needs that many"
        #expect(throws: UsageError(bound)) { try PlanCompiler.compile(many, host: host) }
        let profile = Invocation(options: [ParsedOption(.include, ["x"])], command: ["true"])
        #expect(throws: UsageError("--include x: profiles must be loaded before the plan is compiled")) {
            try PlanCompiler.compile(profile, host: host)
        }
        #expect(throws: UsageError("No command specified")) {
            try PlanCompiler.compile(Invocation(options: [], command: []), host: host, mode: .bwrap)
        }
        let nothing = Invocation(options: [], command: [])
        #expect(try PlanCompiler.compile(nothing, host: host, requireCommand: false).command == [])
    }

    @Test func settingsNoteEachOptionAsGiven() throws {
        let plan = try compile(["--share-net", "--setenv", "A", "1", "--timeout", "2m", "--cap-add", "CAP_CHOWN",
                                "--new-session", "--landlock", "required", "true"])
        #expect(plan.settings.map(\.text)
            == ["share-net", "setenv A 1", "timeout 2m", "cap-add CAP_CHOWN", "landlock required"])
    }

    @Test func whenSeveralRulesAreBrokenTheFirstInTheirOrderIsReported() {
        // Each line breaks every rule of those after it: removing the first broken one reveals the next.
        let pid: [ByteString] = ["--share-pid", "--as-pid-1", "--lock-file", "/l"]
        let mqueue: [ByteString] = ["--share-ipc", "--mqueue", "/m"]
        let hostname: [ByteString] = ["--share-uts", "--hostname", "h"]
        let landlock: [ByteString] = ["--landlock", "off", "--landlock-read", "/x"]
        let userns: [ByteString] = ["--userns", "5", "--uid", "0"]
        let overlay = "--overlay-src must be followed by another --overlay-src or one of --overlay, --tmp-overlay, "
            + "or --ro-overlay"
        let lines: [([ByteString], String)] = [
            (pid + mqueue + hostname + landlock + userns + ["--overlay-src", "/a"], overlay),
            (pid + mqueue + hostname + landlock + userns + ["--perms", "0700"],
             "--uid and --gid cannot be combined with --userns: the joined namespace's maps decide the ids"),
            (pid + mqueue + hostname + landlock + ["--perms", "0700"],
             "--landlock off: --landlock-read, --landlock-write, --landlock-connect and --landlock-bind need Landlock"),
            (pid + mqueue + hostname + ["--perms", "0700"],
             "--perms 0700 must be followed by the option it modifies (--perms: --dir, --tmpfs, --file, --bind-data or "
                + "--ro-bind-data; --size: --tmpfs)"),
            (pid + mqueue + hostname,
             "--hostname h: a host name needs the sandbox's own UTS namespace (remove --share-uts)"),
            (pid + mqueue,
             "--mqueue /m: a message-queue file system needs the sandbox's own IPC namespace (remove --share-ipc)"),
            (pid, "--as-pid-1 needs the sandbox's own PID namespace (remove --share-pid)"),
            (Array(pid.dropFirst()),
             "--as-pid-1 and --lock-file cannot be combined: the locks are held by sbox's init"),
        ]
        for (line, message) in lines { expectError(line + ["true"], message) }
        // Within an option: a pending modifier is checked before an unfinished overlay.
        expectError(["--perms", "0700", "--overlay-src", "/a", "true"],
                    "--perms must be followed by --dir, --tmpfs, --file, --bind-data or --ro-bind-data, "
                        + "not --overlay-src /a")
        expectError(["--overlay-src", "/a", "--perms", "0700", "true"], overlay)
        // bwrap's rules on user namespaces come in its order.
        expectBwrapError(["--disable-userns", "--userns", "5", "--userns-block-fd", "6", "true"],
                         "--disable-userns requires --unshare-user")
        expectBwrapError(["--unshare-user", "--userns", "5", "--uid", "0", "true"],
                         "--userns not compatible --unshare-user")
        expectBwrapError(["--userns", "5", "--uid", "0", "--userns-block-fd", "6", "true"],
                         "--uid and --gid cannot be combined with --userns: the joined namespace's maps decide the ids")
    }
}
