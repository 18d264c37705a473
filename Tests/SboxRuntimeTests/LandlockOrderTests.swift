@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LandlockOrderTests {
    /// The worker's steps from no_new_privs on, with the kernel's answer to the plan's policy.
    func tail(_ arguments: [ByteString], _ system: RecordingSystemCalls) throws -> [String] {
        let plan = try makePlan(arguments)
        var sandbox = try prepared(plan, system)
        sandbox.landlock = try LandlockEnforcement.of(plan.landlock, abi: system.landlockVersion)
        _ = try isolate(sandbox, system, network: .created)
        #expect(system.openDescriptors == [])
        return Array(system.log.drop { $0 != "no_new_privs" })
    }

    @Test func afterPrivilegesAndDescriptorsBeforeSeccomp() throws {
        let system = RecordingSystemCalls()
        system.hostFiles = ["/oldroot/etc/hostname"]
        system.missingHostPaths = ["/absent"]
        system.standardDescriptors = [1: FileAccess(readable: false, writable: true, device: false),
                                      2: FileAccess(readable: true, writable: true, device: true)]
        let log = try tail(["--ro-bind", "/usr", "/usr", "--tmpfs", "/tmp", "--ro-bind-try", "/absent", "/absent",
                            "--ro-bind", "/etc/hostname", "/etc/hostname"], system)
        #expect(log == [
            "no_new_privs", "capabilities keep=[]",
            "close_range 3-",
            "open /",
            "landlock ruleset fs 0xffff net 0 scopes 3",
            // The root lists, each bind gets its own rights (a file only those of files); the absent
            // optional bind has none; the caller's output and terminal as they were opened.
            "landlock rule / 0x8", "landlock rule /usr 0xd", "landlock rule /tmp 0xffff",
            "landlock rule /etc/hostname 0x5",
            "landlock rule fd1 0x4002", "landlock rule fd2 0xc006",
            "landlock restrict",
            "seccomp 1 instructions",
        ])
    }

    @Test func aSecondLayerForTheRestrictions() throws {
        let system = RecordingSystemCalls()
        let log = try tail(["--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/tmp/out", "--landlock-write", "/tmp/out",
                            "--landlock-connect", "443"], system)
        let second = try #require(log.lastIndex { $0.hasPrefix("landlock ruleset") })
        #expect(Array(log[second...]) == [
            "landlock ruleset fs 0xfff2 net 2 scopes 0",
            "landlock rule /tmp/out 0xfff2",
            // sbox's /dev keeps its devices usable: they are not places to write to.
            "landlock rule /dev/null 0xc002", "landlock rule /dev/zero 0xc002", "landlock rule /dev/full 0xc002",
            "landlock rule /dev/random 0xc002", "landlock rule /dev/urandom 0xc002", "landlock rule /dev/tty 0xc002",
            "landlock rule /dev/pts 0xc002", "landlock rule /dev/shm 0xfff2",
            "landlock port 443 2",
            "landlock restrict",
            "seccomp 1 instructions",
        ])
    }

    @Test func aRestrictionOnAPathThatIsNotThereStopsTheSandbox() throws {
        let system = RecordingSystemCalls()
        #expect(throws: SandboxError("--landlock-read /nowhere: /nowhere is not in the sandbox: "
                                     + "No such file or directory")) {
            _ = try tail(["--tmpfs", "/tmp", "--landlock-read", "/nowhere"], system)
        }
        #expect(!system.log.contains { $0.hasPrefix("seccomp") })
    }

    @Test func requiredWithoutLandlockStopsBeforeAnyNamespace() throws {
        let system = RecordingSystemCalls()
        system.landlockVersion = 0
        #expect(throws: SandboxError("--landlock required: this kernel has no Landlock "
                                     + "(not built in, or not enabled in the lsm= boot parameter)")) {
            try Sandbox.run(try makePlan(["--landlock", "required", "--unsafe-no-seccomp"]), system: system)
        }
        #expect(!system.log.contains { $0.hasPrefix("clone") })
    }
}

@Suite struct LearningOrderTests {
    @Test func theWorkerSaysWhereItsListenerWillBeThenLoadsTheFilterWithIt() throws {
        let system = RecordingSystemCalls()
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        let base = try PlanCompiler.compile(try CommandLineParser.parse(["--ro", "/usr", "true"]), host: host)
        let plan = Learning.plan(base: base, host: host, rootEntries: ["usr"])
        var ends = Worker.Ends()
        ends.learning = 42
        _ = try isolate(try prepared(plan, system), system, ends: ends, network: .host)
        let tail = Array(system.log.drop { !$0.hasPrefix("close_range") })
        // The report pipe stays open through close_range; 4321 is the worker's pid in the host's /proc.
        #expect(tail == ["close_range 3- except [42]", "report 4321", "report 3",
                         "seccomp 1 instructions, with a listener"])
    }
}

extension LandlockOrderTests {
    @Test func readRestrictionsStillLetFilesMoveBetweenDirectories() throws {
        let system = RecordingSystemCalls()
        let log = try tail(["--tmpfs", "/tmp", "--landlock-read", "/tmp"], system)
        let second = try #require(log.lastIndex { $0.hasPrefix("landlock ruleset") })
        #expect(Array(log[second...]) == ["landlock ruleset fs 0x200d net 0 scopes 0", "landlock rule /tmp 0xd",
                                          "landlock rule / 0x2000", "landlock restrict", "seccomp 1 instructions"])
    }
}

extension LandlockOrderTests {
    @Test func theMirrorIsMadeOfTheMountsAsResolvedOnTheHost() throws {
        let system = RecordingSystemCalls()
        system.hostLinks = ["/bin": "usr/bin"]
        system.missingHostPaths = ["/lib32"]
        let arguments: [ByteString] = ["--ro", "/usr", "--ro", "/bin", "--ro-try", "/lib32", "--tmpfs", "/tmp"]
        #expect(try makePlan(arguments).landlockMirror.map(\.path) == ["/", "/usr", "/bin", "/lib32", "/tmp"])
        // /bin is the host's link, which grants nothing of its own; /lib32 is not there.
        let rules = try tail(arguments, system).filter { $0.hasPrefix("landlock rule /") }
        #expect(rules == ["landlock rule / 0x8", "landlock rule /usr 0xd", "landlock rule /tmp 0xffff"])
    }
}

@Suite struct MountLockIdentityTests {
    func lockMaps(_ arguments: [ByteString]) throws -> [String] {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(arguments), system)
        let lock = try #require(system.log.firstIndex { $0.hasPrefix("unshare") })
        return Array(system.log[(lock + 1)...].prefix { $0.hasPrefix("write /proc/self/") })
    }

    @Test func theNestedNamespaceDeniesSetgroupsWhereTheOuterOneMightNot() throws {
        // sbox's own user namespace denies setgroups already; the nested one inherits it.
        #expect(try lockMaps(["--tmpfs", "/tmp"])
                    == ["write /proc/self/uid_map 1000 1000 1", "write /proc/self/gid_map 100 100 1"])
        // A namespace the caller brought may allow it.
        #expect(try lockMaps(["--userns", "5", "--tmpfs", "/tmp"]) == [
            "write /proc/self/setgroups deny", "write /proc/self/uid_map 1000 1000 1",
            "write /proc/self/gid_map 100 100 1",
        ])
    }
}

extension LandlockOrderTests {
    @Test func aLayerTheKernelRefusesStopsTheSandboxBeforeTheProgram() throws {
        let system = RecordingSystemCalls()
        system.failures = ["landlock restrict": EPERM]
        #expect(throws: SandboxError("Landlock, the mirror of the mounts: "
                                     + "landlock restrict: Operation not permitted")) {
            _ = try tail(["--tmpfs", "/tmp"], system)
        }
        #expect(!system.log.contains { $0.hasPrefix("seccomp") })
    }
}

extension LandlockOrderTests {
    @Test func aPortRuleTheKernelRefusesStopsTheSandbox() throws {
        let system = RecordingSystemCalls()
        system.failures = ["landlock port 443 2": EINVAL]
        #expect(throws: SandboxError("Landlock: port 443: landlock port 443 2: Invalid argument")) {
            _ = try tail(["--tmpfs", "/tmp", "--landlock-connect", "443"], system)
        }
        #expect(!system.log.contains { $0.hasPrefix("seccomp") })
    }
}
