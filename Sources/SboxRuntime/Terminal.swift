import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The program's own terminal, as sudo's `use_pty` gives one: a new pseudo-terminal whose slave the
/// program gets on the standard descriptors that were the caller's terminal, as its controlling
/// terminal, and whose master sbox relays to the caller's terminal. The caller's terminal itself
/// never enters the sandbox: a program holding it could read, in the background, every keystroke
/// typed after it, and a new session alone does not stop that.
struct PseudoTerminal {
    let master: FileDescriptor
    let slave: FileDescriptor
    /// The slave's path on the host: bound on the sandbox's /dev/console.
    let path: ByteString

    /// A new pair with the modes and window size of the caller's terminal (`from`, one of 0, 1, 2).
    static func open(like from: FileDescriptor) throws(SandboxError) -> PseudoTerminal {
        var master: Int32 = -1, slave: Int32 = -1
        let path = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> ByteString? in
            guard sbox_open_pty(&master, &slave, buffer.baseAddress, 64) == 0 else { return nil }
            return ByteString(cString: buffer.baseAddress!)
        }
        guard let path else { throw SandboxError("a pseudo-terminal for the program: \(SystemError("posix_openpt", errno: errno))") }
        // What the caller set up (erase character, line discipline) holds for the program too.
        _ = sbox_tty_copy_modes(from, slave)
        _ = sbox_tty_copy_window_size(from, master)
        return PseudoTerminal(master: master, slave: slave, path: path)
    }

    /// In the worker, before its descriptors are closed: a new session whose controlling terminal
    /// is `slave`, on each of `descriptors`. (A worker that is its session's leader already, the
    /// first process without an init, keeps its session.)
    static func attach(_ slave: FileDescriptor, to descriptors: [Int32]) throws(SystemError) {
        if setsid() < 0 && errno != EPERM { throw SystemError("setsid", errno: errno) }
        guard sbox_tty_make_controlling(slave) == 0 else { throw SystemError("making the pseudo-terminal the controlling terminal", errno: errno) }
        for fd in descriptors where dup2(slave, fd) < 0 { throw SystemError("dup2 of the pseudo-terminal onto \(fd)", errno: errno) }
        close(slave)
    }
}
