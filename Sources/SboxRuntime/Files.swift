#if canImport(Glibc)
import Glibc
#endif

/// Files sbox writes for itself on the host (its filter cache, the user's desktop entries).
public enum Files {
    /// Every missing directory on the way to `path`, with `permissions`; existing ones are left alone.
    public static func createDirectories(_ path: String, permissions: mode_t) {
        var partial = ""
        for component in path.split(separator: "/") {
            partial += "/" + component
            _ = mkdir(partial, permissions)
        }
    }

    /// `bytes` at `path`, through a temporary file renamed over it: a reader never sees half a file.
    /// Returns 0, or the errno of what failed.
    public static func replace(_ path: String, with bytes: [UInt8], permissions: mode_t) -> Int32 {
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions)
        guard fd >= 0 else { return errno }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let failure = written < 0 ? errno : written != bytes.count ? EIO : 0
        close(fd)
        guard failure == 0, rename(temporary, path) == 0 else {
            let error = failure != 0 ? failure : errno
            unlink(temporary)
            return error
        }
        return 0
    }
}
