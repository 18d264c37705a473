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
public struct PseudoTerminal: Sendable {
    public let master: FileDescriptor
    public let slave: FileDescriptor
    /// The slave's path on the host: bound on the sandbox's /dev/console.
    public let path: ByteString

    /// A new pair with the modes and window size of the caller's terminal (`from`, one of 0, 1, 2).
    static func open(like from: FileDescriptor) throws(SystemError) -> PseudoTerminal {
        var master: Int32 = -1, slave: Int32 = -1
        let path = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> ByteString? in
            guard sbox_open_pty(&master, &slave, buffer.baseAddress, 64) == 0 else { return nil }
            return ByteString(cString: buffer.baseAddress!)
        }
        guard let path else { throw SystemError("posix_openpt", errno: errno) }
        // What the caller set up (erase character, line discipline) holds for the program too; but
        // in the background the terminal's modes are the shell's own for editing its command line,
        // and the new terminal's defaults serve better.
        if sbox_tty_is_foreground(from) == 1 { _ = sbox_tty_copy_modes(from, slave) }
        _ = sbox_tty_copy_window_size(from, master)
        return PseudoTerminal(master: master, slave: slave, path: path)
    }

    /// The calling process, which leads its session, takes `slave` as its controlling terminal.
    static func control(_ slave: FileDescriptor) throws(SystemError) {
        guard sbox_tty_make_controlling(slave) == 0 else {
            throw SystemError("making the pseudo-terminal the controlling terminal", errno: errno)
        }
    }

    /// In the worker, before its descriptors are closed: `slave` on each of `descriptors`, and the
    /// worker's own process group its foreground. Where the init leads the session (it took the
    /// terminal), the program's group has a parent in the session and is not orphaned, so that the
    /// terminal's Ctrl-Z stops it (the kernel discards it for an orphaned group). Without an init,
    /// the worker leads the session itself.
    static func attach(_ slave: FileDescriptor, to descriptors: [Int32], sessionLedByInit: Bool) throws(SystemError) {
        if sessionLedByInit {
            guard setpgid(0, 0) == 0 else { throw SystemError("setpgid", errno: errno) }
            // A group not yet in the foreground gets SIGTTOU for asking to be: blocked meanwhile.
            var ttou = sigset_t(), previous = sigset_t()
            sigemptyset(&ttou)
            sigaddset(&ttou, SIGTTOU)
            sigprocmask(SIG_BLOCK, &ttou, &previous)
            defer { sigprocmask(SIG_SETMASK, &previous, nil) }
            guard tcsetpgrp(slave, getpgrp()) == 0 else { throw SystemError("tcsetpgrp", errno: errno) }
        } else {
            try control(slave)
        }
        for fd in descriptors where dup2(slave, fd) < 0 {
            throw SystemError("dup2 of the pseudo-terminal onto \(fd)", errno: errno)
        }
        close(slave)
    }
}
