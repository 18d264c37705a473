import CSbox
#if canImport(Glibc)
import Glibc
#endif

/// Signals reach the program through sbox: the supervisor forwards them to the sandbox's init, and
/// the init to the program. Both wait for them synchronously (sigwaitinfo), with no handlers and no
/// threads; the program starts with the caller's original mask.
enum Signals {
    static let forwarded: [Int32] = [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH, SIGCONT]

    /// Blocks the forwarded signals and SIGCHLD, so that they queue until waited for. Returns the
    /// previous mask, for the program.
    static func block() -> sigset_t {
        var set = waitedFor()
        var old = sigset_t()
        sigprocmask(SIG_BLOCK, &set, &old)
        return old
    }

    /// Writing to a pipe whose reader is gone then fails with EPIPE instead of killing the process.
    static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }

    static func restore(_ mask: sigset_t) {
        var mask = mask
        sigprocmask(SIG_SETMASK, &mask, nil)
    }

    /// Forwards signals to `pid` until it ends, reaping any other child on the way; returns its exit
    /// status. `lifeline`: a pipe whose end of file (SIGIO, the parent death signal) says sbox died.
    /// `stops`: where to report that `pid` stopped (its signal), for sbox to stop too (the terminal relay).
    static func forward(to pid: Int32, lifeline: FileDescriptor? = nil, stops: FileDescriptor? = nil) -> Int32 {
        forward(to: pid, deadline: nil, ended: nil, lifeline: lifeline, stops: stops).status
    }

    /// The same, and after `timeout` milliseconds `pid` is killed (SIGKILL): `timedOut` says so.
    /// `ended`: where the sandbox's init reports the program's status once nothing else of the
    /// sandbox runs (SIGIO says it arrived), before its own exit tears the namespaces down.
    static func forward(to pid: Int32, timeout: UInt64?,
                        ended: FileDescriptor? = nil) -> (status: Int32, timedOut: Bool) {
        forward(to: pid, deadline: deadline(after: timeout), ended: ended)
    }

    /// The same, until a point on the monotonic clock.
    static func forward(to pid: Int32, deadline: timespec?, ended: FileDescriptor?,
                        lifeline: FileDescriptor? = nil,
                        stops: FileDescriptor? = nil) -> (status: Int32, timedOut: Bool) {
        var set = waitedFor()
        var info = siginfo_t()
        var deadline = deadline
        var timedOut = false
        while true {
            let signal: Int32
            if let limit = deadline {
                var left = remaining(until: limit)
                if left.tv_sec < 0 {
                    kill(pid, SIGKILL)
                    timedOut = true
                    deadline = nil
                    continue
                }
                signal = sigtimedwait(&set, &info, &left)
            } else {
                signal = sigwaitinfo(&set, &info)
            }
            if let status = handle(signal, pid: pid, ended: ended, lifeline: lifeline, stops: stops) {
                return (status, timedOut)
            }
        }
    }

    /// Without waiting: forwards the signals that arrived, reaps, and returns `pid`'s status if it
    /// ended (or if the init reported it on `ended`).
    static func check(_ pid: Int32, ended: FileDescriptor? = nil) -> Int32? {
        var set = waitedFor()
        var info = siginfo_t()
        var now = timespec(tv_sec: 0, tv_nsec: 0)
        while true {
            let signal = sigtimedwait(&set, &info, &now)
            if signal <= 0 { return nil }
            if let status = handle(signal, pid: pid, ended: ended) { return status }
        }
    }

    /// One signal waited for: SIGCHLD reaps (`pid`'s status once it has ended), SIGIO reads the
    /// init's report, any other is forwarded to `pid`.
    static func handle(_ signal: Int32, pid: Int32, ended: FileDescriptor?, lifeline: FileDescriptor? = nil,
                               stops: FileDescriptor? = nil) -> Int32? {
        if signal == SIGCHLD {
            var status: Int32 = 0
            while true {
                let reaped = waitpid(-1, &status, WNOHANG | (stops != nil ? WUNTRACED : 0))
                if reaped <= 0 { return nil }
                guard reaped == pid else { continue }
                guard let stops, sbox_wifstopped(status) != 0 else { return exitStatus(fromWait: status) }
                var stopped = sbox_wstopsig(status)
                _ = write(stops, &stopped, 4)
            }
        }
        if signal == SIGIO {
            var status: Int32 = 0
            if let ended, read(ended, &status, 4) == 4 { return status }
            var check = pollfd(fd: lifeline ?? -1, events: Int16(POLLIN), revents: 0)
            if lifeline != nil, poll(&check, 1, 0) > 0 { return 128 + SIGKILL }  // sbox is gone: so is the sandbox
            return nil
        }
        // A program that leads its process group (its own terminal's session) continues with it: a
        // pipeline stopped by Ctrl-Z goes on as a whole.
        if signal == SIGCONT && kill(-pid, SIGCONT) == 0 { return nil }
        if signal > 0 { kill(pid, signal) }
        return nil
    }

    /// A point on the monotonic clock `milliseconds` from now (nil: none).
    static func deadline(after milliseconds: UInt64?) -> timespec? {
        guard let milliseconds else { return nil }
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        deadline.tv_sec += Int(milliseconds / 1000)
        deadline.tv_nsec += Int(milliseconds % 1000) * 1_000_000
        if deadline.tv_nsec >= 1_000_000_000 { deadline.tv_sec += 1; deadline.tv_nsec -= 1_000_000_000 }
        return deadline
    }

    /// The time from now until `deadline`: negative seconds once it has passed.
    static func remaining(until deadline: timespec) -> timespec {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        var left = timespec(tv_sec: deadline.tv_sec - now.tv_sec, tv_nsec: deadline.tv_nsec - now.tv_nsec)
        if left.tv_nsec < 0 { left.tv_sec -= 1; left.tv_nsec += 1_000_000_000 }
        return left
    }

    /// The shell's convention: the exit code, or 128+N when killed by signal N.
    static func exitStatus(fromWait status: Int32) -> Int32 {
        if sbox_wifexited(status) != 0 { return sbox_wexitstatus(status) }
        if sbox_wifsignaled(status) != 0 { return 128 + sbox_wtermsig(status) }
        return 125
    }

    static func waitedFor() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in forwarded { sigaddset(&set, signal) }
        sigaddset(&set, SIGCHLD)
        sigaddset(&set, SIGIO)
        return set
    }
}

/// The supervisor's wait on the sandbox while it also waits for reports from it (the program's pid
/// for --info-fd, sbox learn's listener): its signals are forwarded and --timeout holds all along.
struct SandboxWait {
    let pid: Int32
    let ended: FileDescriptor?
    var deadline: timespec?
    var timedOut = false

    init(pid: Int32, timeout: UInt64?, ended: FileDescriptor?) {
        self.pid = pid
        self.ended = ended
        deadline = Signals.deadline(after: timeout)
    }

    /// Forwards what arrived and ends the sandbox at the deadline; its status once it has ended.
    mutating func tend() -> Int32? {
        if let status = Signals.check(pid, ended: ended) { return status }
        if let limit = deadline, Signals.remaining(until: limit).tv_sec < 0 {
            kill(pid, SIGKILL)
            timedOut = true
            deadline = nil
        }
        return nil
    }

    enum Report { case value(Int32), closed, ended(Int32) }

    /// One number from `fd`, or its end, or the sandbox's end first.
    mutating func report(from fd: FileDescriptor) -> Report {
        var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            if let status = tend() { return .ended(status) }
            waiting.revents = 0
            guard poll(&waiting, 1, 50) > 0 else { continue }
            var value: Int32 = 0
            return read(fd, &value, 4) == 4 ? .value(value) : .closed
        }
    }

    /// Forwarding until the sandbox ends.
    func finish() -> (status: Int32, timedOut: Bool) {
        let rest = Signals.forward(to: pid, deadline: deadline, ended: ended)
        return (rest.status, timedOut || rest.timedOut)
    }
}
