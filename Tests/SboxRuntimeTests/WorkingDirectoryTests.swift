@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Where the program starts: --chdir must work; the caller's directory if the sandbox has it, else
/// $HOME, else /.
@Suite struct WorkingDirectoryTests {
    func start(_ directory: WorkingDirectory, home: ByteString? = "/home/u",
               failing: [String]) throws -> (ByteString, [String]) {
        let system = RecordingSystemCalls()
        for path in failing { system.failures["chdir " + path] = ENOENT }
        var plan = try makePlan([])
        plan.workingDirectory = directory
        plan.environment = home.map { ["HOME=" + $0] } ?? []
        let started = try isolate(plan, system)
        // The double logs what succeeded: a failed chdir is not there.
        return (started, system.log.filter { $0.hasPrefix("chdir ") && $0 != "chdir /" && $0 != "chdir /newroot" })
    }

    @Test func theCallersDirectoryWhenTheSandboxHasIt() throws {
        let (directory, tried) = try start(.caller("/work"), failing: [])
        #expect(directory == "/work" && tried == ["chdir /work"])
    }

    @Test func elseTheHomeThenTheRoot() throws {
        let (home, triedHome) = try start(.caller("/work"), failing: ["/work"])
        #expect(home == "/home/u" && triedHome == ["chdir /home/u"])
        let (root, triedRoot) = try start(.caller("/work"), failing: ["/work", "/home/u"])
        #expect(root == "/" && triedRoot == [])
        let (noHome, triedNoHome) = try start(.caller("/work"), home: nil, failing: ["/work"])
        #expect(noHome == "/" && triedNoHome == [])
    }

    @Test func aDirectoryNotExposedStartsInTheHome() throws {
        let (directory, tried) = try start(.home, failing: [])
        #expect(directory == "/home/u" && tried == ["chdir /home/u"])
    }

    @Test func chdirMustWork() throws {
        #expect(throws: SandboxError("--chdir /nope: chdir /nope: No such file or directory")) {
            _ = try start(.given("/nope"), failing: ["/nope"])
        }
    }
}
