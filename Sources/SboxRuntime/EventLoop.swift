import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Something the supervisor serves while the sandbox runs, in its one poll loop: sbox learn's
/// listener, the egress proxy. Single-threaded: each is called only when poll says so, or when its
/// own time comes.
protocol SupervisorService: AnyObject {
    /// Appends the descriptors it waits on.
    func interests(_ fds: inout [pollfd])
    /// What poll reported of the descriptors it appended, in the same order.
    func serve(_ fds: ArraySlice<pollfd>)
    /// Milliseconds until it must be called again without events (an idle connection's end); nil: never.
    var wakeAfter: Int32? { get }
}

extension [SupervisorService] {
    /// Every service's descriptors after `fds`; where each one's begin.
    func interests(after fds: inout [pollfd]) -> [Int] {
        var starts: [Int] = []
        for service in self {
            starts.append(fds.count)
            service.interests(&fds)
        }
        return starts
    }

    /// Hands each service what poll said of its descriptors.
    func serve(_ fds: [pollfd], starts: [Int]) {
        for (index, service) in enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : fds.count
            service.serve(fds[starts[index]..<end])
        }
    }

    /// The earliest time one of them must run, combined with `timeout` (-1: none).
    func timeout(within timeout: Int32) -> Int32 {
        var result = timeout
        for service in self {
            guard let wake = service.wakeAfter else { continue }
            result = result < 0 ? wake : Swift.min(result, wake)
        }
        return result
    }
}

extension SupervisionCalls {
    /// poll(2) on the descriptors of `fds` that are open (a service marks the others -1, which poll
    /// would still count against the descriptor limit): what it reports goes back to each one's place.
    /// Interrupted, it reports nothing.
    func pollOpen(_ fds: inout [pollfd], timeout: Int32) throws(SystemError) {
        var open: [pollfd] = [], places: [Int] = []
        for index in fds.indices where fds[index].fd >= 0 {
            open.append(fds[index])
            places.append(index)
        }
        do { _ = try poll(&open, timeout: timeout) } catch where error.errno == EINTR { return }
        for (slot, place) in places.enumerated() { fds[place].revents = open[slot].revents }
    }
}

/// The supervisor's wait when something must be served besides the sandbox's signals (without a
/// terminal to relay: TerminalRelay has its own loop with the same services). The signals arrive on
/// a signalfd; --timeout holds all along.
enum EventLoop {
    static func run(_ wait: inout SandboxWait, services: [SupervisorService]) -> (status: Int32, timedOut: Bool) {
        let system = wait.system
        guard let signals = try? system.openSignalDescriptor(for: Signals.waitedFor) else { return wait.finish() }
        defer { system.close(signals) }
        while true {
            var fds = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0)]
            let starts = services.interests(after: &fds)
            do { try system.pollOpen(&fds, timeout: services.timeout(within: wait.pollTimeout)) } catch {
                // What it serves would go unanswered, its clients waiting forever: end the sandbox instead.
                Diagnostics.error("serving the sandbox: \(error): the sandbox is ended")
                system.sendSignal(SIGKILL, to: wait.pid)
                break
            }
            if let status = wait.tend(signals: signals) { return (status, wait.timedOut) }
            services.serve(fds, starts: starts)
        }
        return wait.finish()
    }
}

extension SandboxWait {
    /// Reads the signals that arrived on `signals` (a signalfd), forwarding and reaping, and ends
    /// the sandbox at the deadline; its status once it has ended.
    mutating func tend(signals descriptor: FileDescriptor) -> Int32? {
        holdDeadline()
        while let signal = system.readSignal(from: descriptor) {
            if let status = signals.handle(signal, pid: pid, ended: ended) { return status }
        }
        return nil
    }
}

/// sbox learn's listener as a service: every notification is answered at once.
final class LearnerService: SupervisorService {
    let learner: Learner
    private var listener: FileDescriptor?

    init(_ learner: Learner, listener: FileDescriptor) {
        self.learner = learner
        self.listener = listener
    }

    func interests(_ fds: inout [pollfd]) {
        fds.append(pollfd(fd: listener ?? -1, events: Int16(POLLIN), revents: 0))
    }

    func serve(_ fds: ArraySlice<pollfd>) {
        guard let listener, let events = fds.first?.revents else { return }
        if events & Int16(POLLIN) != 0 {
            learner.answer(listener)
        } else if events & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            learner.system.close(listener)  // every filtered process is gone
            self.listener = nil
        }
    }

    var wakeAfter: Int32? { nil }

    deinit { if let listener { learner.system.close(listener) } }
}
