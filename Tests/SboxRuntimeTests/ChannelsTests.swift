@testable import SboxRuntime
import SboxCore
import Testing

/// sbox's pipes: opened as the topology needs them, and after the clone each end kept by exactly one
/// side (a write end left in the wrong process would keep its reader from ever seeing the end).
@Suite struct ChannelsTests {
    func ends(_ channels: Channels) -> [FileDescriptor] {
        [channels.lifeline, channels.started, channels.learning, channels.ended, channels.stops, channels.programPID,
         channels.programAnswer].compactMap { $0 }.flatMap { [$0.read, $0.write] }
    }

    @Test func eachEndIsKeptByOneSideOnly() throws {
        let plan = try makePlan(["--json-status-fd", "1", "--info-fd", "1"])
        let system = RecordingSystemCalls()
        let channels = try Channels.open(for: plan, plan.topology, terminal: nil, system: system)
        #expect(system.log == ["pipe", "pipe", "signalling pipe", "pipe", "pipe"])
        #expect(channels.started != nil && channels.ended != nil && channels.programPID != nil
                    && channels.programAnswer != nil)
        #expect(channels.learning == nil && channels.stops == nil)
        channels.keepSandboxEnds(system: system)
        let sandboxClosed = system.closed
        system.closed = []
        channels.keepSupervisorEnds(system: system)
        let supervisorClosed = system.closed
        #expect(Set(sandboxClosed).isDisjoint(with: supervisorClosed))
        #expect(Set(sandboxClosed + supervisorClosed) == Set(ends(channels)))
        // The sandbox keeps what it reads from sbox and what it writes to it.
        #expect(!sandboxClosed.contains(channels.lifeline.read) && !sandboxClosed.contains(channels.ended!.write))
        #expect(!supervisorClosed.contains(channels.programPID!.read)
                    && !supervisorClosed.contains(channels.programAnswer!.write))
    }

    @Test func theInitAndTheWorkerKeepTheirOwnEnds() throws {
        let plan = try makePlan(["--lock-file", "/run/lock", "--share-pid"])
        let duties = try #require(plan.topology.initDuties)
        let system = RecordingSystemCalls()
        let pipes = try InitChannels.open(for: duties, system: system)
        #expect(pipes.mountsLocked != nil && pipes.network != nil && pipes.locksHeld != nil)
        pipes.keepWorkerEnds(system: system)
        let worker = system.closed
        system.closed = []
        pipes.keepInitEnds(system: system)
        let all = [pipes.mountsLocked!, pipes.network!, pipes.locksHeld!].flatMap { [$0.read, $0.write] }
        #expect(Set(worker).isDisjoint(with: system.closed) && Set(worker + system.closed) == Set(all))
        #expect(worker.contains(pipes.mountsLocked!.read) && system.closed.contains(pipes.mountsLocked!.write))
    }
}
