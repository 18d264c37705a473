import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The system calls of sbox's processes while the sandbox runs: signals, children, the reports
/// between them, the relayed terminal. Part of the one seam (`SystemCalls` refines it), so that the
/// recording double sees what the supervisor and the init do, as it sees the build.
public protocol SupervisionCalls: AnyObject {
    // Signals.
    /// kill(2): `signal` to process `pid` (-1: every process this one may signal; 0 or -group: a
    /// process group); whether it was sent.
    @discardableResult func sendSignal(_ signal: Int32, to pid: Int32) -> Bool
    /// sigprocmask(SIG_BLOCK): `signals` wait until taken; returns the mask before.
    func blockSignals(_ signals: SignalSet) -> SignalSet
    /// sigprocmask(SIG_SETMASK).
    func setSignalMask(_ mask: SignalSet)
    func ignoreSignal(_ signal: Int32)
    /// One of `signals` (blocked), taken: waiting until one comes, or at most `timeout` (zero: not
    /// at all); nil when none came (or the wait was interrupted).
    func waitForSignal(in signals: SignalSet, timeout: timespec?) -> Int32?
    /// A signalfd for `signals` (non-blocking, closed on exec).
    func openSignalDescriptor(for signals: SignalSet) throws(SystemError) -> FileDescriptor
    /// The next signal queued on a signalfd, or nil when none is.
    func readSignal(from descriptor: FileDescriptor) -> Int32?
    /// `signal`, pending or sent now, taken with its default action (a stop: this process stops,
    /// unless its process group is orphaned); returns once it runs again.
    func takeStop(_ signal: Int32)

    // Children.
    /// waitpid(WNOHANG) on `pid` (-1: any child): one that ended, or stopped where `stops`; nil
    /// when none has.
    func reapChild(_ pid: Int32, stops: Bool) -> (pid: Int32, event: ChildEvent)?
    /// waitpid(__WALL), waiting: the child of `pid` (-1: any) that ended, or nil when there is none.
    @discardableResult func waitForChild(_ pid: Int32) -> Int32?
    /// prctl(PR_SET_CHILD_SUBREAPER): orphans below this process become its children.
    func becomeChildSubreaper() throws(SystemError)
    /// This process's children (`proc`: a procfs of its PID namespace).
    func childProcesses(proc: FileDescriptor) -> [Int32]
    func processID() -> Int32
    /// The device and inode at `path` (following symlinks), or nil.
    func identity(at path: ByteString) -> FileIdentity?

    // Descriptors.
    /// One number through a pipe between two processes of the sandbox.
    func sendReport(_ value: Int32, to pipe: FileDescriptor)
    func receiveReport(from pipe: FileDescriptor) throws(SystemError) -> Int32
    /// Whether `descriptor` has data to read or its writer has closed it (poll, without waiting).
    func hasInputOrEnd(_ descriptor: FileDescriptor) -> Bool
    func close(_ descriptor: FileDescriptor)
    /// read(2): the count (0 at the end); EAGAIN where a non-blocking one has nothing.
    func read(_ descriptor: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int
    /// write(2): the count written.
    func write(_ descriptor: FileDescriptor, from buffer: UnsafeRawBufferPointer) throws(SystemError) -> Int
    /// poll(2) for at most `timeout` milliseconds (-1: no limit): how many have events.
    func poll(_ descriptors: inout [pollfd], timeout: Int32) throws(SystemError) -> Int
    func setNonBlocking(_ descriptor: FileDescriptor)
    /// CLOCK_MONOTONIC.
    func monotonicTime() -> timespec

    /// The init leaves its CPU to the worker it has just forked, which the kernel queued behind it
    /// there (moves to its other allowed CPUs, if any: whether it did); returnCPU gives it back.
    func leaveCPU() -> Bool
    func returnCPU()

    // sbox learn: the sandbox's seccomp listener, taken by the supervisor.
    /// pidfd_open of process `pid`.
    func openProcess(_ pid: Int32) throws(SystemError) -> FileDescriptor
    /// pidfd_getfd: a copy of descriptor `number` of the process open as `process`.
    func copyDescriptor(_ number: Int32, from process: FileDescriptor) throws(SystemError) -> FileDescriptor
    /// nanosleep.
    func pause(microseconds: Int)
    /// SECCOMP_IOCTL_NOTIF_RECV: the next notification, or nil (its process is gone, or the listener).
    func receiveNotification(from listener: FileDescriptor) -> SeccompNotification?
    /// SECCOMP_IOCTL_NOTIF_SEND: the call goes on, or fails with `refusal` (an errno).
    func answer(_ notification: SeccompNotification, on listener: FileDescriptor, refusal: Int32?)
    /// process_vm_readv: what of `buffer.count` bytes at `address` in process `pid` could be read.
    func readMemory(of pid: Int32, at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int

    // Terminals.
    /// A new pseudo-terminal pair with the modes (when in the foreground) and window size of the
    /// caller's terminal `from`.
    func openPseudoTerminal(like from: FileDescriptor) throws(SystemError) -> PseudoTerminal
    /// The terminal's foreground process group is this process's.
    func isForeground(_ terminal: FileDescriptor) -> Bool
    /// Its modes, saved, then raw (every byte to the reader as typed); nil if it is not a terminal.
    func makeRaw(_ terminal: FileDescriptor) -> TerminalModes?
    /// Modes saved by makeRaw, set again once what was written is sent.
    func restore(_ modes: TerminalModes, of terminal: FileDescriptor)
    func copyWindowSize(from: FileDescriptor, to: FileDescriptor)
}

/// A set of signals (a sigset_t).
public struct SignalSet: @unchecked Sendable {
    var raw = sigset_t()

    public init(_ signals: [Int32]) {
        sigemptyset(&raw)
        for signal in signals { sigaddset(&raw, signal) }
    }

    init(raw: sigset_t) { self.raw = raw }

    public func adding(_ signals: [Int32]) -> SignalSet {
        var set = self
        for signal in signals { sigaddset(&set.raw, signal) }
        return set
    }
}

/// What became of a child, as waitpid reports it.
public enum ChildEvent: Equatable, Sendable {
    /// It ended: the shell's status (the exit code, or 128+N when killed by signal N).
    case ended(Int32)
    /// It stopped on `signal`.
    case stopped(Int32)
}

/// A system call that the sandbox's filter stopped for sbox learn to look at.
public struct SeccompNotification: Sendable {
    public let id: UInt64
    public let pid: Int32
    public let number: Int32
    public let arguments: [UInt64]
}

/// A terminal's modes (an opaque struct termios), kept to be set again.
public struct TerminalModes: Sendable {
    let bytes: [UInt8]
}
