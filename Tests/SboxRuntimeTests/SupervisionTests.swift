@testable import SboxRuntime
import SboxCore
import CSeccomp
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What sbox's supervisor and init do while the sandbox runs, seen through the recording double: which
/// signals reach the program, when --timeout ends it, and which status comes back.
@Suite struct SupervisionTests {
    let program: Int32 = 7

    @Test func signalsReachTheProgramAndItsStatusComesBack() {
        let system = RecordingSystemCalls()
        system.processGroups = [program]
        system.signalsToCome = [(10, SIGTERM), (20, SIGCONT), (30, SIGCHLD), (40, SIGCHLD)]
        // At the first SIGCHLD another child of the init ended (an orphan it reaped); at the second,
        // the program.
        system.childEvents = [(9, .ended(0)), nil, (program, .ended(3))]
        let status = Signals(system: system).forward(to: program)
        #expect(status == 3)
        // SIGCONT goes to the program's whole group, which it leads (a stopped pipeline goes on).
        #expect(system.log == ["kill 7 15", "kill -7 18"])
    }

    @Test func aProgramThatLeadsNoGroupIsContinuedItself() {
        let system = RecordingSystemCalls()
        system.signalsToCome = [(10, SIGCONT), (20, SIGCHLD)]
        system.childEvents = [(program, .ended(0))]
        _ = Signals(system: system).forward(to: program)
        #expect(system.log == ["kill -7 18", "kill 7 18"])
    }

    @Test func aStopOfTheProgramIsReportedWhereTheTerminalRelayAsks() {
        let system = RecordingSystemCalls()
        system.signalsToCome = [(10, SIGCHLD), (20, SIGCHLD)]
        system.childEvents = [(program, .stopped(SIGTSTP)), nil, (program, .ended(130))]
        #expect(Signals(system: system).forward(to: program, stops: 50) == 130)
        #expect(system.log == ["report \(SIGTSTP)"])
        // Without a relay to tell, a stop is not asked for.
        let alone = RecordingSystemCalls()
        alone.signalsToCome = [(10, SIGCHLD)]
        alone.childEvents = [(program, .stopped(SIGTSTP)), (program, .ended(0))]
        #expect(Signals(system: alone).forward(to: program) == 0)
        #expect(alone.log.isEmpty)
    }

    @Test func timeoutEndsTheSandboxAtItsDeadlineAndNotBefore() {
        let system = RecordingSystemCalls()
        system.signalsToCome = [(900, SIGHUP), (5000, SIGCHLD)]
        system.childEvents = [(program, .ended(128 + SIGKILL))]
        let (status, timedOut) = Signals(system: system).forward(to: program, timeout: 2000)
        #expect(timedOut && status == 128 + SIGKILL)
        #expect(system.log == ["kill 7 \(SIGHUP)", "kill 7 \(SIGKILL)"])
        #expect(system.clock == 5000)
        // A program that ends in time: nothing killed, nothing said.
        let quick = RecordingSystemCalls()
        quick.signalsToCome = [(1500, SIGCHLD)]
        quick.childEvents = [(program, .ended(0))]
        let result = Signals(system: quick).forward(to: program, timeout: 2000)
        #expect(!result.timedOut && result.status == 0 && quick.log.isEmpty)
    }

    @Test func theSandboxEndsWhenSboxIsGone() {
        let system = RecordingSystemCalls()
        let lifeline: FileDescriptor = 40
        let signals = Signals(system: system)
        // The first SIGIO finds the lifeline open (another report): the wait goes on.
        #expect(signals.handle(SIGIO, pid: program, ended: nil, lifeline: lifeline) == nil)
        system.endedDescriptors = [lifeline]
        #expect(signals.handle(SIGIO, pid: program, ended: nil, lifeline: lifeline) == 128 + SIGKILL)
    }

    @Test func theInitEndsEveryOrphanBeforeItExits() {
        // Killing the children orphans their own children, which come to the init in turn.
        let system = RecordingSystemCalls()
        system.childLists = [[5, 6], [8]]
        Descendants.end(proc: 3, system: system)
        #expect(system.log == ["kill 5 9", "kill 6 9", "wait 5", "wait 6", "kill 8 9", "wait 8"])
    }
}

/// The program's terminal: a new pseudo-terminal, or nothing runs.
@Suite struct ProgramTerminalTests {
    @Test func aPseudoTerminalThatCannotBeMadeEndsTheStartWithTheReason() throws {
        var plan = try makePlan([])
        plan.relayedDescriptors = [0, 1]
        let system = RecordingSystemCalls()
        #expect(try Prepared.gather(plan, system: system).1?.path == "/dev/pts/9")
        #expect(system.log.contains("pseudo-terminal like 0"))
        system.failures["pseudo-terminal like 0"] = ENOSPC
        let reason = "a pseudo-terminal for the program: pseudo-terminal like 0: No space left on device"
        #expect(throws: SandboxError(reason)) {
            try Prepared.gather(plan, system: system)
        }
    }
}

/// sbox learn's answers, through the double: what a call was, what it is told, what is recorded.
@Suite struct LearnerAnswerTests {
    func call(_ id: UInt64, _ name: String, _ arguments: [UInt64] = [0, 0, 0, 0, 0, 0]) -> SeccompNotification {
        let number = seccomp_syscall_resolve_name(name)
        return SeccompNotification(id: id, pid: 42, number: number, arguments: arguments)
    }

    @Test func aCallInNoGroupIsRefusedAndNeverLearned() throws {
        let system = RecordingSystemCalls()
        let learner = Learner(base: try makePlan(["--syscalls", "@system-service"]), system: system)
        // mount: in no group, refused as BASE refuses it; mkdir of a path: goes on, and is learned.
        system.memory[0x1000] = Array("/var/x\0".utf8)
        system.notifications = [call(1, "mount"), call(2, "mkdir", [0x1000, 0o755, 0, 0, 0, 0])]
        learner.answer(5)
        learner.answer(5)
        #expect(system.log == ["answer 1 refused \(EPERM)", "answer 2 continued"])
        #expect(learner.record.refused == ["mount"] && !learner.record.syscalls.contains("mount"))
        #expect(learner.record.accesses.map(\.path) == ["/var/x"])
    }

    @Test func aHostSocketIsRefusedWhileLearningUnlessSocketsAreAllowed() throws {
        // connect(fd, {AF_UNIX, "/tmp/.X11-unix/X0"}, len): the path is recorded; the call fails.
        let address: [UInt8] = [UInt8(AF_UNIX), 0] + Array("/tmp/.X11-unix/X0\0".utf8)
        for allowed in [false, true] {
            let system = RecordingSystemCalls()
            system.memory = [0x2000: address, 0x2002: Array(address[2...])]
            system.notifications = [call(3, "connect", [4, 0x2000, UInt64(address.count), 0, 0, 0])]
            let learner = Learner(base: try makePlan(["--syscalls", "@system-service"]), allowSockets: allowed,
                                  system: system)
            learner.answer(5)
            #expect(system.log == [allowed ? "answer 3 continued" : "answer 3 refused \(ECONNREFUSED)"])
            #expect(learner.record.accesses.map(\.path) == ["/tmp/.X11-unix/X0"])
        }
    }
}
