@testable import SboxCore
import Testing

@Suite struct LandlockTests {
    let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/work")

    func compile(_ arguments: [ByteString], mode: Mode = .sbox) throws -> Plan {
        try PlanCompiler.compile(try CommandLineParser.parse(arguments + ["true"]), host: host, mode: mode)
    }

    func mirror(_ plan: Plan) -> [String] { plan.landlockMirror.map { "\($0.access.rawValue) \($0.path)" } }

    @Test func theMirrorFollowsTheMountsLastStepWins() throws {
        let plan = try compile([
            "--ro-bind", "/usr", "/usr", "--bind", "/srv", "/srv", "--ro-bind", "/data", "/srv/data",
            "--tmpfs", "/srv", "--dev", "/dev", "--proc", "/proc", "--bind", "/w", "/w", "--remount-ro", "/w",
            "--ro-bind", "/x", "/x", "--hide", "/x",
        ])
        // The tmpfs on /srv covers the bind beneath it; remount-ro makes /w read-only; a hidden path
        // (and sbox's own directories, always hidden) has nothing.
        #expect(mirror(plan) == ["list /", "read /usr", "write /srv", "devices /dev", "write /proc", "read /w"])
    }

    @Test func ownDirectoriesAreHiddenAndSoAbsentFromTheMirror() throws {
        let plan = try compile(["--tmpfs", "/tmp"])
        #expect(mirror(plan) == ["list /", "write /tmp"])
    }

    @Test func aWritableRootIsWritableAndBindingTheRootReplacesEverything() throws {
        #expect(mirror(try compile(["--ro-bind", "/usr", "/usr", "--bind", "/", "/"])) == ["write /"])
        #expect(mirror(try compile(["--bind", "/", "/", "--ro-bind", "/usr", "/usr", "--ro-bind-data", "3", "/etc/x"]))
                == ["write /", "read /usr", "read /etc/x"])
        #expect(
            mirror(try compile(["--ro-bind", "/", "/", "--file", "3", "/etc/passwd"])) == [
                "read /", "read /etc/passwd",
            ])
    }

    @Test func modesAndDefaults() throws {
        #expect(try compile([]).landlock.mode == .bestEffort)
        #expect(try compile(["--landlock", "required"]).landlock.mode == .required)
        #expect(try compile(["--landlock", "off"]).landlockMirror == [])
        // bwrap has none: only when asked.
        #expect(try compile(["--unshare-user"], mode: .bwrap).landlock.mode == .off)
        #expect(try compile(["--landlock-write", "/tmp"], mode: .bwrap).landlock.mode == .bestEffort)
        #expect(throws: UsageError("--landlock maybe: 'maybe' is not a Landlock mode (required, best-effort or off)")) {
            try compile(["--landlock", "maybe"])
        }
        #expect(
            throws: UsageError(
                "--landlock off: --landlock-read, --landlock-write, --landlock-connect and --landlock-bind need "
                    + "Landlock"
            )
        ) {
            try compile(["--landlock", "off", "--landlock-write", "/tmp"])
        }
        #expect(throws: UsageError("--landlock-connect 70000: '70000' is not a port number (0 to 65535)")) {
            try compile(["--landlock-connect", "70000"])
        }
        #expect(throws: UsageError("--landlock-read tmp: 'tmp' must be an absolute path inside the sandbox")) {
            try compile(["--landlock-read", "tmp"])
        }
    }

    @Test func whatEachKernelEnforces() throws {
        var policy = try compile(["--tmpfs", "/tmp"]).landlock
        let full = try #require(try LandlockEnforcement.of(policy, abi: 7))
        #expect(LandlockEnforcement.dropped(policy, abi: 7).all == [])
        #expect(full.fileSystem == LandlockRights.read.union(.write))
        #expect(full.scopes == LandlockScope.abstractUnixSocket | LandlockScope.signal)
        #expect(!full.hasRestrictingLayer)
        let old = try #require(try LandlockEnforcement.of(policy, abi: 2))
        #expect(old.fileSystem.contains(.refer) && !old.fileSystem.contains(.truncate) && old.scopes == 0)
        #expect(LandlockEnforcement.dropped(policy, abi: 2).all.count == 3)
        // ABI 1 refuses renames between directories in any sandbox: best effort uses none of it, and says so.
        #expect(try LandlockEnforcement.of(policy, abi: 1) == nil)
        #expect(LandlockEnforcement.dropped(policy, abi: 1).all.first?.hasPrefix("everything (ABI 1") == true)
        let plan = try compile(["--tmpfs", "/tmp"])
        #expect(
            PlanDescription.text(plan, landlockABI: 1).contains(
                "dropped on this kernel: everything (ABI 1 would refuse"))
        #expect(
            PlanDescription.summary(plan, profile: "none", landlockABI: 1).contains(
                "(dropped: everything (ABI 1 would refuse"))
        // No Landlock at all: best effort runs without it; required refuses.
        #expect(try LandlockEnforcement.of(policy, abi: 0) == nil)
        policy.mode = .required
        #expect(
            throws: UsageError(
                "--landlock required: this kernel has Landlock ABI 5, which cannot enforce "
                    + "scoping of abstract unix sockets and signals (ABI 6)")
        ) { try LandlockEnforcement.of(policy, abi: 5) }
        #expect(
            throws: UsageError(
                "--landlock required: this kernel has no Landlock (not built in, or not enabled in the lsm= boot "
                    + "parameter)"
            )
        ) {
            try LandlockEnforcement.of(policy, abi: 0)
        }
        policy.mode = .off
        #expect(try LandlockEnforcement.of(policy, abi: 7) == nil)
    }

    @Test func restrictionsThatWereAskedForAreNeverDropped() throws {
        let paths = try compile(["--landlock-write", "/tmp"]).landlock
        #expect(
            throws: UsageError(
                "--landlock-read, -write, -connect and -bind: this kernel has no Landlock (not built in, or not "
                    + "enabled in the lsm= boot parameter)"
            )
        ) {
            try LandlockEnforcement.of(paths, abi: 0)
        }
        #expect(
            throws: UsageError(
                "--landlock-read, -write, -connect and -bind: this kernel has Landlock ABI 1, which cannot enforce "
                    + "everything (ABI 1 would refuse renaming or linking files between directories; ABI 2 is needed)")
        ) {
            try LandlockEnforcement.of(paths, abi: 1)
        }
        let writes = try #require(try LandlockEnforcement.of(paths, abi: 2))
        #expect(writes.restrictedFileSystem == [.writeFile, .changeDirectory, .refer])
        #expect(writes.restrictedRights(writable: true) == [.writeFile, .changeDirectory, .refer])
        let ports = try compile(["--landlock-connect", "443", "--landlock-bind", "8080"]).landlock
        #expect(
            throws: UsageError(
                "--landlock-read, -write, -connect and -bind: this kernel has Landlock ABI 3, which cannot enforce "
                    + "--landlock-connect and --landlock-bind (ABI 4)")
        ) { try LandlockEnforcement.of(ports, abi: 3) }
        let network = try #require(try LandlockEnforcement.of(ports, abi: 4))
        #expect(network.restrictedNetwork == LandlockNetwork.connectTCP | LandlockNetwork.bindTCP)
        #expect(network.restrictedFileSystem == [])
        let reads = try #require(try LandlockEnforcement.of(try compile(["--landlock-read", "/usr"]).landlock, abi: 7))
        #expect(reads.restrictedRights(writable: false) == .read)
        #expect(reads.restrictedRights(writable: true) == LandlockRights.read.union(.refer))
        // Handled, so that the layer does not refuse every rename between directories; granted on / by the runtime.
        #expect(reads.restrictedFileSystem == LandlockRights.read.union(.refer))
    }
}
