import CSeccomp
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The refusals every sandbox gets, in front of its policy. Written by sbox, not libseccomp: its
/// checks of arguments compare the low 32 bits, the ones the kernel reads (a comparison of all 64
/// lets through a command with high bits set), and nothing is compiled for it at a start.
///
/// It kills system calls of other ABIs (i386 through `int 0x80`, x32), refuses TIOCSTI and
/// TIOCLINUX, new namespaces (`clone` flags, `unshare`, `setns`) and personality changes, and
/// answers ENOSYS to `clone3` (whose flags are out of a filter's reach in memory) so that libc
/// falls back to `clone`. It only ever refuses: every other call falls through to the policy.
enum SeccompPrelude {
    typealias Field = SeccompFilter.Field
    typealias Ret = SeccompFilter.Ret
    typealias Label = BPFAssembler.Label

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

    /// Whether `plan`'s allowlist lets every one of `unprivilegedDangerous` through, so that sbox
    /// learn (whose policy lets through what the allowlist refuses) need not refuse them here.
    static func allowsUnprivilegedDangerous(_ plan: Plan) -> Bool {
        guard let allowed = plan.allowedSyscalls else { return false }
        return unprivilegedDangerous.allSatisfy { allowed.contains($0) }
    }

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
        let kill, eperm, enosys, ioctl, clone, cloneSecond, personality, policy: Label

        init(_ code: inout BPFAssembler) {
            kill = code.makeLabel(); eperm = code.makeLabel(); enosys = code.makeLabel()
            ioctl = code.makeLabel(); clone = code.makeLabel(); cloneSecond = code.makeLabel()
            personality = code.makeLabel(); policy = code.makeLabel()
        }
    }

    /// The prelude for `arch`; `withoutAllowlist` adds the refusals of `unprivilegedDangerous`.
    static func program(arch: UInt32, withoutAllowlist: Bool) -> [UInt8] {
        var code = BPFAssembler()
        let to = Labels(&code)
        code.load(Field.arch)
        code.jump(ifEqual: arch, else: to.kill)
        code.load(Field.number)
        // x32 shares x86-64's audit arch and marks its numbers with a bit.
        // -1 is a call a tracer skipped (the kernel answers ENOSYS whatever the filter says), not x32:
        // as libseccomp does, it goes to the policy, which refuses it.
        if arch == SeccompFilter.AuditArch.x86_64 {
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
        arch == SeccompFilter.AuditArch.s390x || arch == SeccompFilter.AuditArch.s390
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
        // `program` places next.
        code.place(to.personality)
        code.load(Field.argumentLow(0))
        code.jump(ifEqual: personalityLinux, then: to.policy)
        code.jump(ifEqual: personalityQuery, then: to.policy)
    }
}
