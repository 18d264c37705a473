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
    let system: SupervisionCalls
    /// The caller's modes, while the terminal is raw.
    private var saved: TerminalModes?
    private var typed: [UInt8] = []
    private var reading = true
    private var masterOpen = true

    init(master: FileDescriptor, relayed: [Int32], system: SupervisionCalls) {
        self.master = master
        input = relayed.contains(0) ? 0 : nil
        output = relayed.first { $0 != 0 } ?? 0
        self.system = system
        system.setNonBlocking(master)
    }

    private var raw: Bool { saved != nil }

    /// Relays until the sandbox ends (`wait`'s pid), forwarding signals and holding the deadline.
    /// `stops`: where the init reports that the program stopped (a signalling pipe), or nil when
    /// the program is sbox's own child. `services`: what else to serve meanwhile (sbox learn's
    /// listener, the egress proxy).
    mutating func run(_ wait: inout SandboxWait, stops: FileDescriptor?, services: [SupervisorService] = [])
        -> (status: Int32, timedOut: Bool) {
        // Stop signals sent to sbox itself come through the signalfd too: the terminal's modes are
        // restored before sbox stops (and the terminal is never read in the background to get one).
        let mask = Signals.waitedFor.adding(Self.stopSignals)
        let previous = system.blockSignals(mask)
        defer { system.setSignalMask(previous) }
        let signals = (try? system.openSignalDescriptor(for: mask)) ?? -1
        defer { system.close(signals) }
        enterRawMode()
        var status: Int32?
        while status == nil {
            var fds = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: masterOpen ? master : -1, events: Int16(typed.isEmpty ? POLLIN : POLLIN | POLLOUT),
                              revents: 0),
                       pollfd(fd: reading && raw && typed.count < Self.typedLimit ? (input ?? -1) : -1,
                              events: Int16(POLLIN), revents: 0)]
            let starts = services.interests(after: &fds)
            var timeout = wait.pollTimeout
            // In the background: look again for the foreground now and then (`fg` of a running job
            // sends no SIGCONT).
            if input != nil && !raw { timeout = timeout < 0 ? 250 : min(timeout, 250) }
            do { try system.pollOpen(&fds, timeout: services.timeout(within: timeout)) } catch {
                Diagnostics.error("relaying the terminal: \(error): the sandbox is ended")
                system.sendSignal(SIGKILL, to: wait.pid)
                break
            }
            if !raw { enterRawMode() }
            wait.holdDeadline()
            if fds[1].revents & Int16(POLLIN) != 0 {
                copyOutput()
            } else if fds[1].revents & Int16(POLLHUP | POLLERR) != 0 {
                masterOpen = false
            }
            if fds[1].revents & Int16(POLLOUT) != 0 { sendTyped() }
            if fds[2].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readTyped() }
            services.serve(fds, starts: starts)
            if fds[0].revents & Int16(POLLIN) != 0 {
                while status == nil, let signal = system.readSignal(from: signals) {
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
            while let (reaped, event) = system.reapChild(-1, stops: stops == nil) {
                guard reaped == wait.pid else { continue }
                guard case .ended(let status) = event else { programStopped(wait); continue }
                return status
            }
        case SIGIO:
            if let ended = wait.ended, let status = try? system.receiveReport(from: ended) { return status }
            if let stops, (try? system.receiveReport(from: stops)) != nil { programStopped(wait) }
        case SIGWINCH:
            resize()
        case SIGCONT:
            // sbox was continued (`fg`): the terminal is the program's again, and so is the CPU. Its
            // modes are taken anew (the shell set its own while sbox was stopped), from the caller's
            // as sbox saved them where it had not given them back before it stopped (SIGSTOP).
            restore()
            enterRawMode()
            resize()
            system.sendSignal(SIGCONT, to: wait.pid)
        case SIGTSTP, SIGTTIN:
            restore()
            system.takeStop(signal)
            enterRawMode()
        default:
            system.sendSignal(signal, to: wait.pid)
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
        if wait.deadline == nil && system.isForeground(input ?? output) {
            restore()
            system.sendSignal(SIGTSTP, to: 0)  // sbox's whole process group
            system.takeStop(SIGTSTP)
            enterRawMode()
        }
        system.sendSignal(SIGCONT, to: wait.pid)
    }

    /// Raw, and the caller's input read, only while sbox is the terminal's foreground: in the
    /// background it neither reads (which would stop it) nor changes the terminal's modes.
    private mutating func enterRawMode() {
        guard let input, !raw, system.isForeground(input) else { return }
        saved = system.makeRaw(input)
    }

    private mutating func restore() {
        guard let input, let saved else { return }
        system.restore(saved, of: input)
        self.saved = nil
    }

    private func resize() { system.copyWindowSize(from: output, to: master) }

    /// What the program wrote, to the caller's terminal; false when there was nothing.
    @discardableResult
    private mutating func copyOutput() -> Bool {
        withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 1) { buffer in
            let count: Int
            do throws(SystemError) { count = try system.read(master, into: buffer) } catch {
                if error.errno != EAGAIN && error.errno != EINTR { masterOpen = false }  // EIO: every slave is closed
                return false
            }
            guard count > 0 else { masterOpen = false; return false }
            writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<count]), to: output)
            return true
        }
    }

    private mutating func readTyped() {
        guard let input else { return }
        withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 1) { buffer in
            do throws(SystemError) {
                let count = try system.read(input, into: buffer)
                if count > 0 { typed += UnsafeRawBufferPointer(rebasing: buffer[..<count]) } else { reading = false }
            } catch {
                if error.errno != EAGAIN && error.errno != EINTR { reading = false }
            }
        }
    }

    private mutating func sendTyped() {
        guard let count = typed.withUnsafeBytes({ try? system.write(master, from: $0) }), count > 0 else { return }
        typed.removeFirst(count)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: FileDescriptor) {
        var offset = 0
        while offset < bytes.count {
            do {
                let count = try system.write(fd, from: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                if count > 0 { offset += count; continue }
                return
            } catch where error.errno == EINTR || error.errno == EAGAIN {
                var ready = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)]
                _ = try? system.poll(&ready, timeout: 100)
            } catch {
                return
            }
        }
    }
}

extension timespec {
    var milliseconds: Int { tv_sec * 1000 + tv_nsec / 1_000_000 }
}
