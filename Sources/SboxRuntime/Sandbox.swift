import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The whole sequence in one place, as nsjail's `contain`: one line per step, each delegating to the
/// file of its mechanism. The plan's `Topology` says which processes exist and what each does.
public enum Sandbox {
    /// Runs `plan` and returns the program's exit status. Throws when the sandbox cannot be built
    /// before the program starts; failures inside the new namespaces exit with status 125.
    /// `learner`: sbox learn's recorder, for a plan from Learning.plan.
    public static func run(_ plan: Plan, system: SystemCalls = LinuxSystemCalls(),
                           learner: Learner? = nil) throws(SandboxError) -> Int32 {
        let startTime = plan.verbose ? system.monotonicTime() : timespec()
        for notice in plan.notices { Diagnostics.warning(notice) }
        if plan.diesWithCaller {
            do { try system.dieWithParent() } catch { throw .failed("--die-with-parent", error) }
        }
        // 1. Everything that reads the host happens before any namespace exists.
        var (prepared, terminal) = try Prepared.gather(plan, system: system)
        prepared.startTime = startTime
        let proc: FileDescriptor
        do { proc = try system.openDirectory("/proc") } catch { throw .system(error) }
        let callerMask = Signals(system: system).block()
        let channels = try Channels.open(for: plan, prepared.topology, terminal: terminal, system: system)
        // 2. The sandbox's first process, in its new namespaces. The supervisor stays outside, but for
        // --userns and --pidns, which it joins first, so that the first process is created in them.
        try joinCallersNamespaces(plan, system: system)
        if prepared.topology.reapsDescendants {
            // The init's orphans come here if the init is killed (--timeout, or by the program).
            do { try system.becomeChildSubreaper() } catch { throw .system(error) }
        }
        let pid: Int32
        do { pid = try system.clone(namespaces: prepared.topology.firstProcess) } catch {
            throw SandboxError(UserNamespaceDiagnosis.explain(error, system: system))
        }
        if pid == 0 {
            channels.keepSandboxEnds(system: system)
            FirstProcess(prepared: prepared, channels: channels, system: system).run(proc: proc, callerMask: callerMask)
        }
        channels.keepSupervisorEnds(system: system)
        if !prepared.topology.reapsDescendants { system.close(proc) }
        // 3. Forward signals until the sandbox ends, or until --timeout ends it: the first process is
        // PID 1 of the sandbox's PID namespace, and the kernel ends every process in it with it.
        let proxy = channels.proxy.map { EgressProxy(policy: plan.egress, handoff: $0.read, system: system) }
        let supervisor = Supervisor(plan: plan, channels: channels, proxy: proxy, system: system)
        let status = supervisor.wait(for: pid, learner: learner)
        if let proxy {
            proxy.shutDown()
            for line in proxy.summary(verbose: plan.verbose) { Diagnostics.error(line) }
            learner?.reached(proxy.reachedDestinations)
        }
        if prepared.topology.reapsDescendants {
            Descendants.end(proc: proc, system: system)
            system.close(proc)
        }
        supervisor.explainLimit(status)
        StatusReport(plan: plan, system: system).ended(status, programStarted: channels.started?.read)
        return status
    }

    /// --userns: the joined user namespace owns the new ones (and gives the capabilities to make them).
    /// --pidns: the sandbox's processes are created in the joined PID namespace, or in a new one inside it.
    static func joinCallersNamespaces(_ plan: Plan, system: SystemCalls) throws(SandboxError) {
        if let fd = plan.joinedUserNamespace {
            do { try system.joinNamespace(descriptor: fd, type: .user) } catch {
                let hint = error.errno == EINVAL ? " (it might not be a descendant of the current user namespace)" : ""
                throw SandboxError("--userns \(fd): joining the user namespace: \(error.reason)\(hint)")
            }
        }
        if let fd = plan.joinedPIDNamespace {
            do { try system.joinNamespace(descriptor: fd, type: .pid) } catch {
                throw SandboxError("--pidns \(fd): joining the PID namespace: \(error.reason)")
            }
        }
    }
}
