import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Profile files on the host, for `ProfileLoader`.
public final class ProfileFiles: ProfileStore {
    let system: HostFileCalls

    public init(system: HostFileCalls = LinuxSystemCalls()) { self.system = system }

    /// Far more than any profile: a bound on what a mistaken include (a log, /dev/zero) can cost.
    static let sizeLimit = 1 << 20

    /// Directories found missing: a start looks up several names in each profile directory (every
    /// include and its .local), and most of them do not exist at all. One look each.
    private var missingDirectories: [ByteString] = [], presentDirectories: [ByteString] = []

    public func read(_ path: ByteString) throws(UsageError) -> ByteString? {
        let directory = path.parent
        if missingDirectories.contains(directory) { return nil }
        if !presentDirectories.contains(directory) {
            guard !system.isMissing(directory) else {
                missingDirectories.append(directory)
                return nil
            }
            presentDirectories.append(directory)
        }
        do {
            return try system.readRegularFile(path, limit: Self.sizeLimit).map { ByteString($0) }
        } catch where error.operation == "opening" {
            let hint = error.errno == EACCES ? " (if $HOME or $XDG_CONFIG_HOME is not yours, set it to your own)" : ""
            throw UsageError("cannot read the profile \(path): \(error.reason)\(hint)")
        } catch {
            throw UsageError("profile \(path): \(error.reason)")
        }
    }

    public func profileNames(in directory: ByteString) -> [String] {
        // A profile's name is text: one whose file name is not valid UTF-8 is no name --profile can give.
        system.names(in: directory, ending: ".profile").compactMap { $0.dropLast(".profile".count).text }
    }
}
