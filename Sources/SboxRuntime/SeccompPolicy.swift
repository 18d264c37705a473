import CSeccomp
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The policy, after the prelude: the plan's `syscalls` allowlist or `syscalls-deny` list, and sbox
/// learn's variant of it. A list is written as ranges of numbers (`SeccompRanges`) where this
/// architecture allows it, else by libseccomp, whose program is read back through a pipe.
enum SeccompPolicy {
    typealias Ret = SeccompFilter.Ret

    /// What a refused call gets.
    static func action(_ action: SeccompAction) -> UInt32 {
        switch action {
        case .errno: return Ret.errno(EPERM)
        case .enosys: return Ret.errno(ENOSYS)
        case .kill: return Ret.killProcess
        case .log: return Ret.log
        }
    }

    /// The allowlist (or the deny list) as a program: a binary search over ranges of numbers, or
    /// libseccomp's tree if that would not fit.
    static func compile(_ plan: Plan, allowed: [String]?, denied: [String]) throws(SandboxError) -> [UInt8] {
        let refused = action(plan.seccompAction)
        let numbers = try resolve(allowed ?? denied, plan: plan)
        #if arch(x86_64) || arch(arm64) || arch(riscv64)
        // Architectures without multiplexed calls: on i386, s390x or ppc64, socketcall and ipc carry
        // other calls in an argument, which libseccomp's tree checks and a list of numbers cannot.
        if let program = SeccompRanges.program(numbers: numbers.map { UInt32($0) },
                                               inside: allowed == nil ? refused : Ret.allow,
                                               outside: allowed == nil ? Ret.allow : refused) {
            return program
        }
        #endif
        return try libseccompTree(plan, numbers: numbers, allowlist: allowed != nil)
    }

    /// The numbers of `names` on this architecture. Names a profile gave explicitly must exist;
    /// group members that this architecture does not have are skipped.
    static func resolve(_ names: [String], plan: Plan) throws(SandboxError) -> [Int32] {
        var numbers: [Int32] = []
        for name in names {
            let nr = seccomp_syscall_resolve_name(name)
            if nr == __NR_SCMP_ERROR {
                guard let rule = plan.syscallRules.first(where: { $0.entry == name }) else { continue }
                throw SandboxError("\(rule.origin): unknown system call '\(name)'")
            }
            if nr >= 0 { numbers.append(nr) }
        }
        return numbers
    }

    /// The same policy as libseccomp's binary tree: `numbers` allowed (or refused, for a deny list).
    static func libseccompTree(_ plan: Plan, numbers: [Int32], allowlist: Bool) throws(SandboxError) -> [UInt8] {
        let refused = action(plan.seccompAction)
        let context = try libseccompContext(default: allowlist ? refused : Ret.allow)
        defer { seccomp_release(context) }
        try add(numbers, allowlist ? Ret.allow : refused, to: context)
        return try export(context)
    }

    /// sbox learn's policy: what the plan would refuse, and the calls that name files or open sockets,
    /// are reported to sbox (SECCOMP_RET_USER_NOTIF), which lets them go on; processes are created
    /// without a report (Learner.processCalls). Never cached: each learning run compiles it.
    static func learning(_ plan: Plan) throws(SandboxError) -> [UInt8] {
        let allowed = plan.allowedSyscalls
        let context = try libseccompContext(default: allowed == nil ? Ret.allow : Ret.notify)
        defer { seccomp_release(context) }
        let reported = try resolve(Learner.watchedCalls + plan.deniedSyscalls, plan: plan)
        let processes = try resolve(Learner.processCalls, plan: plan)
        if let allowed {
            // The default reports; allowed calls go through, but those reported anyway.
            let kept = Set(reported)
            try add(try resolve(allowed, plan: plan).filter { !kept.contains($0) } + processes, Ret.allow, to: context)
        } else {
            try add(reported.filter { !processes.contains($0) }, Ret.notify, to: context)
        }
        return try export(context)
    }

    // MARK: - libseccomp

    /// A libseccomp filter with sbox's attributes: any other architecture killed, the binary tree.
    private static func libseccompContext(default action: UInt32) throws(SandboxError) -> scmp_filter_ctx {
        guard let context = seccomp_init(action) else {
            throw SandboxError("building the seccomp filter: seccomp_init failed")
        }
        _ = seccomp_attr_set(context, SCMP_FLTATR_ACT_BADARCH, Ret.killProcess)
        _ = seccomp_attr_set(context, SCMP_FLTATR_CTL_NNP, 0)  // sbox sets no_new_privs itself
        _ = seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2)  // binary tree: ~17 ns, not ~62
        return context
    }

    private static func add(_ numbers: [Int32], _ action: UInt32, to context: scmp_filter_ctx) throws(SandboxError) {
        for nr in numbers {
            let rc = seccomp_rule_add_array(context, action, nr, 0, nil)
            guard rc == 0 || rc == -EEXIST else {
                let reason = SystemError("", errno: -rc).reason
                throw SandboxError("building the seccomp filter: adding system call \(nr): \(reason)")
            }
        }
    }

    /// libseccomp writes its BPF to a file descriptor: a pipe, whose buffer holds the largest program.
    private static func export(_ context: scmp_filter_ctx) throws(SandboxError) -> [UInt8] {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw SandboxError("building the seccomp filter: pipe: \(SystemError("", errno: errno).reason)")
        }
        let rc = seccomp_export_bpf(context, ends[1])
        close(ends[1])
        guard rc == 0 else {
            close(ends[0])
            throw SandboxError("building the seccomp filter: export: \(SystemError("", errno: -rc).reason)")
        }
        // A read error must not become a truncated program, cached and loaded on every later run.
        do { return try Descriptors.readAll(ends[0]) } catch {
            throw SandboxError("building the seccomp filter: \(error)")
        }
    }
}
