import CSeccomp
@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct SeccompPreludeTests {
    typealias Ret = SeccompFilter.Ret
    static let preludeNames = ["ioctl", "clone", "personality", "unshare", "setns", "clone3"]
        + SeccompPrelude.unprivilegedDangerous
    let arch = SeccompFilter.AuditArch.x86_64

    func plan(_ arguments: [ByteString]) throws -> Plan {
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        return try PlanCompiler.compile(try CommandLineParser.parse(arguments + ["true"]), host: host)
    }

    /// The prelude, then a policy that allows everything.
    func preludeAlone(arch: UInt32) -> [UInt8] {
        SeccompPrelude.program(arch: arch, withoutAllowlist: false) + SeccompFilter.instruction(0x06, k: Ret.allow)
    }

    @Test func theWrittenOutNumbersAreLibseccompsNumbers() {
        for name in Self.preludeNames {
            let resolved = seccomp_syscall_resolve_name(name)
            #expect(resolved >= 0 && SeccompPrelude.number(name) == UInt32(resolved), "\(name)")
        }
    }

    @Test func withoutAnAllowlistThePreludeAlsoRefusesIoUringUserfaultfdAndKeyrings() {
        let plain = SeccompPrelude.program(arch: arch, withoutAllowlist: false)
        let guarded = SeccompPrelude.program(arch: arch, withoutAllowlist: true)
        // One compare per call, each an 8-byte instruction whose k (bytes 4..<8) is the call's number.
        #expect(guarded.count - plain.count == 8 * SeccompPrelude.unprivilegedDangerous.count)
        var constants: Set<UInt32> = []
        for offset in stride(from: 0, to: guarded.count, by: 8) {
            constants.insert(guarded[offset + 4 ..< offset + 8].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
        for name in SeccompPrelude.unprivilegedDangerous {
            #expect(constants.contains(SeccompPrelude.number(name)!), "\(name)")
        }
    }

    @Test func aCallATracerSkippedIsNotTakenForX32() throws {
        let plan = try plan(["--syscalls", "@system-service"])
        let program = SeccompPrelude.program(arch: arch, withoutAllowlist: false)
            + (try SeccompPolicy.compile(plan, allowed: plan.allowedSyscalls, denied: plan.deniedSyscalls))
        #expect(runFilter(program, number: 0xffff_ffff, arch: arch) == SeccompPolicy.action(.errno))
        #expect(runFilter(program, number: 0x4000_0000, arch: arch) == Ret.killProcess)
        #expect(runFilter(program, number: 0, arch: arch) == Ret.allow)
        #expect(runFilter(program, number: 0, arch: SeccompFilter.AuditArch.i386) == Ret.killProcess)
    }

    @Test func onS390CloneFlagsAreTheSecondArgument() throws {
        let s390x = SeccompFilter.AuditArch.s390x
        let program = preludeAlone(arch: s390x)
        let clone = try #require(SeccompPrelude.number("clone"))
        let unshare = try #require(SeccompPrelude.number("unshare"))
        let newUser: UInt64 = 0x1000_0000
        let first: [UInt64] = [newUser, 0, 0, 0, 0, 0], second: [UInt64] = [0, newUser, 0, 0, 0, 0]
        #expect(runFilter(program, number: clone, arch: s390x, arguments: second) == Ret.errno(EPERM))
        #expect(runFilter(program, number: clone, arch: s390x, arguments: first) == Ret.allow)
        #expect(runFilter(program, number: unshare, arch: s390x, arguments: first) == Ret.errno(EPERM))
        // Elsewhere, the first.
        let x86 = preludeAlone(arch: arch)
        #expect(runFilter(x86, number: clone, arch: arch, arguments: first) == Ret.errno(EPERM))
    }
}
