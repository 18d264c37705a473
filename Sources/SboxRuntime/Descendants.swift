#if canImport(Glibc)
import Glibc
#endif

/// Without a PID namespace of its own (--share-pid), nothing ends a sandbox's processes with it: a
/// program that starts `sleep 100 &` and exits leaves the sleep to the host's init. So sbox's init
/// and supervisor become child subreapers (`SupervisionCalls.becomeChildSubreaper`), which orphans
/// are given to, and end what is left.
enum Descendants {
    /// Kills and reaps every child, then the orphans that their deaths gave this process, until none
    /// is left. `proc`: a procfs of this process's PID namespace.
    static func end(proc: FileDescriptor, system: SupervisionCalls) {
        while true {
            let children = system.childProcesses(proc: proc)
            guard !children.isEmpty else { return }
            for child in children { system.sendSignal(SIGKILL, to: child) }
            for child in children { system.waitForChild(child) }
        }
    }
}
