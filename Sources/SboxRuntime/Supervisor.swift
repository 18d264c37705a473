import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// sbox itself, outside the sandbox once it has cloned the first process: it forwards signals,
/// relays the terminal, answers sbox learn's listener, ends the sandbox at --timeout, reports the
/// status (--info-fd, --json-status-fd) and returns the program's.
struct Supervisor {
    let plan: Plan
    /// Its ends of the pipes (`Channels.keepSupervisorEnds` closed the others).
    let channels: Channels
    /// allow-host: the egress proxy it serves while the sandbox runs.
    let proxy: EgressProxy?
    let system: SystemCalls

    /// Until the sandbox whose first process is `pid` has ended: its exit status.
    func wait(for pid: Int32, learner: Learner?) -> Int32 {
        var wait = SandboxWait(pid: pid, timeout: plan.timeoutMilliseconds, ended: channels.ended?.read, system: system)
        let statusReport = StatusReport(plan: plan, system: system)
        var endedEarly: Int32?
        if let programPID = channels.programPID, let answer = channels.programAnswer {
            // Nothing arrives if the setup failed before the lock: then there is no program to report.
            switch wait.report(from: programPID.read) {
            case .value(let programPID) where programPID > 0:
                statusReport.started(programPID)
                system.sendReport(1, to: answer.write)
            case .ended(let status): endedEarly = status
            default: break
            }
            system.close(programPID.read)
            system.close(answer.write)
        } else {
            statusReport.started(pid)
        }
        var relay = channels.terminal.map {
            TerminalRelay(master: $0.master, relayed: plan.relayedDescriptors, system: system)
        }
        var (status, timedOut) = endedEarly.map { ($0, wait.timedOut) }
            ?? serve(&wait, relay: &relay, stops: channels.stops?.read, learner: learner,
                     report: channels.learning?.read ?? -1)
        if let terminal = channels.terminal { system.close(terminal.master) }
        if timedOut {
            let limit = plan.timeoutMilliseconds ?? 0
            Diagnostics.error("--timeout: the sandbox ran for "
                              + (limit % 1000 == 0 ? "\(limit / 1000) s" : "\(limit) ms") + " and was ended")
            status = ExitStatus.timedOut
        }
        return status
    }

    /// Until the sandbox ends: the terminal relay and the services (sbox learn's listener), or only
    /// the signals.
    private func serve(_ wait: inout SandboxWait, relay: inout TerminalRelay?, stops: FileDescriptor?,
                       learner: Learner?, report: FileDescriptor) -> (status: Int32, timedOut: Bool) {
        var services: [SupervisorService] = proxy.map { [$0] } ?? []
        if let learner {
            switch learner.takeListener(&wait, report: report) {
            case .taken(let listener): services.append(LearnerService(learner, listener: listener))
            case .ended(let status, let timedOut): return (status, timedOut)
            case .none: break
            }
        }
        if relay != nil { return relay!.run(&wait, stops: stops, services: services) }
        if !services.isEmpty { return EventLoop.run(&wait, services: services) }
        return wait.finish()
    }

    /// Says which --rlimit-* killed the program, where its signal tells.
    /// (No array of tuples: its generic metadata would be built at every run.)
    func explainLimit(_ status: Int32) {
        if status == 128 + SIGSEGV,
           let limit = plan.resourceLimits.first(where: { $0.kind == .addressSpace && $0.value != nil }) {
            Diagnostics.error("the program was killed by SIGSEGV: "
                              + "it may have run out of address space (\(limit.origin))")
            return
        }
        guard !plan.resourceLimits.isEmpty, status == 128 + SIGXCPU || status == 128 + SIGXFSZ else { return }
        let cpu = status == 128 + SIGXCPU
        guard let limit = plan.resourceLimits.first(where: { $0.kind == (cpu ? .cpuSeconds : .fileSize) }) else {
            return
        }
        let what = cpu ? "used up its CPU time" : "wrote a file beyond its size limit"
        Diagnostics.error("the program \(what) (\(limit.origin)) and was killed by SIG\(cpu ? "XCPU" : "XFSZ")")
    }
}
