import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The supervisor's side of the program's pseudo-terminal: what the caller types goes to it, what
/// the program writes comes back, the window size follows the caller's, and the caller's terminal
/// is raw meanwhile (Ctrl-C, Ctrl-Z reach the sandbox's foreground job through the pseudo-terminal's
/// own line discipline) and restored on every way out. A program that stops suspends sbox too, and
/// `fg` resumes both, as sudo does, where the caller's shell does job control. One loop,
/// single-threaded: poll on a signalfd, the master and the caller's terminal.
struct TerminalRelay {
    /// What the caller typed and the program has not read yet, at most: beyond, the caller's terminal
    /// is not read (its own input queue holds the rest), so that a program that never reads cannot
    /// make sbox's memory grow.
    static let typedLimit = 65536

    let master: FileDescriptor
    /// The caller's terminal on standard input, read while sbox is in the foreground; or nil.
    let input: FileDescriptor?
    /// Where the program's output goes: the caller's terminal.
    let output: FileDescriptor
    private var saved: [UInt8]
    private var raw = false
    private var typed: [UInt8] = []
    private var reading = true
    private var masterOpen = true

    init(master: FileDescriptor, relayed: [Int32]) {
        self.master = master
        input = relayed.contains(0) ? 0 : nil
        output = relayed.first { $0 != 0 } ?? 0
        saved = [UInt8](repeating: 0, count: Int(sbox_termios_size()))
        let flags = fcntl(master, F_GETFL)
        _ = fcntl(master, F_SETFL, flags | O_NONBLOCK)
    }

    /// Relays until the sandbox ends (`wait`'s pid), forwarding signals and holding the deadline.
    /// `stops`: where the init reports that the program stopped (a signalling pipe), or nil when
    /// the program is sbox's own child. `services`: what else to serve meanwhile (sbox learn's
    /// listener, the egress proxy).
    mutating func run(_ wait: inout SandboxWait, stops: FileDescriptor?, services: [SupervisorService] = [])
        -> (status: Int32, timedOut: Bool) {
        var mask = Signals.waitedFor()
        // Stop signals sent to sbox itself come through the signalfd too: the terminal's modes are
        // restored before sbox stops (and the terminal is never read in the background to get one).
        for signal in Self.stopSignals { sigaddset(&mask, signal) }
        var previous = sigset_t()
        sigprocmask(SIG_BLOCK, &mask, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        let signals = sbox_signalfd(&mask)
        defer { close(signals) }
        enterRawMode()
        var status: Int32?
        while status == nil {
            var fds = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: masterOpen ? master : -1, events: Int16(typed.isEmpty ? POLLIN : POLLIN | POLLOUT),
                              revents: 0),
                       pollfd(fd: reading && raw && typed.count < Self.typedLimit ? (input ?? -1) : -1,
                              events: Int16(POLLIN), revents: 0)]
            let starts = services.interests(after: &fds)
            var timeout = wait.deadline.map { max(0, Int32(clamping: Signals.remaining(until: $0).milliseconds)) } ?? -1
            // In the background: look again for the foreground now and then (`fg` of a running job
            // sends no SIGCONT).
            if input != nil && !raw { timeout = timeout < 0 ? 250 : min(timeout, 250) }
            guard pollOpen(&fds, timeout: services.timeout(within: timeout)) >= 0 || errno == EINTR else {
                Diagnostics.error("relaying the terminal: \(SystemError("poll", errno: errno)): the sandbox is ended")
                kill(wait.pid, SIGKILL)
                break
            }
            if !raw { enterRawMode() }
            if let limit = wait.deadline, Signals.remaining(until: limit).tv_sec < 0 {
                kill(wait.pid, SIGKILL)
                wait.timedOut = true
                wait.deadline = nil
            }
            if fds[1].revents & Int16(POLLIN) != 0 {
                copyOutput()
            } else if fds[1].revents & Int16(POLLHUP | POLLERR) != 0 {
                masterOpen = false
            }
            if fds[1].revents & Int16(POLLOUT) != 0 { sendTyped() }
            if fds[2].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readTyped() }
            services.serve(fds, starts: starts)
            if fds[0].revents & Int16(POLLIN) != 0 {
                while status == nil, case let signal = sbox_signalfd_read(signals), signal > 0 {
                    status = handle(signal, wait: wait, stops: stops)
                }
            }
        }
        while masterOpen && copyOutput() {}  // what the program wrote last is not lost
        restore()
        return (status ?? ExitStatus.sandboxFailure, wait.timedOut)
    }

    private mutating func handle(_ signal: Int32, wait: SandboxWait, stops: FileDescriptor?) -> Int32? {
        switch signal {
        case SIGCHLD:
            var status: Int32 = 0
            while case let reaped = waitpid(-1, &status, WNOHANG | (stops == nil ? WUNTRACED : 0)), reaped > 0 {
                guard reaped == wait.pid else { continue }
                if sbox_wifstopped(status) != 0 {
                    programStopped(wait)
                } else {
                    return Signals.exitStatus(fromWait: status)
                }
            }
        case SIGIO:
            var value: Int32 = 0
            if let ended = wait.ended, read(ended, &value, 4) == 4 { return value }
            if let stops, read(stops, &value, 4) == 4 { programStopped(wait) }
        case SIGWINCH:
            resize()
        case SIGCONT:
            // sbox was continued (`fg`): the terminal is the program's again, and so is the CPU. Its
            // modes are taken anew (the shell set its own while sbox was stopped), from the caller's
            // as sbox saved them where it had not given them back before it stopped (SIGSTOP).
            restore()
            enterRawMode()
            resize()
            kill(wait.pid, SIGCONT)
        case SIGTSTP, SIGTTIN:
            restore()
            takeStop(signal)
            enterRawMode()
        default:
            kill(wait.pid, signal)
        }
        return nil
    }

    /// The stop signals sent to sbox itself, read from the signalfd so that the terminal is given
    /// back first. (Not SIGTTOU: blocked, it would let sbox write to the terminal from the
    /// background despite `stty tostop`.)
    static let stopSignals = [SIGTSTP, SIGTTIN]

    /// The program stopped (Ctrl-Z, or it stopped itself). Where sbox is in the terminal's foreground
    /// and has no --timeout, its whole job stops as Ctrl-Z on the caller's terminal would stop it (a
    /// script that started sbox with it), so that the shell takes over; `fg` resumes it, and sbox
    /// the program. The kernel discards that stop where no shell could resume the job (an orphaned
    /// process group: sbox leading its own session, under a terminal emulator or sshd). Under
    /// --timeout a stopped sbox would not end the sandbox at its time (a program could stop itself to
    /// outlive it). Either way the program is continued, at once or when sbox is.
    private mutating func programStopped(_ wait: SandboxWait) {
        if wait.deadline == nil && sbox_tty_is_foreground(input ?? output) == 1 {
            restore()
            killpg(0, SIGTSTP)
            takeStop(SIGTSTP)
            enterRawMode()
        }
        kill(wait.pid, SIGCONT)
    }

    /// `signal` (pending, or sent now) taken with its default action: sbox stops, unless its process
    /// group is orphaned, where the kernel discards it. Returns once sbox runs again.
    private func takeStop(_ signal: Int32) {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, signal) == 0 { kill(getpid(), signal) }
        sigprocmask(SIG_UNBLOCK, &set, nil)  // delivered on the way out of this call
        sigprocmask(SIG_BLOCK, &set, nil)
    }

    /// Raw, and the caller's input read, only while sbox is the terminal's foreground: in the
    /// background it neither reads (which would stop it) nor changes the terminal's modes.
    private mutating func enterRawMode() {
        guard let input, !raw, sbox_tty_is_foreground(input) == 1 else { return }
        raw = saved.withUnsafeMutableBytes { sbox_tty_make_raw(input, $0.baseAddress, UInt($0.count)) } == 0
    }

    private mutating func restore() {
        guard let input, raw else { return }
        _ = saved.withUnsafeBytes { sbox_tty_restore(input, $0.baseAddress) }
        raw = false
    }

    private func resize() { _ = sbox_tty_copy_window_size(output, master) }

    /// What the program wrote, to the caller's terminal; false when there was nothing.
    @discardableResult
    private mutating func copyOutput() -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65536) { buffer in
            let count = read(master, buffer.baseAddress, buffer.count)
            guard count > 0 else {
                if count == 0 || errno != EAGAIN && errno != EINTR { masterOpen = false }  // EIO: every slave is closed
                return false
            }
            Self.writeAll(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[..<count]), to: output)
            return true
        }
    }

    private mutating func readTyped() {
        guard let input else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { buffer in
            let count = read(input, buffer.baseAddress, buffer.count)
            if count > 0 { typed += UnsafeBufferPointer(rebasing: buffer[..<count]) }
            if count == 0 || count < 0 && errno != EAGAIN && errno != EINTR { reading = false }
        }
    }

    private mutating func sendTyped() {
        let count = typed.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        if count > 0 { typed.removeFirst(count) }
    }

    private static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: FileDescriptor) {
        var offset = 0
        while offset < bytes.count {
            let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 { offset += count; continue }
            guard count < 0 && (errno == EINTR || errno == EAGAIN) else { return }
            var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            _ = poll(&ready, 1, 100)
        }
    }
}

extension timespec {
    var milliseconds: Int { tv_sec * 1000 + tv_nsec / 1_000_000 }
}
