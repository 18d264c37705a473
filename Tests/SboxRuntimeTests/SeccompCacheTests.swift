@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SeccompCacheTests {
    let system = LinuxSystemCalls()

    /// A new directory under /tmp, and what removes it with the entries and key written in it.
    func temporaryDirectory() throws -> (path: String, remove: () -> Void) {
        var template = Array("/tmp/sbox-cache-test.XXXXXX".utf8CString)
        let directory = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            .map { String(cString: $0) })
        return (directory, {
            for folder in [directory + "/seccomp", directory] {
                for name in system.names(in: ByteString(folder), ending: ".bpf") {
                    unlink(folder + "/" + name.lossy)
                }
                unlink(folder + "/key")
                rmdir(folder)
            }
        })
    }

    @Test func theCacheKeepsTheMostRecentlyWrittenPrograms() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let count = SeccompCache.kept + 6
        for index in 0..<count {
            let path = directory + "/\(index).bpf"
            close(open(path, O_CREAT | O_WRONLY, 0o600))
            let time = timespec(tv_sec: 1_000_000 + index, tv_nsec: 0)
            var times = [time, time]
            utimensat(AT_FDCWD, path, &times, 0)
        }
        SeccompCache.prune(ByteString(directory), system: system)
        let left = Set(system.names(in: ByteString(directory), ending: ".bpf"))
        #expect(left.count == SeccompCache.kept)
        #expect(left == Set((6..<count).map { ByteString("\($0).bpf") }))
    }

    /// The format (SBOXBPF2) that entries written by earlier builds have, and what makes one trusted.
    @Test func anEntryIsTheMagicTheKeyTheProgramAndItsMAC() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let secret = (0..<16).map { UInt8($0 * 7 + 1) }
        let fd = open(directory + "/key", O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(write(fd, secret, 16) == 16)
        close(fd)
        let program = SeccompFilter.instruction(0x06, k: 0x7fff_0000) + SeccompFilter.instruction(0x06, k: 0x0005_0001)
        let key: UInt64 = 0x0123_4567_89ab_cdef
        SeccompCache.write(program, key: key, in: ByteString(directory), system: system)
        let path = ByteString(directory + "/seccomp/0123456789abcdef.bpf")
        let entry = try #require(system.readPrivateFile(path, limit: 1 << 16))
        #expect(entry.count == 16 + program.count + 16)
        #expect(Array(entry[0..<8]) == Array("SBOXBPF2".utf8))
        #expect(Array(entry[8..<16]) == [0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01])
        #expect(Array(entry[16..<32]) == program)
        #expect(Array(entry[32...]) == SipHash.mac(Array(entry[..<32]), key: secret))
        #expect(SeccompCache.read(key, in: ByteString(directory), system: system) == program)
        #expect(SeccompCache.read(key + 1, in: ByteString(directory), system: system) == nil)
        // One bit of the program changed: the MAC no longer matches, and the policy is compiled again.
        var altered = entry
        altered[20] ^= 1
        try system.replaceFile(path, with: altered, permissions: 0o600)
        #expect(SeccompCache.read(key, in: ByteString(directory), system: system) == nil)
    }

    /// Through the double: a miss compiles, makes the key and writes the entry; a hit writes nothing;
    /// an entry changed by anyone without the key is compiled again and replaced.
    @Test func aMissWritesTheSignedEntryOnceAndAHitOnlyReadsIt() throws {
        let double = RecordingSystemCalls()
        let host = HostContext(uid: 1000, gid: 100, environment: ["HOME=/home/u"], currentDirectory: "/home/u")
        var plan = try PlanCompiler.compile(try CommandLineParser.parse(["--syscalls", "@default", "true"]),
                                            host: host)
        plan.cacheDirectory = "/home/u/.cache/sbox"
        let compiled = try SeccompFilter.program(for: plan, system: double)
        let entry = try #require(double.hostFileContents.keys.first { $0.hasSuffix(".bpf") })
        #expect(entry.hasPrefix("/home/u/.cache/sbox/seccomp/"))
        #expect(double.log == ["create /home/u/.cache/sbox/key", "replace \(entry)"])
        double.log = []
        #expect(try SeccompFilter.program(for: plan, system: double) == compiled)
        #expect(double.log.isEmpty)
        double.hostFileContents[entry]?[20] ^= 1
        #expect(try SeccompFilter.program(for: plan, system: double) == compiled)
        #expect(double.log == ["replace \(entry)"])
    }
}
