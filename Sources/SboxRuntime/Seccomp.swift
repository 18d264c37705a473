import CSbox
import CSeccomp
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's seccomp filter: one BPF program, loaded last before exec.
///
/// It has two parts. The prelude (`SeccompPrelude`), written by sbox, only ever refuses: other ABIs,
/// TIOCSTI, new namespaces, personality changes, clone3. Then the policy (`SeccompPolicy`): the
/// `syscalls` allowlist or `syscalls-deny` list, compiled once and kept in a signed cache
/// (`SeccompCache`), since compiling costs more than the rest of sandbox setup. Without a
/// `syscalls` or `syscalls-deny` directive the policy is "allow" and nothing is compiled.
/// `BPFAssembler` writes sbox's own instructions.
public enum SeccompFilter {
    /// The whole program for `plan`, as the kernel's `struct sock_filter` array.
    /// Empty with --unsafe-no-seccomp.
    static func program(for plan: Plan, system: HostFileCalls) throws(SandboxError) -> [UInt8] {
        guard !plan.withoutSeccomp else { return [] }
        #if arch(x86_64)
        let arch = AuditArch.x86_64
        #else
        let arch = seccomp_arch_native()
        #endif
        // Learning lets through what BASE refuses: never io_uring (whose operations no notification
        // would show), userfaultfd or the keyrings, unless BASE allows them itself.
        let withoutAllowlist = !plan.hasAllowlist || plan.learning && !SeccompPrelude.allowsUnprivilegedDangerous(plan)
        let prelude = SeccompPrelude.program(arch: arch, withoutAllowlist: withoutAllowlist)
        if plan.learning { return prelude + (try SeccompPolicy.learning(plan)) }
        guard !plan.syscallRules.isEmpty else { return prelude + instruction(BPFAssembler.Op.ret, k: Ret.allow) }
        let key = SeccompCache.key(plan.syscallPolicyKey, arch: arch, system: system)
        if let cached = SeccompCache.read(key, in: plan.cacheDirectory, system: system) { return prelude + cached }
        let policy = try SeccompPolicy.compile(plan, allowed: plan.allowedSyscalls, denied: plan.deniedSyscalls)
        SeccompCache.write(policy, key: key, in: plan.cacheDirectory, system: system)
        return prelude + policy
    }

    /// Compiled BPF programs from the caller's file descriptors.
    /// Each is read to its end and closed, as bwrap does (the same descriptor given twice cannot be
    /// read again); in bwrap's words in its mode, where an empty program is left for the kernel to refuse.
    static func read(_ descriptors: [Int32], mode: Mode, system: SystemCalls) throws(SandboxError) -> [[UInt8]] {
        var programs: [[UInt8]] = []
        for fd in descriptors {
            let bytes: [UInt8]
            do { bytes = try system.readToEnd(fd, limit: 4096 * 8) } catch {
                throw SandboxError(mode == .bwrap ? "Can't read seccomp data: \(error.reason)"
                                                  : "--seccomp \(fd): \(error)")
            }
            if mode == .bwrap && bytes.count % 8 != 0 {
                throw SandboxError("Invalid seccomp data, must be multiple of 8")
            }
            guard mode == .bwrap || !bytes.isEmpty && bytes.count % 8 == 0 else {
                throw SandboxError("--seccomp \(fd): not a compiled BPF program "
                                   + "(\(bytes.count) bytes; a multiple of 8, at most 4096 instructions)")
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

    /// One instruction: a policy that is a single return (the setup tests' filters are one too).
    static func instruction(_ code: UInt16, onTrue: UInt8 = 0, onFalse: UInt8 = 0, k: UInt32) -> [UInt8] {
        BPFAssembler.instruction(code, onTrue: onTrue, onFalse: onFalse, k: k)
    }

    // MARK: - The kernel's words

    /// What a filter answers (SECCOMP_RET_*).
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

    /// AUDIT_ARCH values, as `seccomp_data.arch` gives them; libseccomp takes them as architecture
    /// tokens too (its SCMP_ARCH_* macros do not import into Swift).
    enum AuditArch {
        static let x86_64: UInt32 = 0xc000_003e
        static let i386: UInt32 = 0x4000_0003
        static let aarch64: UInt32 = 0xc000_00b7
        static let arm: UInt32 = 0x4000_0028
        static let s390: UInt32 = 0x0000_0016
        static let s390x: UInt32 = 0x8000_0016
    }
}
