@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Profile files through the double.
@Suite struct ProfileFilesTests {
    @Test func aMissingDirectoryIsLookedAtOnceForEveryNameInIt() throws {
        let double = RecordingSystemCalls()
        double.hostFileContents = ["/etc/sbox/profiles/web.profile": Array("share-net\n".utf8)]
        let files = ProfileFiles(system: double)
        for name in ["default", "default.local", "web", "web.local"] {
            _ = try files.read(ByteString("/home/u/.config/sbox/profiles/\(name).profile"))
        }
        #expect(try files.read("/etc/sbox/profiles/web.profile") == "share-net\n")
        #expect(try files.read("/etc/sbox/profiles/web.local.profile") == nil)
        #expect(double.log == ["look at /home/u/.config/sbox/profiles", "look at /etc/sbox/profiles"])
    }

    @Test func aProfileThatCannotBeOpenedIsAnErrorThatSaysWhatToCheck() throws {
        let double = RecordingSystemCalls()
        double.hostFileContents = ["/home/u/.config/sbox/profiles/web.profile": []]
        double.failures = ["open /home/u/.config/sbox/profiles/web.profile": EACCES]
        #expect(throws: UsageError("cannot read the profile /home/u/.config/sbox/profiles/web.profile: "
                                   + "Permission denied (if $HOME or $XDG_CONFIG_HOME is not yours, "
                                   + "set it to your own)")) {
            try ProfileFiles(system: double).read("/home/u/.config/sbox/profiles/web.profile")
        }
    }
}
