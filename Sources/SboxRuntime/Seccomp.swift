import CSbox
import CSeccomp
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's seccomp filter: one BPF program, loaded last before exec.
///
/// It has two parts. A short prelude, written here, that only ever refuses: it kills system calls of
/// other ABIs (i386 through `int 0x80`, x32), refuses TIOCSTI and TIOCLINUX (comparing the 32 bits
/// the kernel compares), new namespaces (`clone` flags, `unshare`, `setns`), personality changes,
/// and answers ENOSYS to `clone3` so that libc falls back to `clone`. Then the policy
/// (`SeccompPolicy`): the `syscalls` allowlist or `syscalls-deny` list, compiled once and kept in a signed cache
/// (`SeccompCache`), since compiling costs more than the rest of sandbox setup. Without a `syscalls` or
/// `syscalls-deny` directive the policy is "allow" and no libseccomp work is done.
public enum SeccompFilter {
    /// The whole program for `plan`, as the kernel's `struct sock_filter` array.
    /// Empty with --unsafe-no-seccomp.
    static func program(for plan: Plan) throws(SandboxError) -> [UInt8] {
        guard !plan.withoutSeccomp else { return [] }
        #if arch(x86_64)
        let arch = auditArchX86_64
        #else
        let arch = seccomp_arch_native()
        #endif
        // Learning lets through what BASE refuses: never io_uring (whose operations no notification
        // would show), userfaultfd or the keyrings, unless BASE allows them itself.
        var program = prelude(arch: arch, withoutAllowlist: !plan.hasAllowlist || plan.learning && !allowsUnprivilegedDangerous(plan))
        if plan.learning { return program + (try SeccompPolicy.learning(plan)) }
        guard !plan.syscallRules.isEmpty else {
            return program + instruction(BPFAssembler.Op.ret, k: Ret.allow)
        }
        let key = SeccompCache.key(plan.syscallPolicyKey, arch: arch)
        if let cached = SeccompCache.read(key, in: plan.cacheDirectory) { return program + cached }
        let policy = try SeccompPolicy.compile(plan, allowed: plan.allowedSyscalls, denied: plan.deniedSyscalls)
        SeccompCache.write(policy, key: key, in: plan.cacheDirectory)
        program += policy
        return program
    }

    // MARK: - The prelude

    enum Ret {
        static let killProcess: UInt32 = 0x8000_0000
        static let notify: UInt32 = 0x7fc0_0000
        static let allow: UInt32 = 0x7fff_0000
        static let log: UInt32 = 0x7ffc_0000
        static func errno(_ value: Int32) -> UInt32 { 0x0005_0000 | UInt32(value & 0xffff) }
    }

    /// Offsets in `struct seccomp_data`: the low 32 bits of argument N are at 16 + 8N (little-endian).
    enum Field {
        static let number: UInt32 = 0
        static let arch: UInt32 = 4
        static func argumentLow(_ index: UInt32) -> UInt32 { 16 + 8 * index }
    }

    static let auditArchX86_64: UInt32 = 0xc000_003e
    static let auditArchS390: UInt32 = 0x0000_0016
    static let auditArchS390X: UInt32 = 0x8000_0016
    static let x32Bit: UInt32 = 0x4000_0000
    static let tiocsti: UInt32 = 0x5412
    static let tioclinux: UInt32 = 0x541c
    /// CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, and 0x80: CLONE_NEWTIME for
    /// unshare (for clone, a bit of the exit signal that no signal number uses).
    static let newNamespaceFlags: UInt32 = 0x7e02_0080
    static let personalityLinux: UInt32 = 0
    static let personalityQuery: UInt32 = 0xffff_ffff

    /// Refused by the prelude when there is no allowlist to refuse them (no policy, or a deny list):
    /// kernel attack surface an unprivileged process can reach, and io_uring, whose operations
    /// (socket, connect, openat) would do what a deny list forbids without a system call to filter.
    static let unprivilegedDangerous = ["io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd",
                                        "add_key", "request_key", "keyctl"]

    /// The prelude's system call numbers.
    static func number(_ name: String) -> UInt32? {
        #if arch(x86_64)
        // The x86-64 ABI's numbers never change: no libseccomp lookup (a linear walk of its
        // table per name) on the path every sandbox takes.
        switch name {
        case "ioctl": return 16
        case "clone": return 56
        case "personality": return 135
        case "unshare": return 272
        case "setns": return 308
        case "clone3": return 435
        case "add_key": return 248
        case "request_key": return 249
        case "keyctl": return 250
        case "userfaultfd": return 323
        case "io_uring_setup": return 425
        case "io_uring_enter": return 426
        case "io_uring_register": return 427
        default: break
        }
        #endif
        let nr = seccomp_syscall_resolve_name(name)
        return nr >= 0 ? UInt32(nr) : nil
    }

    /// Where the prelude's jumps go: its returns, the checks of arguments, and the policy after it.
    struct Labels {
        let kill, eperm, enosys, ioctl, clone, cloneSecond, personality, policy: BPFAssembler.Label

        init(_ code: inout BPFAssembler) {
            kill = code.makeLabel(); eperm = code.makeLabel(); enosys = code.makeLabel()
            ioctl = code.makeLabel(); clone = code.makeLabel(); cloneSecond = code.makeLabel()
            personality = code.makeLabel(); policy = code.makeLabel()
        }
    }

    /// The refusals every sandbox gets. Every path either refuses or falls through to the policy.
    static func prelude(arch: UInt32, withoutAllowlist: Bool) -> [UInt8] {
        var code = BPFAssembler()
        let to = Labels(&code)
        code.load(Field.arch)
        code.jump(ifEqual: arch, else: to.kill)
        code.load(Field.number)
        // x32 shares x86-64's audit arch and marks its numbers with a bit.
        // -1 is a call a tracer skipped (the kernel answers ENOSYS whatever the filter says), not x32:
        // as libseccomp does, it goes to the policy, which refuses it.
        if arch == auditArchX86_64 {
            code.jump(ifEqual: 0xffff_ffff, then: to.policy)
            code.jump(ifAtLeast: x32Bit, then: to.kill)
        }
        dispatch(&code, to, arch: arch, withoutAllowlist: withoutAllowlist)
        checkArguments(&code, to, arch: arch)
        // The returns: the last check falls through to the first.
        code.place(to.eperm)
        code.ret(Ret.errno(EPERM))
        code.place(to.enosys)
        code.ret(Ret.errno(ENOSYS))
        code.place(to.kill)
        code.ret(Ret.killProcess)
        code.place(to.policy)
        guard let bytes = code.assemble() else { preconditionFailure("BPF jumps go forward, within 255 instructions") }
        return bytes
    }

    /// s390 and s390x take clone's flags second (clone(stack, flags, ...)); unshare's are first everywhere.
    private static func takesCloneFlagsSecond(_ arch: UInt32) -> Bool {
        arch == auditArchS390X || arch == auditArchS390
    }

    /// The number loaded: each call the prelude looks at goes to its check, the others to the policy.
    private static func dispatch(_ code: inout BPFAssembler, _ to: Labels, arch: UInt32, withoutAllowlist: Bool) {
        if let ioctl = number("ioctl") { code.jump(ifEqual: ioctl, then: to.ioctl) }
        if let clone = number("clone") {
            code.jump(ifEqual: clone, then: takesCloneFlagsSecond(arch) ? to.cloneSecond : to.clone)
        }
        if let personality = number("personality") { code.jump(ifEqual: personality, then: to.personality) }
        if let clone3 = number("clone3") { code.jump(ifEqual: clone3, then: to.enosys) }
        // unshare's flags are its first argument too: the same check as clone's, so that unsharing
        // what is not a namespace (CLONE_FS, CLONE_FILES) still works.
        if let unshare = number("unshare") { code.jump(ifEqual: unshare, then: to.clone) }
        if let setns = number("setns") { code.jump(ifEqual: setns, then: to.eperm) }
        if withoutAllowlist {
            for name in unprivilegedDangerous { if let nr = number(name) { code.jump(ifEqual: nr, then: to.eperm) } }
        }
        code.jump(to: to.policy)
    }

    /// The checks of arguments: each refuses, or goes on to the policy.
    private static func checkArguments(_ code: inout BPFAssembler, _ to: Labels, arch: UInt32) {
        code.place(to.ioctl)
        code.load(Field.argumentLow(1))
        code.jump(ifEqual: tiocsti, then: to.eperm)
        code.jump(ifEqual: tioclinux, then: to.eperm)
        code.jump(to: to.policy)
        if takesCloneFlagsSecond(arch) {
            code.place(to.cloneSecond)
            code.load(Field.argumentLow(1))
            code.jump(ifAnyBit: newNamespaceFlags, then: to.eperm)
            code.jump(to: to.policy)
        }
        code.place(to.clone)
        code.load(Field.argumentLow(0))
        code.jump(ifAnyBit: newNamespaceFlags, then: to.eperm)
        code.jump(to: to.policy)
        // Only the plain Linux personality and the query go on: the others weaken what the kernel
        // enforces (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE). They fall through to `eperm`, which
        // `prelude` places next.
        code.place(to.personality)
        code.load(Field.argumentLow(0))
        code.jump(ifEqual: personalityLinux, then: to.policy)
        code.jump(ifEqual: personalityQuery, then: to.policy)
    }

    /// One instruction: a policy that is a single return (the setup tests' filters are one too).
    static func instruction(_ code: UInt16, onTrue: UInt8 = 0, onFalse: UInt8 = 0, k: UInt32) -> [UInt8] {
        BPFAssembler.instruction(code, onTrue: onTrue, onFalse: onFalse, k: k)
    }

    private static func allowsUnprivilegedDangerous(_ plan: Plan) -> Bool {
        guard let allowed = plan.allowedSyscalls else { return false }
        return unprivilegedDangerous.allSatisfy { allowed.contains($0) }
    }

    /// Whether this architecture has the system call `name`.
    public static func isKnown(_ name: String) -> Bool { seccomp_syscall_resolve_name(name) >= 0 }

    /// What `sbox check` says about the system calls a plan names explicitly: an unknown name is an
    /// error (with the closest known one), a name this architecture does not have and a dangerous
    /// one are warnings.
    public static func review(_ plan: Plan) -> (errors: [String], warnings: [String]) {
        var errors: [String] = [], warnings: [String] = []
        if let unsafe = plan.settings.first(where: { $0.text == "unsafe-no-seccomp" }) {
            warnings.append("\(unsafe.origin): no seccomp filter: TIOCSTI, new namespaces and other ABIs are not refused")
        }
        var known: [String]?
        for rule in plan.syscallRules where !rule.entry.hasPrefix("@") {
            let name = rule.entry
            let number = seccomp_syscall_resolve_name(name)
            if number != __NR_SCMP_ERROR && number < 0 {
                // libseccomp knows it, from another architecture: a pseudo number here.
                warnings.append("\(rule.origin): '\(name)' does not exist on this architecture")
            } else if number == __NR_SCMP_ERROR {
                let elsewhere = [SCMP_ARCH_X86_VALUE, SCMP_ARCH_AARCH64_VALUE, SCMP_ARCH_ARM_VALUE].contains {
                    seccomp_syscall_resolve_name_arch($0, name) != __NR_SCMP_ERROR
                }
                if elsewhere {
                    warnings.append("\(rule.origin): '\(name)' does not exist on this architecture")
                    continue
                }
                if known == nil { known = nativeNames() }
                let hint = Suggestion.closest(to: name, in: known ?? []).map { " (did you mean '\($0)'?)" } ?? ""
                errors.append("\(rule.origin): unknown system call '\(name)'\(hint)")
            } else if rule.allow && SyscallGroups.dangerous.contains(name) {
                warnings.append("\(rule.origin): '\(name)' reaches kernel attack surface or power over the host; it is in no group on purpose")
            }
        }
        return (errors, warnings)
    }

    /// Every system call name of this architecture.
    private static func nativeNames() -> [String] {
        var names: [String] = []
        for number in Int32(0)..<1024 {
            guard let name = seccomp_syscall_resolve_num_arch(seccomp_arch_native(), number) else { continue }
            names.append(String(cString: name))
            free(name)
        }
        return names
    }

    // AUDIT_ARCH values, which libseccomp uses as architecture tokens (its macros do not import).
    static let SCMP_ARCH_X86_VALUE: UInt32 = 0x4000_0003
    static let SCMP_ARCH_AARCH64_VALUE: UInt32 = 0xc000_00b7
    static let SCMP_ARCH_ARM_VALUE: UInt32 = 0x4000_0028

    /// Compiled BPF programs from the caller's file descriptors (each read to its end, then closed).
    /// Each is read to its end and closed, as bwrap does (the same descriptor given twice cannot be
    /// read again); in bwrap's words in its mode, where an empty program is left for the kernel to refuse.
    static func read(_ descriptors: [Int32], mode: Mode) throws(SandboxError) -> [[UInt8]] {
        var programs: [[UInt8]] = []
        for fd in descriptors {
            let bytes: [UInt8]
            do { bytes = try Descriptors.readAll(fd, limit: 4096 * 8) } catch {
                throw SandboxError(mode == .bwrap ? "Can't read seccomp data: \(error.reason)" : "--seccomp \(fd): \(error)")
            }
            if mode == .bwrap && bytes.count % 8 != 0 { throw SandboxError("Invalid seccomp data, must be multiple of 8") }
            guard mode == .bwrap || !bytes.isEmpty && bytes.count % 8 == 0 else {
                throw SandboxError("--seccomp \(fd): not a compiled BPF program (\(bytes.count) bytes; a multiple of 8, at most 4096 instructions)")
            }
            programs.append(bytes)
        }
        return programs
    }

    /// Loads `program` into the calling process (no_new_privs must be set).
    static func load(_ program: [UInt8]) throws(SystemError) {
        let rc = program.withUnsafeBytes { sbox_seccomp_load($0.baseAddress, UInt16(program.count / 8)) }
        guard rc == 0 else { throw SystemError("prctl(PR_SET_SECCOMP)", errno: errno) }
    }
}
