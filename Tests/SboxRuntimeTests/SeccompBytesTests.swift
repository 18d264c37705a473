@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The bytes sbox writes itself, pinned: the kernel loads them, and the cache keeps them across
/// builds of the same policy, so that a change to how they are written is a change of behaviour.
/// What libseccomp writes (the learning policy, the tree for scattered lists) and what the groups
/// expand to are left out: they change with libseccomp and with SyscallGroups, not with this code.
/// The numbers are x86-64's, which never change.
@Suite struct SeccompBytesTests {
    /// SipHash-2-4 under a key of zeros, in hex: a short name for a program's bytes.
    static func digest(_ bytes: [UInt8]) -> String {
        SipHash.mac(bytes, key: [UInt8](repeating: 0, count: 16)).map {
            ($0 < 16 ? "0" : "") + String($0, radix: 16)
        }.joined()
    }

    func plan(_ arguments: [ByteString]) throws -> Plan {
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        var plan = try PlanCompiler.compile(try CommandLineParser.parse(arguments + ["true"]), host: host)
        plan.cacheDirectory = nil
        return plan
    }

    #if arch(x86_64)
    @Test func thePreludeIsWrittenAsBefore() {
        let x86 = SeccompFilter.AuditArch.x86_64, s390x = SeccompFilter.AuditArch.s390x
        func digest(_ arch: UInt32, _ withoutAllowlist: Bool) -> String {
            Self.digest(SeccompPrelude.program(arch: arch, withoutAllowlist: withoutAllowlist))
        }
        #expect(digest(x86, false) == "b19fad2a031c1b1ef8d5c23da7cfa810")
        #expect(digest(x86, true) == "40c75280c93f1560c6a05f8d73fcac9f")
        #expect(digest(s390x, false) == "5799d8091992962a85c37b5f5fa6ac7f")
        #expect(digest(s390x, true) == "c58665a010cd14413686d98c2cead8f2")
    }

    @Test func theRangesAreWrittenAsBefore() {
        let evens = (0..<128).map { UInt32($0 * 2) }
        let lists: [[UInt32]] = [[5, 3, 4, 10, 0, 12, 11, 4], evens, [0, UInt32.max], []]
        let digests = lists.map { SeccompRanges.program(numbers: $0, inside: 1, outside: 2).map(Self.digest) }
        #expect(digests == ["bd8bab06e664cf408c9370d8da79d734", "318fad2cdec382db8649bfd1413421cc",
                           "21ee6226de00bb1dbd68a44a7183a92d", "6a69d9fd5227f93f3e3f5becb9cf5502"])
    }

    @Test(arguments: [
        (["--syscalls", "read,write,openat,close,exit_group", "--syscalls-deny", "write"],
         "b181ae42de944eda5d4e4045faa413c5"),
        (["--syscalls-deny", "ptrace,mount", "--seccomp-action", "kill"], "95a920d6a1d2b3eaf5ac37917ead7af1"),
        (["--syscalls", "read,io_uring_setup,io_uring_enter,io_uring_register,userfaultfd,add_key,request_key,keyctl"],
         "da43f09c6b609a1442ac67cdb738ec81"),
        ([], "ffaf44654525c707087ec96ea8d3fddc"),
    ])
    func wholeProgramsAreWrittenAsBefore(_ arguments: [String], _ expected: String) throws {
        let program = try SeccompFilter.program(for: try plan(arguments.map { ByteString($0) }),
                                                system: LinuxSystemCalls())
        #expect(Self.digest(program) == expected)
    }
    #endif
}
