#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's PID 1 when the program is not: the kernel gives PID 1 no default signal actions and
/// makes it the parent of orphans. This init starts the program, forwards signals to it, reaps every
/// orphan, and exits with the program's status (128+N if it was killed by signal N). When it exits,
/// the kernel kills whatever is left in the PID namespace.
enum Init {
    static func run(program: () -> Never) -> Never {
        let pid = fork()
        if pid == 0 { program() }
        if pid < 0 {
            Diagnostics.error("starting the program: fork: \(String(cString: strerror(errno)))")
            _exit(125)
        }
        _exit(Signals.forward(to: pid))
    }
}
