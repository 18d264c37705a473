import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The real system calls of supervision.
extension LinuxSystemCalls {
    @discardableResult
    public func sendSignal(_ signal: Int32, to pid: Int32) -> Bool { Glibc.kill(pid, signal) == 0 }

    public func blockSignals(_ signals: SignalSet) -> SignalSet {
        var set = signals.raw, old = sigset_t()
        sigprocmask(SIG_BLOCK, &set, &old)
        return SignalSet(raw: old)
    }

    public func setSignalMask(_ mask: SignalSet) {
        var mask = mask.raw
        sigprocmask(SIG_SETMASK, &mask, nil)
    }

    public func ignoreSignal(_ signal: Int32) { _ = Glibc.signal(signal, SIG_IGN) }

    public func waitForSignal(in signals: SignalSet, timeout: timespec?) -> Int32? {
        var set = signals.raw, info = siginfo_t()
        let signal: Int32
        if var timeout { signal = sigtimedwait(&set, &info, &timeout) } else { signal = sigwaitinfo(&set, &info) }
        return signal > 0 ? signal : nil
    }

    public func openSignalDescriptor(for signals: SignalSet) throws(SystemError) -> FileDescriptor {
        var set = signals.raw
        let fd = sbox_signalfd(&set)
        guard fd >= 0 else { throw SystemError("signalfd", errno: errno) }
        return fd
    }

    public func readSignal(from descriptor: FileDescriptor) -> Int32? {
        let signal = sbox_signalfd_read(descriptor)
        return signal > 0 ? signal : nil
    }

    public func takeStop(_ signal: Int32) {
        var set = sigset_t(), pending = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        sigpending(&pending)
        if sigismember(&pending, signal) == 0 { Glibc.kill(getpid(), signal) }
        sigprocmask(SIG_UNBLOCK, &set, nil)  // delivered on the way out of this call
        sigprocmask(SIG_BLOCK, &set, nil)
    }

    public func reapChild(_ pid: Int32, stops: Bool) -> (pid: Int32, event: ChildEvent)? {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG | (stops ? WUNTRACED : 0))
        guard reaped > 0 else { return nil }
        if sbox_wifstopped(status) != 0 { return (reaped, .stopped(sbox_wstopsig(status))) }
        if sbox_wifexited(status) != 0 { return (reaped, .ended(sbox_wexitstatus(status))) }
        if sbox_wifsignaled(status) != 0 { return (reaped, .ended(128 + sbox_wtermsig(status))) }
        return (reaped, .ended(ExitStatus.sandboxFailure))
    }

    @discardableResult
    public func waitForChild(_ pid: Int32) -> Int32? {
        let reaped = retryingIfInterrupted { waitpid(pid, nil, __WALL) }
        return reaped > 0 ? reaped : nil
    }

    public func becomeChildSubreaper() throws(SystemError) {
        guard sbox_prctl(SBOX_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0 else {
            throw SystemError("prctl(PR_SET_CHILD_SUBREAPER)", errno: errno)
        }
    }

    public func childProcesses(proc: FileDescriptor) -> [Int32] {
        // Single-threaded: the process's children are its one task's.
        let fd = openat(proc, "self/task/\(getpid())/children", O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let bytes = try? Descriptors.readAll(fd, limit: 1 << 20) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: " ")
            .compactMap { Int32($0.filter { $0 != "\n" }) }
    }

    public func processID() -> Int32 { getpid() }

    public func identity(at path: ByteString) -> FileIdentity? {
        var info = stat()
        guard path.withCString({ Glibc.fstatat(AT_FDCWD, $0, &info, 0) }) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    public func read(_ descriptor: FileDescriptor,
                     into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
        guard count >= 0 else { throw SystemError("read", errno: errno) }
        return count
    }

    public func write(_ descriptor: FileDescriptor, from buffer: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        let count = Glibc.write(descriptor, buffer.baseAddress, buffer.count)
        guard count >= 0 else { throw SystemError("write", errno: errno) }
        return count
    }

    public func poll(_ descriptors: inout [pollfd], timeout: Int32) throws(SystemError) -> Int {
        let count = Glibc.poll(&descriptors, nfds_t(descriptors.count), timeout)
        guard count >= 0 else { throw SystemError("poll", errno: errno) }
        return Int(count)
    }

    public func setNonBlocking(_ descriptor: FileDescriptor) {
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    public func monotonicTime() -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now
    }

    public func leaveCPU() -> Bool { sbox_leave_cpu() == 1 }
    public func returnCPU() { sbox_return_cpu() }

    public func openPseudoTerminal(like from: FileDescriptor) throws(SystemError) -> PseudoTerminal {
        try PseudoTerminal.open(like: from)
    }

    public func openProcess(_ pid: Int32) throws(SystemError) -> FileDescriptor {
        let fd = sbox_pidfd_open(pid)
        guard fd >= 0 else { throw SystemError("pidfd_open", errno: errno) }
        return fd
    }

    public func copyDescriptor(_ number: Int32, from process: FileDescriptor) throws(SystemError) -> FileDescriptor {
        let fd = sbox_pidfd_getfd(process, number)
        guard fd >= 0 else { throw SystemError("pidfd_getfd", errno: errno) }
        return fd
    }

    public func pause(microseconds: Int) {
        var pause = timespec(tv_sec: microseconds / 1_000_000, tv_nsec: microseconds % 1_000_000 * 1000)
        nanosleep(&pause, nil)
    }

    public func receiveNotification(from listener: FileDescriptor) -> SeccompNotification? {
        var call = sbox_notification()
        guard sbox_notification_receive(listener, &call) == 0 else { return nil }
        return SeccompNotification(id: call.id, pid: Int32(bitPattern: call.pid), number: call.nr,
                                   arguments: [call.args.0, call.args.1, call.args.2, call.args.3, call.args.4,
                                               call.args.5])
    }

    public func answer(_ notification: SeccompNotification, on listener: FileDescriptor, refusal: Int32?) {
        if let refusal {
            _ = sbox_notification_refuse(listener, notification.id, refusal)
        } else {
            _ = sbox_notification_continue(listener, notification.id)
        }
    }

    public func readMemory(of pid: Int32, at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        Int(sbox_read_memory(pid, address, buffer.baseAddress, UInt(buffer.count)))
    }

    public func isForeground(_ terminal: FileDescriptor) -> Bool { sbox_tty_is_foreground(terminal) == 1 }

    public func makeRaw(_ terminal: FileDescriptor) -> TerminalModes? {
        var saved = [UInt8](repeating: 0, count: Int(sbox_termios_size()))
        let made = saved.withUnsafeMutableBytes { sbox_tty_make_raw(terminal, $0.baseAddress, UInt($0.count)) } == 0
        return made ? TerminalModes(bytes: saved) : nil
    }

    public func restore(_ modes: TerminalModes, of terminal: FileDescriptor) {
        _ = modes.bytes.withUnsafeBytes { sbox_tty_restore(terminal, $0.baseAddress) }
    }

    public func copyWindowSize(from: FileDescriptor, to: FileDescriptor) { _ = sbox_tty_copy_window_size(from, to) }
}
