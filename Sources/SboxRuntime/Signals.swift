#if canImport(Glibc)
import Glibc
#endif

/// Signals reach the program through sbox: the supervisor forwards them to the sandbox's init, and
/// the init to the program. Both wait for them synchronously (sigwaitinfo), with no handlers and no
/// threads; the program starts with the caller's original mask.
struct Signals {
    static let forwarded: [Int32] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH, SIGCONT]
    /// What is waited for: the forwarded signals, SIGCHLD (a child ended) and SIGIO (a report arrived).
    static let waitedFor = SignalSet(forwarded + [SIGCHLD, SIGIO])

    let system: SupervisionCalls

    /// Blocks the signals waited for, so that they queue until taken. Returns the previous mask, for
    /// the program.
    func block() -> SignalSet { system.blockSignals(Self.waitedFor) }

    /// Writing to a pipe whose reader is gone then fails with EPIPE instead of killing the process.
    func ignoreBrokenPipe() { system.ignoreSignal(SIGPIPE) }

    func restore(_ mask: SignalSet) { system.setSignalMask(mask) }

    /// Forwards signals to `pid` until it ends, reaping any other child on the way; returns its exit
    /// status. `lifeline`: a pipe whose end of file (SIGIO, the parent death signal) says sbox died.
    /// `stops`: where to report that `pid` stopped (its signal), for sbox to stop too (the terminal relay).
    func forward(to pid: Int32, lifeline: FileDescriptor? = nil, stops: FileDescriptor? = nil) -> Int32 {
        forward(to: pid, deadline: nil, ended: nil, lifeline: lifeline, stops: stops).status
    }

    /// The same, and after `timeout` milliseconds `pid` is killed (SIGKILL): `timedOut` says so.
    /// `ended`: where the sandbox's init reports the program's status once nothing else of the
    /// sandbox runs (SIGIO says it arrived), before its own exit tears the namespaces down.
    func forward(to pid: Int32, timeout: UInt64?, ended: FileDescriptor? = nil) -> (status: Int32, timedOut: Bool) {
        forward(to: pid, deadline: deadline(after: timeout), ended: ended)
    }

    /// The same, until a point on the monotonic clock.
    func forward(to pid: Int32, deadline: timespec?, ended: FileDescriptor?, lifeline: FileDescriptor? = nil,
                 stops: FileDescriptor? = nil) -> (status: Int32, timedOut: Bool) {
        var deadline = deadline
        var timedOut = false
        while true {
            var left: timespec?
            if let limit = deadline {
                left = remaining(until: limit)
                if left!.tv_sec < 0 {
                    system.sendSignal(SIGKILL, to: pid)
                    timedOut = true
                    deadline = nil
                    continue
                }
            }
            guard let signal = system.waitForSignal(in: Self.waitedFor, timeout: left) else { continue }
            if let status = handle(signal, pid: pid, ended: ended, lifeline: lifeline, stops: stops) {
                return (status, timedOut)
            }
        }
    }

    /// Without waiting: forwards the signals that arrived, reaps, and returns `pid`'s status if it
    /// ended (or if the init reported it on `ended`).
    func check(_ pid: Int32, ended: FileDescriptor? = nil) -> Int32? {
        while let signal = system.waitForSignal(in: Self.waitedFor, timeout: timespec(tv_sec: 0, tv_nsec: 0)) {
            if let status = handle(signal, pid: pid, ended: ended) { return status }
        }
        return nil
    }

    /// One signal waited for: SIGCHLD reaps (`pid`'s status once it has ended), SIGIO reads the
    /// init's report, any other is forwarded to `pid`.
    func handle(_ signal: Int32, pid: Int32, ended: FileDescriptor?, lifeline: FileDescriptor? = nil,
                stops: FileDescriptor? = nil) -> Int32? {
        if signal == SIGCHLD {
            while let (reaped, event) = system.reapChild(-1, stops: stops != nil) {
                guard reaped == pid else { continue }
                switch event {
                case .ended(let status): return status
                case .stopped(let signal): if let stops { system.sendReport(signal, to: stops) }
                }
            }
            return nil
        }
        if signal == SIGIO {
            if let ended, let status = try? system.receiveReport(from: ended) { return status }
            if let lifeline, system.hasInputOrEnd(lifeline) { return 128 + SIGKILL }  // sbox is gone: so is the sandbox
            return nil
        }
        // A program that leads its process group (its own terminal's session) continues with it: a
        // pipeline stopped by Ctrl-Z goes on as a whole.
        if signal == SIGCONT && system.sendSignal(SIGCONT, to: -pid) { return nil }
        system.sendSignal(signal, to: pid)
        return nil
    }

    /// A point on the monotonic clock `milliseconds` from now (nil: none).
    func deadline(after milliseconds: UInt64?) -> timespec? {
        guard let milliseconds else { return nil }
        var deadline = system.monotonicTime()
        deadline.tv_sec += Int(milliseconds / 1000)
        deadline.tv_nsec += Int(milliseconds % 1000) * 1_000_000
        if deadline.tv_nsec >= 1_000_000_000 { deadline.tv_sec += 1; deadline.tv_nsec -= 1_000_000_000 }
        return deadline
    }

    /// The time from now until `deadline`: negative seconds once it has passed.
    func remaining(until deadline: timespec) -> timespec {
        let now = system.monotonicTime()
        var left = timespec(tv_sec: deadline.tv_sec - now.tv_sec, tv_nsec: deadline.tv_nsec - now.tv_nsec)
        if left.tv_nsec < 0 { left.tv_sec -= 1; left.tv_nsec += 1_000_000_000 }
        return left
    }
}

/// The supervisor's wait on the sandbox while it also waits for reports from it (the program's pid
/// for --info-fd, sbox learn's listener): its signals are forwarded and --timeout holds all along.
struct SandboxWait {
    let pid: Int32
    let ended: FileDescriptor?
    let signals: Signals
    var deadline: timespec?
    var timedOut = false

    init(pid: Int32, timeout: UInt64?, ended: FileDescriptor?, system: SupervisionCalls) {
        self.pid = pid
        self.ended = ended
        signals = Signals(system: system)
        deadline = signals.deadline(after: timeout)
    }

    var system: SupervisionCalls { signals.system }

    /// Milliseconds until the deadline (0 once passed), or -1 without one: a poll's timeout.
    var pollTimeout: Int32 {
        deadline.map { Swift.max(0, Int32(clamping: signals.remaining(until: $0).milliseconds)) } ?? -1
    }

    /// Ends the sandbox once the deadline has passed.
    mutating func holdDeadline() {
        guard let limit = deadline, signals.remaining(until: limit).tv_sec < 0 else { return }
        system.sendSignal(SIGKILL, to: pid)
        timedOut = true
        deadline = nil
    }

    /// Forwards what arrived and ends the sandbox at the deadline; its status once it has ended.
    mutating func tend() -> Int32? {
        if let status = signals.check(pid, ended: ended) { return status }
        holdDeadline()
        return nil
    }

    enum Report { case value(Int32), closed, ended(Int32) }

    /// One number from `fd`, or its end, or the sandbox's end first.
    mutating func report(from fd: FileDescriptor) -> Report {
        while true {
            if let status = tend() { return .ended(status) }
            var waiting = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            guard (try? system.poll(&waiting, timeout: 50)) ?? 0 > 0 else { continue }
            guard let value = try? system.receiveReport(from: fd) else { return .closed }
            return .value(value)
        }
    }

    /// Forwarding until the sandbox ends.
    func finish() -> (status: Int32, timedOut: Bool) {
        let rest = signals.forward(to: pid, deadline: deadline, ended: ended)
        return (rest.status, timedOut || rest.timedOut)
    }
}
