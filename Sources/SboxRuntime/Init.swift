import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's PID 1 when the program is not: the kernel gives PID 1 no default signal actions and
/// makes it the parent of orphans. The init forwards signals to the program (the worker, once it has
/// built the sandbox and executed it), reaps every orphan, and exits with the program's status (128+N
/// if it was killed by signal N). When it exits, the kernel kills whatever is left in the namespace.
///
/// It writes as little memory as it can after the clone, so that its pages stay shared with the
/// supervisor's instead of counting as its own.
enum Init {
    /// `lockReport` delivers the worker's pid in the host's /proc (`proc`) once its mounts are ready
    /// and locked; `joinsMounts`: the init then joins them. The init keeps `sync` open, takes the `lockFiles` locks and
    /// tells the worker on `locksHeld`, which waits for it before it runs the program.
    /// `ended`: where the program's status goes, once nothing else of the sandbox runs.
    /// `lifeline`: without a PID namespace, the init ends the program's processes when the program
    /// ends, and when sbox dies (this pipe's end of file), before it exits itself.
    static func run(program pid: Int32, lockReport: FileDescriptor?, joinsMounts: Bool, lockFiles: [ByteString],
                    sync: FileDescriptor?, locksHeld: FileDescriptor?, ended: FileDescriptor?,
                    lifeline: FileDescriptor?, stops: FileDescriptor?,
                    proc: FileDescriptor, system: SystemCalls, failureStatus: Int32) -> Never {
        let worker = lockReport.flatMap { try? system.receiveReport(from: $0) } ?? -1
        // The init moves into the worker's locked mount namespace. The first one is then released now,
        // while the worker still works, instead of at exit, where its teardown would delay sbox's own
        // exit by about 0.1 ms (unless the init reports the status early: then sbox does not ask).
        // This only saves time: if the worker is already gone, the init stays.
        if joinsMounts && worker > 0 {
            try? system.joinNamespace(ByteString("\(worker)/ns/mnt"), in: proc, type: .mount)
        }
        var kept: [FileDescriptor] = []
        var what = "dropping the init's privileges"
        do throws(SystemError) {
            // The init needs no privilege to wait: it keeps no capability and no descriptor but the
            // locks and --sync-fd. It never executes anything, so its bounding set and no_new_privs
            // would protect nothing.
            try system.clearCapabilities()
            // --sync-fd stays open as long as the init lives: the caller sees it close when the sandbox ends.
            if let sync { kept.append(sync) }
            if let ended { kept.append(ended) }
            if let lifeline { kept += [lifeline, proc] }
            if let stops { kept.append(stops) }
            // A worker that failed before its mounts were ready has said why; it exits without the program.
            if let locksHeld, worker > 0 {
                for path in lockFiles {
                    what = "--lock-file \(path)"
                    kept.append(try system.holdLock(on: path))
                }
                system.sendReport(1, to: locksHeld)
            }
            what = "dropping the init's descriptors"
            try system.closeDescriptors(from: 3, except: kept)
        } catch {
            Diagnostics.error("\(what): \(error)")
            system.sendSignal(SIGKILL, to: pid)
            _exit(failureStatus)
        }
        let status = Signals(system: system).forward(to: pid, lifeline: lifeline, stops: stops)
        if lifeline != nil { Descendants.end(proc: proc, system: system) }
        // As PID 1 of the sandbox, the init ends what is left of it and reaps it, releases the locks
        // and --sync-fd, then tells sbox the status: sbox exits while the kernel still tears down the
        // sandbox's namespaces, which would delay it by a few tenths of a millisecond (RCU grace
        // periods). Nothing of the sandbox runs any more by then. (sbox asks for this only where every
        // process has the init's id, which kill needs without CAP_KILL, and dies with sbox.)
        if let ended, system.processID() == 1 {
            system.sendSignal(SIGKILL, to: -1)
            while system.waitForChild(-1) != nil {}
            for fd in kept where fd != ended { system.close(fd) }
            system.sendReport(status, to: ended)
        }
        _exit(status)
    }
}
