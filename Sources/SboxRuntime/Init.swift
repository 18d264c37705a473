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
    /// `lockReport` delivers the worker's pid in the host's /proc (`proc`) once it has locked its mounts.
    static func run(program pid: Int32, lockReport: FileDescriptor?, proc: FileDescriptor, system: SystemCalls, failureStatus: Int32) -> Never {
        // The init moves into the worker's locked mount namespace. The first one is then released now,
        // while the worker still works, instead of at exit, where its teardown would delay sbox's own
        // exit by about 0.1 ms. This only saves time: if the worker is already gone, the init stays.
        if let lockReport, let worker = try? system.receiveReport(from: lockReport), worker > 0 {
            try? system.joinNamespace("\(worker)/ns/mnt", in: proc, type: SBOX_CLONE_NEWNS)
        }
        do throws(SystemError) {
            // The init needs no privilege to wait: it keeps no capability and no descriptor. It never
            // executes anything, so its bounding set and no_new_privs would protect nothing.
            try system.clearCapabilities()
            try system.closeDescriptors(from: 3, except: [])
        } catch {
            Diagnostics.error("dropping the init's privileges: \(error)")
            kill(pid, SIGKILL)
            _exit(failureStatus)
        }
        _exit(Signals.forward(to: pid))
    }
}
