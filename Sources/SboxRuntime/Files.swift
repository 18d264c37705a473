import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Files sbox writes for itself on the host (its filter cache, the user's desktop entries).
public enum Files {
    /// Every missing directory on the way to `path`, with `permissions`; existing ones are left alone.
    public static func createDirectories(_ path: ByteString, permissions: mode_t) {
        var partial = ByteString.root
        for component in path.split(separator: UInt8(ascii: "/")) where !component.isEmpty {
            partial = partial.appending(component)
            _ = partial.withCString { mkdir($0, permissions) }
        }
    }

    /// `bytes` at `path`, through a temporary file renamed over it: a reader never sees half a file.
    /// Returns 0, or the errno of what failed.
    public static func replace(_ path: ByteString, with bytes: [UInt8], permissions: mode_t) -> Int32 {
        let temporary = path + ByteString(".\(getpid()).tmp")
        let fd = temporary.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, permissions) }
        guard fd >= 0 else { return errno }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let failure = written < 0 ? errno : written != bytes.count ? EIO : 0
        close(fd)
        guard failure == 0, temporary.withCString({ old in path.withCString { rename(old, $0) } }) == 0 else {
            let error = failure != 0 ? failure : errno
            _ = temporary.withCString { unlink($0) }
            return error
        }
        return 0
    }

    /// The whole of a small regular file that the caller owns and nobody else may write, opened
    /// without following a symlink: nil otherwise.
    static func readPrivate(_ path: ByteString, limit: Int) -> [UInt8]? {
        let fd = path.withCString { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
              info.st_mode & 0o022 == 0, info.st_size <= limit else {
            close(fd)
            return nil
        }
        return try? Descriptors.readAll(fd, limit: limit)  // closes fd
    }
}
