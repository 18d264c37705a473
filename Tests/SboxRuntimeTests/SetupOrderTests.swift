@testable import SboxRuntime
import CSbox
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

func makePlan(_ arguments: [ByteString]) throws -> Plan {
    let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
    var plan = try PlanCompiler.compile(try CommandLineParser.parse(arguments + ["true"]), host: host)
    // Without the two hides of sbox's own files, which the core tests cover.
    plan.mounts.removeAll { $0.origin == .commandLine("always: sbox's own files") }
    return plan
}

/// The sandbox as the supervisor prepared it, with an allow-all filter.
func prepared(_ plan: Plan, _ system: RecordingSystemCalls, terminal: ByteString? = nil) throws -> Prepared {
    let mounts = try RootBuilder.resolveSources(plan.mounts, mode: .sbox, system: system)
    return Prepared(plan: plan, mounts: mounts, console: terminal,
                    filter: SeccompFilter.instruction(0x06, k: 0x7fff_0000))
}

/// What the sandbox does to itself: the first process's part, then the worker's.
func isolate(_ prepared: Prepared, _ system: RecordingSystemCalls, ends: Worker.Ends = Worker.Ends(),
             network: Network.Setup? = nil) throws -> ByteString {
    let proc = try system.openDirectory("/proc")
    let channels = Channels(lifeline: Pipe(read: 90, write: 91))
    try FirstProcess(prepared: prepared, channels: channels, system: system).enterNamespaces(proc: proc)
    var worker = Worker(prepared: prepared, system: system)
    worker.ends = ends
    return try worker.isolate(proc: proc,
                              network: network ?? (prepared.plan.namespaces.contains(.net) ? .created : .host))
}

func isolate(_ plan: Plan, _ system: RecordingSystemCalls, terminal: ByteString? = nil,
             network: Network.Setup? = nil) throws -> ByteString {
    try isolate(try prepared(plan, system, terminal: terminal), system, network: network)
}

let lockAll = SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS | SBOX_CLONE_NEWUTS | SBOX_CLONE_NEWCGROUP | SBOX_CLONE_NEWNET

@Suite struct SetupOrderTests {
    @Test func theWholeSequenceInOrder() throws {
        let system = RecordingSystemCalls()
        system.hostFiles = ["/oldroot/etc/hostname"]
        let plan = try makePlan(["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc/hostname", "/etc/hostname",
                                 "--tmpfs", "/tmp", "--symlink", "usr/bin", "/bin", "--hostname", "box",
                                 "--cap-add", "NET_RAW"])
        let directory = try isolate(plan, system)
        #expect(system.log == [
            // The sandbox maps its own ids onto the caller's.
            "write /proc/self/setgroups deny", "write /proc/self/uid_map 1000 1000 1",
            "write /proc/self/gid_map 100 100 1",
            "setsid",
            // The staging root, with the host's root under /oldroot and the new root, a mount of its own, at /newroot.
            "rslave /", "mount tmpfs /tmp", "mkdir /tmp/newroot", "mkdir /tmp/oldroot",
            "pivot_root /tmp /tmp/oldroot", "chdir /",
            "open_tree /newroot", "move_mount /newroot -> /newroot", "open /newroot",
            // --perms are exact: no umask while building.
            "umask 0",
            // Each bind is made read-only before it is attached.
            "open_tree /oldroot/usr", "setattr /oldroot/usr ro,nosuid,nodev recursive", "mkdir /usr 755",
            "move_mount /oldroot/usr -> /usr",
            "open_tree /oldroot/etc/hostname", "setattr /oldroot/etc/hostname ro,nosuid,nodev recursive",
            "mkdir /etc 755", "create /etc/hostname", "move_mount /oldroot/etc/hostname -> /etc/hostname",
            "fsmount tmpfs mode=0755 nosuid,nodev", "mkdir /tmp 755", "move_mount tmpfs -> /tmp",
            "symlink /bin -> usr/bin",
            // The root itself is read-only; then it becomes the root, and the staging root with the
            // host's beneath it is detached.
            "setattr / ro", "chdir /newroot", "pivot_root . .", "umount .", "chdir /", "umask 22",
            // The mount lock: a nested user and mount namespace, mapped onto the same ids, with the
            // namespaces the kept capability must apply to.
            "unshare \(lockAll)",
            "write /proc/self/uid_map 1000 1000 1", "write /proc/self/gid_map 100 100 1",
            "sethostname box", "loopback up",
            "chdir /home/u",
            "no_new_privs", "capabilities keep=[CAP_NET_RAW] ambient",
            "close_range 3-",
            // Last, the seccomp filter.
            "seccomp 1 instructions",
        ])
        #expect(directory == "/home/u")
        #expect(system.openDescriptors == [])
    }

    @Test func theWorkerJoinsTheNetworkNamespaceTheInitCreatedBeforeTheLock() throws {
        let system = RecordingSystemCalls()
        let plan = try makePlan(["--tmpfs", "/tmp"])
        #expect(plan.topology.network == .initProcess)
        #expect(plan.topology.firstProcess.cloneFlags & SBOX_CLONE_NEWNET == 0)
        #expect(plan.topology.lock?.cloneFlags
                    == SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS | SBOX_CLONE_NEWUTS | SBOX_CLONE_NEWCGROUP)
        _ = try isolate(plan, system, network: .fromInit(7))
        let builtRoot = try #require(system.log.lastIndex(of: "umask 22"))
        let tail = Array(system.log[(builtRoot + 1)...].prefix(3))
        let lock = "unshare \(SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS | SBOX_CLONE_NEWUTS | SBOX_CLONE_NEWCGROUP)"
        #expect(tail == ["wait for report", "setns /proc/4321/ns/net \(SBOX_CLONE_NEWNET)", lock])
        #expect(!system.log.contains("loopback up"))
    }

    @Test func theWorkerReportsItsLockedMountsToTheInitRightAfterTheLock() throws {
        let system = RecordingSystemCalls()
        let plan = try makePlan([])
        var ends = Worker.Ends()
        ends.mountsLocked = 9
        _ = try isolate(try prepared(plan, system), system, ends: ends, network: .host)
        let lock = try #require(system.log.firstIndex { $0.hasPrefix("unshare") })
        #expect(Array(system.log[(lock + 1)...].prefix(3)) == [
            "write /proc/self/uid_map 1000 1000 1", "write /proc/self/gid_map 100 100 1", "report 4321",
        ])
    }

    @Test func theInitCreatesTheNetworkNamespaceAndReportsWhereItIs() throws {
        let system = RecordingSystemCalls()
        Network.create(proc: try system.openDirectory("/proc"), reportingTo: 7, system: system)
        #expect(system.log == ["unshare \(SBOX_CLONE_NEWNET)", "loopback up", "report 4321"])
    }

    @Test func aNetworkNamespaceTheInitCouldNotCreateStopsTheWorker() throws {
        let system = RecordingSystemCalls()
        system.failures = ["unshare \(SBOX_CLONE_NEWNET)": ENOSPC]
        Network.create(proc: try system.openDirectory("/proc"), reportingTo: 7, system: system)
        #expect(system.log == ["report \(-ENOSPC)"])
        system.networkReport = -ENOSPC
        #expect(throws: SandboxError("setting up the network namespace: creating it: No space left on device")) {
            try isolate(try makePlan([]), system, network: .fromInit(7))
        }
        #expect(!system.log.contains { $0.hasPrefix("unshare") })
    }

    @Test func withoutAnInitOrWithCapabilitiesTheLockCreatesTheNetworkNamespace() throws {
        for arguments: [ByteString] in [["--as-pid-1"], ["--cap-add", "NET_RAW"]] {
            let plan = try makePlan(arguments)
            #expect(plan.topology.network != .initProcess)
            #expect(plan.topology.lock.map { $0.cloneFlags & SBOX_CLONE_NEWNET != 0 } == true)
        }
        #expect(try makePlan(["--share-net", "--share-uts", "--share-cgroup"]).topology.lock?.cloneFlags
                    == SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS)
        #expect(try makePlan([]).topology.firstProcess.cloneFlags
                    == SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS | SBOX_CLONE_NEWPID | SBOX_CLONE_NEWIPC)
    }

    @Test func sharedNamespacesSkipTheirSteps() throws {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--share-net", "--share-uts", "--uid", "0"]), system)
        #expect(!system.log.contains("loopback up"))
        #expect(!system.log.contains { $0.hasPrefix("sethostname") })
        // As uid 0 inside, the bounding set is what a program gets at exec: no ambient set needed.
        #expect(system.log.contains("capabilities keep=[]"))
        #expect(system.log.contains("write /proc/self/uid_map 0 0 1"))
    }

    @Test func aLaterTmpfsHidesAnEarlierBindBeneathIt() throws {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--bind", "/srv", "/srv", "--tmpfs", "/srv",
                                      "--perms", "0700", "--dir", "/srv/x"]), system)
        let mounts = system.log.filter { $0.hasPrefix("move_mount") || $0.hasPrefix("mkdir /srv") }
        #expect(mounts == ["move_mount /newroot -> /newroot", "mkdir /srv 755", "move_mount /oldroot/srv -> /srv",
                           "move_mount tmpfs -> /srv", "mkdir /srv/x 700"])
    }

    @Test func procIsNewAndItsMachineWideFilesAreCoveredReadOnlyWhenTheCallerIsRoot() throws {
        let procSteps = { (system: RecordingSystemCalls) in
            system.log.filter { $0.contains("proc") && !$0.contains("/proc/self") }
        }
        let mount = ["fsmount proc  nosuid,nodev,noexec", "mkdir /proc 755", "move_mount proc -> /proc"]
        let user = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--proc", "/proc"]), user)
        #expect(procSteps(user) == mount)  // the host root's files: out of an unprivileged sandbox's reach
        let root = RecordingSystemCalls()
        var plan = try makePlan(["--proc", "/proc"])
        plan.hostUID = 0
        _ = try isolate(plan, root)
        var covers: [String] = []
        for name in RootBuilder.procfsEntriesToCover {
            covers += ["open_tree /proc/\(name)", "setattr /proc/\(name) ro,nosuid,nodev,noexec recursive",
                       "move_mount /proc/\(name) -> /proc/\(name)"]
        }
        #expect(procSteps(root) == mount + covers)
    }

    @Test func anExposedSymlinkIsTheSameSymlinkAndAnythingElseABind() throws {
        let system = RecordingSystemCalls()
        system.hostLinks = ["/bin": "usr/bin"]
        system.missingHostPaths = ["/lib32"]
        let plan = try makePlan(["--ro", "/usr", "--ro-try", "/bin", "--ro-try", "/lib32", "--rw", "/srv"])
        #expect(try RootBuilder.resolveSources(plan.mounts, mode: .sbox, system: system).map(\.step) == [
            .bind(source: "/usr", destination: "/usr", mode: .readOnly),
            .symlink(target: "usr/bin", path: "/bin"),
            .bind(source: "/srv", destination: "/srv", mode: .readWrite),
        ])
        system.missingHostPaths = ["/nope"]
        #expect(throws: SandboxError("--ro /nope: Can't find source path /nope: No such file or directory")) {
            try RootBuilder.resolveSources(try makePlan(["--ro", "/nope"]).mounts, mode: .sbox, system: system)
        }
    }

    @Test func hideCoversADirectoryWithAnEmptyDirectoryAFileWithAnEmptyFileAndSkipsWhatIsAbsent() throws {
        let system = RecordingSystemCalls()
        system.hostFiles = ["/oldroot/etc/shadow"]
        _ = try isolate(try makePlan(["--ro-bind", "/etc", "/etc", "--ro-bind", "/etc/shadow", "/etc/shadow",
                                      "--hide", "/etc", "--hide", "/etc/shadow", "--hide", "/absent"]), system)
        let hides = system.log.drop { !$0.hasPrefix("move_mount /oldroot/etc/shadow") }
            .dropFirst().prefix { $0 != "setattr / ro" }
        #expect(Array(hides) == [
            "open /", "mkdir /empty-directory 755", "open_tree /empty-directory",
            "setattr /empty-directory ro,nosuid,nodev,noexec",
            "move_mount /empty-directory -> /etc",
            "open /", "create /empty", "open_tree /empty", "setattr /empty ro,nosuid,nodev,noexec",
            "move_mount /empty -> /etc/shadow",
        ])
    }

    @Test func bwrapModeKeepsTheHostsNamespacesNoLockNoSessionAWritableRootAndNoFilter() throws {
        let system = RecordingSystemCalls()
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        let invocation = try CommandLineParser.parse(["--unshare-net", "--ro-bind", "/usr", "usr",
                                                      "--file", "7", "/etc/passwd", "--perms", "0640",
                                                      "--ro-bind-data", "8", "/etc/group", "--sync-fd", "9",
                                                      "--block-fd", "10", "--lock-file", "/run/lock", "true"],
                                                     mode: .bwrap)
        let plan = try PlanCompiler.compile(invocation, host: host, mode: .bwrap)
        #expect(plan.namespaces == [.user, .mount, .net] && !plan.newSession && !plan.dieWithParent
                    && !plan.readOnlyRoot)
        #expect(plan.withoutSeccomp && !plan.lockMounts && plan.mounts.count == 3)
        let data: [RootBuilder.DataFile] = [.init(descriptor: 7, bytes: [1, 2]), .init(descriptor: 8, bytes: [3])]
        let sandbox = Prepared(plan: plan,
                               mounts: try RootBuilder.resolveSources(plan.mounts, mode: .bwrap, system: system),
                               console: nil, filter: [], data: data)
        #expect(plan.topology.firstProcess.cloneFlags == SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS | SBOX_CLONE_NEWNET)
        _ = try isolate(sandbox, system, network: .created)
        #expect(!system.log.contains("setsid"))
        #expect(!system.log.contains { $0.hasPrefix("unshare") || $0 == "setattr / ro" })
        #expect(system.log.contains("move_mount /oldroot/usr -> /usr"))  // a relative destination, from the root
        #expect(system.log.contains("write file /etc/passwd 666 2 bytes"))
        #expect(system.log.contains("write file /data-8-group 640 1 bytes"))
        #expect(system.log.contains("move_mount /data-8-group -> /etc/group"))
        let tail = Array(system.log.suffix(2))
        #expect(tail == ["capabilities keep=[]", "wait on 10"])
        #expect(!system.log.contains { $0.hasPrefix("close_range") })  // the caller's descriptors pass on, as in bwrap
        #expect(!system.log.contains("lock /run/lock"))  // the init holds it, not the program
        #expect(plan.needsInit)
    }

    @Test func tmpfsModesAreWrittenInOctal() throws {
        #expect([0o755, 0o1777, 0o700, 0].map(RootBuilder.octal) == ["0755", "01777", "0700", "00"])
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--perms", "1777", "--size", "2K", "--tmpfs", "/t"]), system)
        #expect(system.log.contains("fsmount tmpfs mode=01777,size=2048 nosuid,nodev"))
    }

    @Test func sharedPIDNamespaceBindsTheHostsProc() throws {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--share-pid", "--proc", "/proc"]), system)
        #expect(system.log.contains("open_tree /oldroot/proc"))
        #expect(!system.log.contains { $0.hasPrefix("fsmount proc") })
    }

    @Test func devHasTheUsualNodesLinksAndConsole() throws {
        let system = RecordingSystemCalls()
        system.hostFiles = Set((MountStep.deviceNodes + ["pts/3"]).map { "/oldroot/dev/" + $0.lossy })
        _ = try isolate(try makePlan(["--dev", "/dev"]), system, terminal: "/dev/pts/3")
        #expect(system.log.contains("fsmount tmpfs mode=0755 nosuid,nodev,noexec"))
        for node in MountStep.deviceNodes {
            #expect(system.log.contains("create /dev/\(node)"))
            #expect(system.log.contains("move_mount /oldroot/dev/\(node) -> /dev/\(node)"))
        }
        #expect(system.log.contains("symlink /dev/ptmx -> pts/ptmx"))
        #expect(system.log.contains("fsmount devpts newinstance,ptmxmode=0666,mode=620 nosuid,noexec"))
        #expect(system.log.contains("move_mount /oldroot/dev/pts/3 -> /dev/console"))
        // The nodes are copied from the host's /dev, opened once; each one, the console too, is
        // read-only, nosuid and noexec before it is attached (the host's node cannot be changed
        // through it), as the tmpfs under them and devpts are from their start.
        let first = try #require(system.log.firstIndex(of: "open /oldroot/dev"))
        let nodes = system.log[first...].prefix { !$0.hasPrefix("symlink /dev/") }
        let copied = (MountStep.deviceNodes + ["pts/3"]).map { "/oldroot/dev/" + $0.lossy }
        #expect(nodes.filter { $0.hasPrefix("open_tree") } == copied.map { "open_tree " + $0 })
        let setattr = system.log.filter { $0.hasPrefix("setattr /dev") || $0.hasPrefix("setattr /oldroot/dev") }
        #expect(setattr == copied.map { "setattr \($0) ro,nosuid,noexec" })
        for node in copied {
            #expect(system.log.firstIndex(of: "setattr \(node) ro,nosuid,noexec")!
                        < system.log.firstIndex { $0.hasPrefix("move_mount \(node) ->") }!)
        }
    }

    /// expose-args: the argument's file goes at the path it was named by, and only there. A
    /// directory on the way may have been turned into a symlink since (in ~/Downloads, by another
    /// sandbox) to put the file over the new sandbox's /usr/bin/dash, or to make its ~/.bashrc.
    @Test func anArgumentGoesOnlyOnItsOwnFile() throws {
        func plan() throws -> Plan {
            var plan = try makePlan(["--tmpfs", "/d"])
            plan.mounts.append(PlannedMount(.argument("/d/x", source: "/h/x", mode: .readOnly, directories: false),
                                            origin: .commandLine("--expose-args")))
            return plan
        }
        func system(_ setUp: (RecordingSystemCalls) -> Void = { _ in }) -> RecordingSystemCalls {
            let system = RecordingSystemCalls()
            system.hostFiles = ["/h/x", "/oldroot/h/x"]
            setUp(system)
            return system
        }
        let bound = "move_mount /oldroot/h/x -> /d/x"
        // Absent: made anew, then the file on it.
        var recorded = system()
        _ = try isolate(try plan(), recorded)
        #expect(recorded.log.contains("create /d/x") && recorded.log.contains(bound))
        // There, with no symlink on the way: the place named, whatever is there (a directory sbox made
        // for another argument, the file itself through a bind above).
        recorded = system { $0.tree["/d/x"] = .other; $0.pathIdentities["/d/x"] = FileIdentity(device: 1, inode: 2) }
        _ = try isolate(try plan(), recorded)
        #expect(!recorded.log.contains("create /d/x") && recorded.log.contains(bound))
        // Through a symlink: only onto the very file.
        recorded = system { $0.tree["/d/x"] = .other; $0.inRootSymlinks = ["/d"] }
        _ = try isolate(try plan(), recorded)
        #expect(recorded.log.contains(bound))
        recorded = system {
            $0.tree["/d/x"] = .other
            $0.inRootSymlinks = ["/d"]
            $0.pathIdentities["/d/x"] = FileIdentity(device: 1, inode: 2)
        }
        #expect { _ = try isolate(try plan(), recorded) } throws: { "\($0)".contains("that place shows another file") }
        #expect(!recorded.log.contains(bound))
        // Absent behind a symlink: nothing is made there.
        recorded = system { $0.inRootSymlinks = ["/d"] }
        #expect { _ = try isolate(try plan(), recorded) } throws: { "\($0)".contains("No such file") }
        #expect(!recorded.log.contains("create /d/x") && !recorded.log.contains(bound))
    }

    /// The host's /dev/null on a standard descriptor (cron's, systemd's) reaches the program through
    /// a read-only copy of its node, made before the host's paths are gone, with or without a /dev
    /// in the sandbox: through the host's own, a root caller's program could fchmod it.
    @Test func standardDescriptorsOnDevicesAreReopenedThroughReadOnlyCopies() throws {
        let system = RecordingSystemCalls()
        system.standardDevices = [0: "/dev/null", 2: "/dev/zero"]
        var sandbox = try prepared(try makePlan([]), system)
        sandbox.ownDevices = [0, 2]
        _ = try isolate(sandbox, system)
        #expect(system.log.filter { $0.hasPrefix("reopen") }
                    == ["reopen 0 through /dev/null", "reopen 2 through /dev/zero"])
        let copied = try #require(system.log.firstIndex(of: "open_tree /dev/null"))
        #expect(system.log[copied + 1] == "setattr /dev/null ro,nosuid,noexec")
        let pivot = try #require(system.log.firstIndex { $0.hasPrefix("pivot_root") })
        #expect(copied < pivot && system.log.firstIndex(of: "reopen 0 through /dev/null")! < pivot)
        // A copy that cannot be reopened fails the start, saying which descriptor: nothing runs.
        let failing = RecordingSystemCalls()
        failing.standardDevices = [1: "/dev/null"]
        failing.failures["reopen 1 through /dev/null"] = EACCES
        var failed = try prepared(try makePlan([]), failing)
        failed.ownDevices = [1]
        #expect { _ = try isolate(failed, failing) } throws: {
            "\($0)".contains("descriptor 1 through a read-only copy of /dev/null")
        }
        #expect(!failing.log.contains { $0.hasPrefix("seccomp") })
    }

    /// Only the caller's own devices are reopened: another's (root's /dev/null for an ordinary
    /// caller) the program cannot change, and bwrap mode passes descriptors as they are.
    @Test func onlyTheCallersOwnDevicesAreReopened() throws {
        let system = RecordingSystemCalls()
        system.standardDevices = [0: "/dev/null", 2: "/dev/zero"]
        system.deviceOwners = [0: 0]
        let (sandbox, _) = try Prepared.gather(try makePlan([]), system: system)
        #expect(sandbox.ownDevices == [2])
        _ = try isolate(sandbox, system)
        #expect(system.log.filter { $0.hasPrefix("reopen") } == ["reopen 2 through /dev/zero"])
        #expect(!system.log.contains("open_tree /dev/null"))
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        let bwrap = try PlanCompiler.compile(try CommandLineParser.parse(["true"], mode: .bwrap), host: host,
                                             mode: .bwrap)
        #expect(try Prepared.gather(bwrap, system: system).0.ownDevices.isEmpty)
    }

    @Test func devBindKeepsDevicesAndReadWriteBindIsWritable() throws {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--dev-bind", "/a", "/a", "--bind", "/b", "/b", "--remount-ro", "/b"]), system)
        #expect(system.log.contains("setattr /oldroot/a nosuid recursive"))
        #expect(system.log.contains("setattr /oldroot/b nosuid,nodev recursive"))
        #expect(system.log.contains("setattr /b ro"))
    }

    @Test func missingSourcesFailBeforeAnyNamespaceUnlessOptional() throws {
        let system = RecordingSystemCalls()
        system.missingHostPaths = ["/nope"]
        let optional = try makePlan(["--ro-bind-try", "/nope", "/x", "--bind-try", "/usr", "/usr"])
        #expect(try RootBuilder.resolveSources(optional.mounts, mode: .sbox, system: system).map(\.origin.description)
                    == ["--bind-try /usr /usr"])
        let required = try makePlan(["--ro-bind", "/nope", "/x"])
        #expect(throws: SandboxError("--ro-bind /nope /x: Can't find source path /nope: No such file or directory")) {
            try RootBuilder.resolveSources(required.mounts, mode: .sbox, system: system)
        }
    }

    @Test func aFailedStepNamesTheOptionAndStopsTheSetup() throws {
        let system = RecordingSystemCalls()
        system.failures = ["move_mount /oldroot/usr -> /usr": EPERM]
        #expect(throws: SandboxError("--ro-bind /usr /usr: move_mount /oldroot/usr -> /usr: Operation not permitted")) {
            try isolate(try makePlan(["--ro-bind", "/usr", "/usr", "--tmpfs", "/tmp"]), system)
        }
        #expect(!system.log.contains { $0.contains("/tmp 755") || $0.hasPrefix("no_new_privs") })
    }

    @Test func aDeviceTheHostLacksOrDevsAttributesThatFailStopTheBuild() throws {
        let missing = RecordingSystemCalls()
        missing.missingHostPaths = ["/oldroot/dev/tty"]
        #expect(throws: SandboxError("--dev /dev: open_tree /oldroot/dev/tty: No such file or directory")) {
            try isolate(try makePlan(["--dev", "/dev"]), missing)
        }
        #expect(!missing.log.contains { $0.hasPrefix("move_mount /oldroot/dev/tty") || $0.hasPrefix("no_new_privs") })
        let refused = RecordingSystemCalls()
        refused.failures = ["setattr /oldroot/dev/null ro,nosuid,noexec": EPERM]
        #expect(throws: SandboxError("--dev /dev: setattr /oldroot/dev/null ro,nosuid,noexec: "
                                     + "Operation not permitted")) {
            try isolate(try makePlan(["--dev", "/dev"]), refused)
        }
        #expect(!refused.log.contains { $0.hasPrefix("symlink /dev/") || $0.hasPrefix("no_new_privs") })
    }

    @Test func symlinkThatAlreadyExistsDifferentlyIsAnError() throws {
        let system = RecordingSystemCalls()
        #expect(throws: SandboxError("--symlink b /x: Can't make symlink at /x: existing destination is a")) {
            try isolate(try makePlan(["--symlink", "a", "/x", "--symlink", "b", "/x"]), system)
        }
        #expect(throws: SandboxError("--symlink a /d: Can't make symlink at /d: "
                                     + "destination exists and is not a symlink")) {
            try isolate(try makePlan(["--dir", "/d", "--symlink", "a", "/d"]), RecordingSystemCalls())
        }
    }

    @Test func chdirMustWorkWhenAsked() throws {
        let system = RecordingSystemCalls()
        system.failures = ["chdir /missing": ENOENT]
        #expect(throws: SandboxError("--chdir /missing: chdir /missing: No such file or directory")) {
            try isolate(try makePlan(["--chdir", "/missing"]), system)
        }
    }

    @Test func workingDirectoryFallsBackToHomeThenRoot() throws {
        let system = RecordingSystemCalls()
        system.failures = ["chdir /home/u": ENOENT]
        #expect(try isolate(try makePlan([]), system) == "/")
    }

    @Test func idsInsideMapOntoTheCallersAndOntoThemselvesAfterTheLock() throws {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--uid", "0", "--gid", "5"]), system)
        let maps = system.log.filter { $0.contains("_map") }
        #expect(maps == ["write /proc/self/uid_map 0 1000 1", "write /proc/self/gid_map 5 100 1",
                         "write /proc/self/uid_map 0 0 1", "write /proc/self/gid_map 5 5 1"])
    }

    @Test func aRefusedIDMapIsExplained() throws {
        let system = RecordingSystemCalls()
        system.failures = ["write /proc/self/uid_map 1000 1000 1": EPERM]
        #expect(throws: SandboxError("cannot create a user namespace "
                                     + "(write /proc/self/uid_map 1000 1000 1: Operation not permitted)")) {
            try isolate(try makePlan([]), system)
        }
        #expect(!system.log.contains("setsid"))
    }

    @Test func stepsAfterABindOnTheRootGoOnTopOfIt() throws {
        let system = RecordingSystemCalls()
        _ = try isolate(try makePlan(["--ro-bind", "/", "/", "--tmpfs", "/tmp"]), system)
        let relevant = system.log.filter {
            $0.hasPrefix("open /newroot") || $0.hasPrefix("move_mount") || $0 == "setattr / ro"
        }
        // What covers the empty root keeps its own mode: --bind / / stays writable.
        #expect(relevant == ["move_mount /newroot -> /newroot", "open /newroot", "move_mount /oldroot -> /",
                             "open /newroot", "move_mount tmpfs -> /tmp"])
    }

    @Test func aBindFDMustStillBeTheDirectoryTheDescriptorWasOpenedOn() throws {
        let plan = try makePlan(["--bind-fd", "5", "/x"])
        let system = RecordingSystemCalls()
        let sources = try RootBuilder.descriptorSources(plan.mounts, system: system)
        #expect(sources.map(\.path) == ["/proc/self/fd/5"])
        var sandbox = try prepared(plan, system)
        sandbox.descriptorSources = sources
        let proc = try system.openDirectory("/proc")
        _ = try Worker(prepared: sandbox, system: system)
            .isolate(proc: proc, network: .created)  // the same file: bound
        #expect(system.log.contains("move_mount /oldroot/proc/self/fd/5 -> /x"))
        system.identities[5] = FileIdentity(device: 1, inode: 2)  // the descriptor's directory, renamed away meanwhile
        sandbox.descriptorSources = try RootBuilder.descriptorSources(plan.mounts, system: system)
        #expect(throws: SandboxError("--bind-fd 5 /x: binding /oldroot/proc/self/fd/5: "
                                     + "not the directory the descriptor was opened on "
                                     + "(it was renamed or replaced): Stale file handle")) {
            _ = try Worker(prepared: sandbox, system: system).isolate(proc: proc, network: .created)
        }
    }

    @Test func aMultiThreadedProcessIsRefusedBeforeAnyNamespace() throws {
        let system = RecordingSystemCalls()
        system.threads = 3
        #expect(throws: SandboxError("sbox has 3 threads, "
                                     + "but a user namespace can only be created by a single-threaded process")) {
            try Sandbox.run(try makePlan([]), system: system)
        }
        #expect(system.log.isEmpty)
    }
}

@Suite struct OwnDirectoriesTests {
    /// nil when the plan may run, else the error.
    func refusal(_ arguments: [ByteString]) throws -> String? {
        let system = RecordingSystemCalls()
        let plan = try makePlan(arguments)
        do {
            try OwnDirectories.check(try RootBuilder.resolveSources(plan.mounts, mode: .sbox, system: system),
                                     plan: plan, system: system)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func noSandboxMayWriteSboxsOwnFilesNorADirectoryAboveThem() throws {
        // The home, a directory above the profiles, one inside the cache, the whole host.
        for arguments: [ByteString] in [["--rw", "/home/u"], ["--bind", "/home/u/.config", "/c"],
                                        ["--dev-bind", "/home", "/home"],
                                        ["--bind", "/home/u/.cache/sbox/seccomp", "/s"], ["--bind", "/", "/"],
                                        ["--bind", "/", "/", "--landlock-write", "/home/u"],
                                        ["--overlay-src", "/usr", "--overlay", "/home/u", "/tmp/work", "/x"]] {
            let message = try refusal(arguments)
            #expect(message?.contains("sbox's own files (/home/u/.") == true, "\(arguments): \(message ?? "allowed")")
        }
        #expect(try refusal(["--rw", "/home/u"])
                    == "--rw /home/u: the sandbox could write there, and /home/u holds sbox's own files "
                    + "(/home/u/.config/sbox): a program could change the profiles and filters of the next run. "
                    + "Expose a directory beside them, or read-only, or restrict writes with --landlock-write")
        // Beside them, read-only, or writes restricted by Landlock to a directory beside them.
        for arguments: [ByteString] in [["--rw", "/home/u/project"], ["--ro", "/home/u"], ["--ro-bind", "/", "/"],
                                        ["--bind", "/", "/", "--landlock-write", "/home/u/project"],
                                        ["--bind", "/home", "/h", "--landlock-write", "/h/u/project"]] {
            #expect(try refusal(arguments) == nil, "\(arguments)")
        }
    }
}

@Suite struct TerminalOrderTests {
    @Test func theProgramGetsItsTerminalBeforeItsDescriptorsAreClosedAndItsWallsGoUp() throws {
        let system = RecordingSystemCalls()
        var plan = try makePlan(["--ro-bind", "/usr", "/usr"])
        plan.relayedDescriptors = [0, 2]
        var ends = Worker.Ends()
        ends.terminal = 7
        system.standardDevices[7] = "/dev/pts/9"  // the slave, as the host's /proc names it
        _ = try isolate(try prepared(plan, system, terminal: "/dev/pts/9"), system, ends: ends, network: .created)
        // The slave goes to the program opened anew through a read-only copy of its node.
        let reopened = try #require(system.log.firstIndex(of: "reopen 7 through /dev/pts/9"))
        let terminal = try #require(system.log.firstIndex(of: "terminal 7 on 0,2 foreground"))
        #expect(reopened < terminal)
        let closing = try #require(system.log.firstIndex { $0.hasPrefix("close_range") })
        let filter = try #require(system.log.firstIndex { $0.hasPrefix("seccomp") })
        #expect(terminal < closing && closing < filter)
        #expect(system.log[..<terminal].contains("no_new_privs"))
    }
}

/// ro-cwd, rw-cwd: the current directory is bound only as the directory the caller is in. Whoever may
/// write above it (another user's project in /tmp) could swap a directory on the way for a symlink to
/// / while sbox starts, to have the host's /tmp bound where the project was.
@Suite struct CurrentDirectoryBindTests {
    func plan() throws -> Plan {
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/tmp/b/w")
        return try PlanCompiler.compile(try CommandLineParser.parse(["--rw-cwd", "true"]), host: host)
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch let error as SandboxError { return error.message } catch { return "\(error)" }
        return "no error"
    }

    @Test func theDirectoryTheCallerIsInIsBound() throws {
        let system = RecordingSystemCalls()
        let (sandbox, _) = try Prepared.gather(try plan(), system: system)
        #expect(sandbox.descriptorSources.map(\.path) == ["/tmp/b/w"])
        _ = try isolate(sandbox, system)
        #expect(system.log.contains("move_mount /oldroot/tmp/b/w -> /tmp/b/w"))
    }

    @Test func aPathThatLeadsElsewhereWhenResolvedEndsTheStart() throws {
        let system = RecordingSystemCalls()
        system.resolvedHostPaths = ["/tmp/b/w": "/tmp"]  // b swapped for a symlink to /
        let plan = try plan()
        #expect(message { _ = try Prepared.gather(plan, system: system) }.hasSuffix(
            "the current directory /tmp/b/w changed after sbox looked at it "
                + "(a directory on the way was renamed or replaced)"))
    }

    @Test func anotherDirectoryAtThePathWhenBoundEndsTheStart() throws {
        let system = RecordingSystemCalls()
        let (sandbox, _) = try Prepared.gather(try plan(), system: system)
        system.pathIdentities["/oldroot/tmp/b/w"] = FileIdentity(device: 1, inode: 9)  // renamed in since
        #expect(message { _ = try isolate(sandbox, system) }.hasSuffix(
            "binding /oldroot/tmp/b/w: not the directory sbox was started in (it was renamed or replaced): "
                + "Stale file handle"))
    }
}

/// What the caller passes through descriptors (--file, --seccomp) is read through the seam, before
/// any namespace exists, each descriptor once.
@Suite struct PassedDescriptorTests {
    func plan(_ arguments: [ByteString]) throws -> Plan {
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        return try PlanCompiler.compile(try CommandLineParser.parse(arguments + ["true"]), host: host)
    }

    @Test func dataAndFiltersAreReadBeforeTheClone() throws {
        let system = RecordingSystemCalls()
        let filter = SeccompFilter.instruction(0x06, k: 0x7fff_0000)
        system.passedContents = [7: Array("root:x:0:0\n".utf8), 8: filter]
        let (sandbox, _) = try Prepared.gather(try plan(["--file", "7", "/etc/passwd", "--seccomp", "8"]),
                                               system: system)
        #expect(sandbox.data.map(\.bytes) == [Array("root:x:0:0\n".utf8)])
        #expect(sandbox.givenFilters == [filter])
        #expect(system.log.filter { $0.hasPrefix("read fd") } == ["read fd 8", "read fd 7"])
        #expect(!system.log.contains { $0.hasPrefix("clone") })
    }

    @Test func aDescriptorThatCannotBeReadEndsTheStartWithItsOption() throws {
        let system = RecordingSystemCalls()
        #expect(throws: SandboxError("--file 7 /etc/passwd: reading descriptor 7: Bad file descriptor")) {
            try Prepared.gather(try plan(["--file", "7", "/etc/passwd"]), system: system)
        }
        #expect(!system.log.contains { $0.hasPrefix("clone") })
    }

    @Test func aFilterThatIsNoProgramEndsTheStartWithItsSize() throws {
        let system = RecordingSystemCalls()
        system.passedContents = [8: [1, 2, 3, 4, 5, 6, 7]]
        #expect(throws: SandboxError("--seccomp 8: not a compiled BPF program "
                                     + "(7 bytes; a multiple of 8, at most 4096 instructions)")) {
            try Prepared.gather(try plan(["--seccomp", "8"]), system: system)
        }
    }
}
