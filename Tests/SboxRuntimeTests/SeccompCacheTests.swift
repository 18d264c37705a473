@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SeccompCacheTests {
    /// A new directory under /tmp, and what removes it with the entries and key written in it.
    func temporaryDirectory() throws -> (path: String, remove: () -> Void) {
        var template = Array("/tmp/sbox-cache-test.XXXXXX".utf8CString)
        let directory = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            .map { String(cString: $0) })
        return (directory, {
            for folder in [directory + "/seccomp", directory] {
                for name in ProfileFiles.names(in: ByteString(folder), ending: ".bpf") {
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
        SeccompCache.prune(ByteString(directory))
        let left = Set(ProfileFiles.names(in: ByteString(directory), ending: ".bpf"))
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
        SeccompCache.write(program, key: key, in: ByteString(directory))
        let path = ByteString(directory + "/seccomp/0123456789abcdef.bpf")
        let entry = try #require(Files.readPrivate(path, limit: 1 << 16))
        #expect(entry.count == 16 + program.count + 16)
        #expect(Array(entry[0..<8]) == Array("SBOXBPF2".utf8))
        #expect(Array(entry[8..<16]) == [0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01])
        #expect(Array(entry[16..<32]) == program)
        #expect(Array(entry[32...]) == SipHash.mac(Array(entry[..<32]), key: secret))
        #expect(SeccompCache.read(key, in: ByteString(directory)) == program)
        #expect(SeccompCache.read(key + 1, in: ByteString(directory)) == nil)
        // One bit of the program changed: the MAC no longer matches, and the policy is compiled again.
        var altered = entry
        altered[20] ^= 1
        #expect(Files.replace(path, with: altered, permissions: 0o600) == 0)
        #expect(SeccompCache.read(key, in: ByteString(directory)) == nil)
    }
}
