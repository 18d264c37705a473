import CSeccomp
@testable import SboxRuntime
import Testing

struct SeccompPreludeTests {
    static let preludeNames = ["ioctl", "clone", "personality", "unshare", "setns", "clone3"] + SeccompPrelude.unprivilegedDangerous

    @Test func theWrittenOutNumbersAreLibseccompsNumbers() {
        for name in Self.preludeNames {
            let resolved = seccomp_syscall_resolve_name(name)
            #expect(resolved >= 0 && SeccompPrelude.number(name) == UInt32(resolved), "\(name)")
        }
    }

    @Test func withoutAnAllowlistThePreludeAlsoRefusesIoUringUserfaultfdAndKeyrings() {
        let arch = SeccompFilter.AuditArch.x86_64
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
}
