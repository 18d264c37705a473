import CSbox
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's PID 1 when the program is not: the kernel gives PID 1 no default signal actions and
/// makes it the parent of orphans. This init forwards signals to the program, reaps every orphan, and
/// exits with the program's status (128+N if it was killed by signal N). When it exits, the kernel
/// kills whatever is left in the PID namespace.
enum Init {
    static func run(program pid: Int32) -> Never {
        // Give back what setup allocated: this process lives as long as the sandbox.
        sbox_release_free_memory()
        _exit(Signals.forward(to: pid))
    }
}
