import CSeccomp
@testable import SboxRuntime
import Testing

struct SeccompPreludeTests {
    static let preludeNames = ["ioctl", "clone", "personality", "unshare", "setns", "clone3"] + SeccompFilter.unprivilegedDangerous

    @Test func theWrittenOutNumbersAreLibseccompsNumbers() {
        for name in Self.preludeNames {
            let resolved = seccomp_syscall_resolve_name(name)
            #expect(resolved >= 0 && SeccompFilter.number(name) == UInt32(resolved), "\(name)")
        }
    }

    @Test func withoutAnAllowlistThePreludeAlsoRefusesIoUringUserfaultfdAndKeyrings() {
        let arch = SeccompFilter.auditArchX86_64
        let plain = SeccompFilter.prelude(arch: arch, withoutAllowlist: false)
        let guarded = SeccompFilter.prelude(arch: arch, withoutAllowlist: true)
        // One compare per call, each an 8-byte instruction whose k (bytes 4..<8) is the call's number.
        #expect(guarded.count - plain.count == 8 * SeccompFilter.unprivilegedDangerous.count)
        var constants: Set<UInt32> = []
        for offset in stride(from: 0, to: guarded.count, by: 8) {
            constants.insert(guarded[offset + 4 ..< offset + 8].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
        for name in SeccompFilter.unprivilegedDangerous {
            #expect(constants.contains(SeccompFilter.number(name)!), "\(name)")
        }
    }
}
