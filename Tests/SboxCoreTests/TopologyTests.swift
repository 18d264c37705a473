@testable import SboxCore
import Testing

/// Which processes exist and what each does, decided without forking.
@Suite struct TopologyTests {
    func topology(_ arguments: [ByteString], mode: Mode = .sbox) throws -> Topology {
        try PlanCompiler.compile(try CommandLineParser.parse(arguments, mode: mode), host: host, mode: mode).topology
    }

    @Test func sboxModeClonesFourNamespacesLocksTheRestAndTheInitBuildsTheNetwork() throws {
        let topology = try topology(["true"])
        #expect(topology.firstProcess == [.user, .mount, .pid, .ipc])
        #expect(topology.lock == [.user, .mount, .uts, .cgroup])
        #expect(topology.network == .initProcess)
        #expect(!topology.intermediate && !topology.reapsDescendants && !topology.programReportsPID)
        let duties = try #require(topology.initDuties)
        #expect(duties.createsNetwork && duties.reportsStatusEarly && !duties.joinsLockedMounts
                    && !duties.waitsForMounts)
        #expect(!duties.holdsLocks && !duties.holdsSync && !duties.endsDescendants)
    }

    @Test func aKeptCapabilityPutsTheNetworkInTheLocksNamespace() throws {
        let topology = try topology(["--cap-add", "CAP_NET_ADMIN", "true"])
        #expect(topology.network == .lock)
        #expect(topology.lock == [.user, .mount, .uts, .net, .cgroup])
        #expect(topology.initDuties?.createsNetwork == false)
    }

    @Test func theHostsNetworkIsNobodysToCreate() throws {
        let topology = try topology(["--share-net", "true"])
        #expect(topology.network == .host)
        #expect(topology.lock == [.user, .mount, .uts, .cgroup])
    }

    @Test func withoutAPIDNamespaceTheInitReapsWhatTheProgramLeaves() throws {
        let topology = try topology(["--share-pid", "true"])
        #expect(topology.firstProcess == [.user, .mount, .ipc])
        #expect(topology.reapsDescendants && !topology.programDiesWithInit)
        let duties = try #require(topology.initDuties)
        #expect(duties.endsDescendants && !duties.reportsStatusEarly && duties.joinsLockedMounts
                    && duties.waitsForMounts)
    }

    @Test func asPID1TheProgramIsTheFirstProcess() throws {
        #expect(try topology(["--as-pid-1", "true"]).initDuties == nil)
    }

    @Test func learningReportsNoStatusEarly() throws {
        let base = try PlanCompiler.compile(try CommandLineParser.parse(["true"]), host: host)
        let learning = Learning.plan(base: base, host: host, rootEntries: ["usr"])
        #expect(learning.topology.initDuties?.reportsStatusEarly == false)
        #expect(learning.topology.initDuties?.joinsLockedMounts == true)
    }

    @Test func aRelayedTerminalIsLedByTheInit() throws {
        var terminal = host
        terminal.terminalDescriptors = [0, 1]
        let plan = try PlanCompiler.compile(try CommandLineParser.parse(["true"]), host: terminal)
        #expect(plan.topology.initDuties?.leadsTerminalSession == true)
        #expect(try topology(["true"]).initDuties?.leadsTerminalSession == false)
    }

    @Test func bwrapModeCreatesEveryNamespaceWithTheFirstProcessAndLocksNothing() throws {
        let plain = try topology(["true"], mode: .bwrap)
        #expect(plain.firstProcess == [.user, .mount] && plain.lock == nil && plain.network == .host)
        #expect(plain.initDuties == nil && !plain.reapsDescendants)
        let all = try topology(["--unshare-all", "--die-with-parent", "true"], mode: .bwrap)
        #expect(all.firstProcess == .all && all.network == .firstProcess && all.lock == nil)
        #expect(all.initDuties?.reportsStatusEarly == false && all.initDuties?.joinsLockedMounts == false)
        let locks = try topology(["--lock-file", "/l", "--sync-fd", "0", "--die-with-parent", "true"], mode: .bwrap)
        let duties = try #require(locks.initDuties)
        #expect(duties.holdsLocks && duties.holdsSync && duties.waitsForMounts && locks.programDiesWithInit)
    }

    @Test func aJoinedPIDNamespaceWithANewOneInsideNeedsAnIntermediateProcess() throws {
        let topology = try topology(["--pidns", "5", "--unshare-pid", "true"], mode: .bwrap)
        #expect(topology.intermediate && !topology.firstProcess.contains(.pid))
    }

    @Test func reportedStatusComesFromTheProgramWithTheLockExceptWhenTheCallerWritesTheMaps() throws {
        #expect(try topology(["--info-fd", "3", "true"]).programReportsPID)
        #expect(try !topology(["--info-fd", "3", "--userns-block-fd", "4", "true"]).programReportsPID)
        #expect(try !topology(["--info-fd", "3", "true"], mode: .bwrap).programReportsPID)
    }

    @Test func explainShowsTheProcesses() throws {
        let text = PlanDescription.text(try PlanCompiler.compile(try CommandLineParser.parse(["--share-pid", "true"]),
                                                                 host: host))
        #expect(text.contains("""
            processes:
              sbox, outside: forwards signals, returns the program's status
              init, in the host's PID namespace, created in new user, mount, ipc namespaces: \
            forwards signals, reaps orphans; creates the network namespace; ends what the program leaves running
              the program, the init's child: builds the root, locks the mounts in new user, mount, uts, \
            cgroup namespaces, drops its privileges and runs the command
            """))
    }
}
