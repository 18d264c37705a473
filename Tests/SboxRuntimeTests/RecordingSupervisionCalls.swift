@testable import SboxRuntime
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The double's supervision: time passes only while it waits for a signal, and signals arrive at
/// their scripted times.
extension RecordingSystemCalls {
    func blockSignals(_ signals: SignalSet) -> SignalSet { SignalSet([]) }
    func setSignalMask(_ mask: SignalSet) {}
    func ignoreSignal(_ signal: Int32) {}

    func waitForSignal(in signals: SignalSet, timeout: timespec?) -> Int32? {
        let limit = timeout.map { clock + $0.tv_sec * 1000 + $0.tv_nsec / 1_000_000 }
        guard let next = signalsToCome.first, limit.map({ next.at <= $0 }) ?? true else {
            clock = (limit ?? clock) + 1  // nothing came: the whole timeout went by
            return nil
        }
        signalsToCome.removeFirst()
        clock = max(clock, next.at)
        return next.signal
    }

    func openSignalDescriptor(for signals: SignalSet) throws(SystemError) -> FileDescriptor { 97 }
    func readSignal(from descriptor: FileDescriptor) -> Int32? { waitForSignal(in: SignalSet([]), timeout: timespec()) }
    func takeStop(_ signal: Int32) { log.append("stop \(signal)") }

    func reapChild(_ pid: Int32, stops: Bool) -> (pid: Int32, event: ChildEvent)? {
        guard !childEvents.isEmpty, let next = childEvents.removeFirst() else { return nil }
        if case .stopped = next.event, !stops { return reapChild(pid, stops: stops) }  // not asked for
        return next
    }

    func waitForChild(_ pid: Int32) -> Int32? {
        log.append("wait \(pid)")
        return nil
    }

    func becomeChildSubreaper() throws(SystemError) { log.append("subreaper") }
    func childProcesses(proc: FileDescriptor) -> [Int32] { childLists.isEmpty ? [] : childLists.removeFirst() }
    func processID() -> Int32 { 1 }
    func identity(at path: ByteString) -> FileIdentity? { path == "." ? currentDirectory : nil }

    func read(_ descriptor: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        0
    }
    func write(_ descriptor: FileDescriptor, from buffer: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        log.append("write \(buffer.count) bytes to \(descriptor)")
        return buffer.count
    }
    func poll(_ descriptors: inout [pollfd], timeout: Int32) throws(SystemError) -> Int { 0 }
    func setNonBlocking(_ descriptor: FileDescriptor) {}
    func monotonicTime() -> timespec { timespec(tv_sec: clock / 1000, tv_nsec: clock % 1000 * 1_000_000) }

    func leaveCPU() -> Bool { false }
    func returnCPU() {}
    func openPseudoTerminal(like from: FileDescriptor) throws(SystemError) -> PseudoTerminal {
        try record("pseudo-terminal like \(from)")
        return PseudoTerminal(master: 95, slave: 96, path: "/dev/pts/9")
    }
    func openProcess(_ pid: Int32) throws(SystemError) -> FileDescriptor {
        throw SystemError("pidfd_open", errno: ESRCH)
    }
    func copyDescriptor(_ number: Int32, from process: FileDescriptor) throws(SystemError) -> FileDescriptor {
        throw SystemError("pidfd_getfd", errno: EBADF)
    }
    func pause(microseconds: Int) { clock += max(1, microseconds / 1000) }
    func receiveNotification(from listener: FileDescriptor) -> SeccompNotification? {
        notifications.isEmpty ? nil : notifications.removeFirst()
    }
    func answer(_ notification: SeccompNotification, on listener: FileDescriptor, refusal: Int32?) {
        log.append("answer \(notification.id) \(refusal.map { "refused \($0)" } ?? "continued")")
    }
    func readMemory(of pid: Int32, at address: UInt64, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let bytes = memory[address] else { return -1 }
        let count = min(bytes.count, buffer.count)
        buffer.copyBytes(from: bytes[..<count])
        return count
    }
    func isForeground(_ terminal: FileDescriptor) -> Bool { false }
    func makeRaw(_ terminal: FileDescriptor) -> TerminalModes? { nil }
    func restore(_ modes: TerminalModes, of terminal: FileDescriptor) {}
    func copyWindowSize(from: FileDescriptor, to: FileDescriptor) {}
}
