@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// sbox's own files on the host, written with the real calls in a new directory under /tmp.
@Suite struct HostFilesTests {
    let system = LinuxSystemCalls()

    @Test func aFileThatCannotTakeItsPlaceLeavesNothingBehind() throws {
        var template = Array("/tmp/sbox-files-test.XXXXXX".utf8CString)
        let directory = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            .map { ByteString(cString: $0) })
        let target = directory.appending("target"), inside = target.appending("x")
        defer {
            system.removeFile(inside)
            _ = target.withCString { rmdir($0) }
            _ = directory.withCString { rmdir($0) }
        }
        system.createDirectories(target, permissions: 0o700)
        #expect(system.createNewFile(inside, with: [1], permissions: 0o600))
        // A directory in the way: the rename fails, and the temporary file goes.
        #expect(throws: SystemError("writing", path: target, errno: EISDIR)) {
            try system.replaceFile(target, with: [2], permissions: 0o600)
        }
        #expect(Set(system.names(in: directory, ending: "")) == [".", "..", "target"])
        // A new file is never made over one that is there, and that one is left as it was.
        #expect(!system.createNewFile(inside, with: [3], permissions: 0o600))
        #expect(system.readPrivateFile(inside, limit: 16) == [1])
    }
}
