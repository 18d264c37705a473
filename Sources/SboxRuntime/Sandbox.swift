import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The whole sequence in one place (as nsjail's `contain`): what the supervisor does outside, and
/// what the sandbox does to itself before it runs the program. Every mechanism has its own file.
public enum Sandbox {
    /// Runs `plan` and returns the program's exit status. Throws when the sandbox cannot be built
    /// before the program starts; failures inside the new namespaces exit with status 125.
    public static func run(_ plan: Plan, system: SystemCalls = LinuxSystemCalls()) throws(SandboxError) -> Int32 {
        // 1. Everything that reads the host happens before any namespace exists.
        if let threads = system.threadCount(), threads != 1 {
            throw SandboxError("sbox has \(threads) threads, but a user namespace can only be created by a single-threaded process")
        }
        let mounts = try RootBuilder.resolveSources(plan.mounts, system: system)
        let setup = Setup(plan: plan, mounts: mounts, terminal: hostTerminal(), system: system)
        let proc: FileDescriptor
        do { proc = try system.openDirectory("/proc") } catch { throw SandboxError("\(error)") }
        let callerMask = Signals.block()
        // The sandbox holds the read end: it reads end-of-file once sbox is gone.
        var lifeline: [Int32] = [-1, -1]
        guard pipe(&lifeline) == 0 else { throw SandboxError("\(SystemError("pipe", errno: errno))") }
        for fd in lifeline { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        // 2. The sandbox's first process, in its new namespaces. The supervisor stays outside.
        let pid: Int32
        do {
            pid = try system.clone(namespaces: plan.namespaces.cloneFlags)
        } catch {
            throw SandboxError(UserNamespaceDiagnosis.explain(error))
        }
        if pid == 0 {
            close(lifeline[1])
            setup.runInside(lifeline: lifeline[0], proc: proc, callerMask: callerMask)
        }
        close(lifeline[0])
        system.close(proc)
        sbox_release_free_memory()

        // 3. Forward signals until the sandbox ends.
        return Signals.forward(to: pid)
    }

    /// The host terminal on stdout, bound to /dev/console by --dev as bwrap does.
    static func hostTerminal() -> String? {
        guard isatty(1) == 1, let name = ttyname(1) else { return nil }
        return String(cString: name)
    }
}

/// What the sandbox's first process does to itself, in order, before the program runs.
struct Setup {
    let plan: Plan
    let mounts: [PlannedMount]
    let terminal: String?
    let system: SystemCalls

    func runInside(lifeline: Int32, proc: FileDescriptor, callerMask: sigset_t) -> Never {
        do {
            // Dies with sbox; and if sbox died before that was set, the lifeline is already closed.
            try system.setParentDeathSignal(SIGKILL)
            var check = pollfd(fd: lifeline, events: Int16(POLLIN), revents: 0)
            guard poll(&check, 1, 0) == 0 else { _exit(ExitStatus.sandboxFailure) }
            let directory = try isolate(proc: proc)
            let environment = plan.environment.filter { !$0.hasPrefix("PWD=") } + ["PWD=" + directory]
            let command = plan.command[0]
            let arguments = [plan.argv0 ?? command] + plan.command.dropFirst()
            guard plan.needsInit else {
                Signals.restore(callerMask)
                let error = system.execute(command, arguments: arguments, environment: environment)
                cannotRun(command, SystemError("cannot run", path: command, errno: error))
            }
            do {
                Init.run(program: try system.spawn(command, arguments: arguments, environment: environment, signalMask: callerMask))
            } catch {
                cannotRun(command, error)
            }
        } catch {
            Diagnostics.error("\(error)")
            _exit(ExitStatus.sandboxFailure)
        }
    }

    /// 127 when the command is not found, 126 when it is there but cannot be executed, as the shells do.
    private func cannotRun(_ command: String, _ error: SystemError) -> Never {
        Diagnostics.error("cannot run \(command): \(error.reason)")
        _exit(error.errno == ENOENT || error.errno == ENOTDIR ? ExitStatus.notFound : ExitStatus.cannotExecute)
    }

    /// Builds the sandbox around the calling process: session, file system, host name, network,
    /// mount lock, working directory, privileges, descriptors. Returns the working directory.
    func isolate(proc: FileDescriptor) throws(SandboxError) -> String {
        do {
            try IDMaps.write(uid: plan.uid, gid: plan.gid, outerUID: plan.hostUID, outerGID: plan.hostGID, proc: proc, system: system)
        } catch {
            throw SandboxError(UserNamespaceDiagnosis.explain(error))
        }
        try step("starting a new session") { () throws(SystemError) in try system.startSession() }
        try RootBuilder(system: system).build(mounts, namespaces: plan.namespaces, terminal: terminal)
        if let hostname = plan.hostname {
            try step("--hostname \(hostname)") { () throws(SystemError) in try system.setHostname(hostname) }
        }
        if plan.namespaces.contains(.net) {
            try step("setting up the network namespace") { () throws(SystemError) in try system.bringUpLoopback() }
        }
        // A nested user and mount namespace: the mounts made above are now locked together and their
        // read-only flags cannot be cleared, even by a process that kept CAP_SYS_ADMIN.
        try step("locking the mounts") { () throws(SystemError) in
            try system.unshare(SBOX_CLONE_NEWUSER | SBOX_CLONE_NEWNS)
            try IDMaps.write(uid: plan.uid, gid: plan.gid, outerUID: plan.uid, outerGID: plan.gid, proc: proc, system: system)
        }
        system.close(proc)
        let directory = try enterWorkingDirectory()
        try step("dropping privileges") { () throws(SystemError) in
            try Capabilities.drop(keeping: plan.capabilities, uid: plan.uid, system: system)
        }
        try step("closing inherited file descriptors") { () throws(SystemError) in
            try system.closeDescriptors(from: 3, except: plan.inheritedDescriptors)
        }
        return directory
    }

    /// --chdir if given (it must work); else the caller's directory if it exists inside, else $HOME, else /.
    private func enterWorkingDirectory() throws(SandboxError) -> String {
        if let directory = plan.chdir {
            try step("--chdir \(directory)") { () throws(SystemError) in try system.changeDirectory(directory) }
            return directory
        }
        let home = plan.environment.first { $0.hasPrefix("HOME=") }.map { String($0.dropFirst(5)) }
        for candidate in [plan.callerDirectory, home].compactMap({ $0 }) {
            if (try? system.changeDirectory(candidate)) != nil { return candidate }
        }
        return "/"
    }

    private func step(_ what: String, _ body: () throws(SystemError) -> Void) throws(SandboxError) {
        do { try body() } catch { throw SandboxError("\(what): \(error)") }
    }
}
