import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Profile files on the host, for `ProfileLoader`.
public final class ProfileFiles: ProfileStore {
    public init() {}

    /// Far more than any profile: a bound on what a mistaken include (a log, /dev/zero) can cost.
    static let sizeLimit = 1 << 20

    /// Directories found missing: a start looks up several names in each profile directory (every
    /// include and its .local), and most of them do not exist at all. One look each.
    private var missingDirectories: [ByteString] = [], presentDirectories: [ByteString] = []

    public func read(_ path: ByteString) throws(UsageError) -> ByteString? {
        let directory = path.parent
        if missingDirectories.contains(directory) { return nil }
        if !presentDirectories.contains(directory) {
            guard directory.withCString({ access($0, F_OK) }) == 0 || errno != ENOENT && errno != ENOTDIR else {
                missingDirectories.append(directory)
                return nil
            }
            presentDirectories.append(directory)
        }
        // Non-blocking: a FIFO must not hang sbox; it is refused below as not a regular file.
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            let hint = errno == EACCES ? " (if $HOME or $XDG_CONFIG_HOME is not yours, set it to your own)" : ""
            throw UsageError("cannot read the profile \(path): \(SystemError("", errno: errno).reason)\(hint)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw UsageError("profile \(path): not a regular file")
        }
        let bytes: [UInt8]
        do { bytes = try Descriptors.readAll(fd, limit: Self.sizeLimit) } catch {  // closes fd
            throw UsageError("profile \(path): \(error.reason)")
        }
        return ByteString(bytes)
    }

    public func profileNames(in directory: ByteString) -> [String] {
        // A profile's name is text: one whose file name is not valid UTF-8 is no name --profile can give.
        Self.names(in: directory, ending: ".profile").compactMap { $0.dropLast(".profile".count).text }
    }

    /// The names in `directory` that end with `suffix` (and are longer), in the directory's order.
    public static func names(in directory: ByteString, ending suffix: ByteString) -> [ByteString] {
        guard let stream = directory.withCString({ opendir($0) }) else { return [] }
        defer { closedir(stream) }
        var names: [ByteString] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { ByteString(Array($0.prefix { $0 != 0 })) }
            if name.hasSuffix(suffix) && name.count > suffix.count { names.append(name) }
        }
        return names
    }
}
