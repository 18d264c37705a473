import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Paths as the host resolves them.
public enum HostPaths {
    /// `path` with its symlinks and `..` resolved: its nearest existing ancestor's canonical path,
    /// and the rest as spelled.
    public static func resolved(_ path: ByteString, system: SystemCalls = LinuxSystemCalls()) -> ByteString {
        var existing = path
        var rest: [ByteString] = []
        while existing != ByteString.root {
            if let canonical = try? system.canonicalPath(existing) {
                return rest.reversed().reduce(canonical) { $0.appending($1) }
            }
            rest.append(existing.lastComponent)
            existing = existing.parent
        }
        return path
    }

    /// What the paths the program's arguments name are on the host (for expose-args): each one's
    /// canonical path, and whether it is itself a symlink; nothing for what does not exist.
    public static func arguments(of command: [ByteString],
                                 system: SystemCalls = LinuxSystemCalls()) -> [ByteString: ResolvedArgument] {
        var resolved: [ByteString: ResolvedArgument] = [:]
        for argument in command.dropFirst() {
            guard let path = ArgumentPath.path(of: argument), let canonical = try? system.canonicalPath(path) else {
                continue
            }
            resolved[path] = ResolvedArgument(path: canonical, isSymlink: system.readSymlink(path, in: AT_FDCWD) != nil)
        }
        return resolved
    }

    /// What the boundary compares the current directory with, resolved; only what differs from its
    /// spelling is kept.
    public static func resolved(for host: HostContext) -> ResolvedPaths {
        let variables = ProfileVariables(host: host)
        func real(_ path: ByteString?) -> ByteString? {
            guard let path = path?.normalized, path.isAbsolute else { return nil }
            let resolved = resolved(path)
            return resolved == path ? nil : resolved
        }
        let own = ["XDG_CONFIG_HOME", "XDG_CACHE_HOME"]
            .compactMap { real(variables.value(of: $0).map { $0 + "/sbox" }) }
        return ResolvedPaths(home: real(host.home), runtime: real(variables.value(of: "XDG_RUNTIME_DIR")), own: own)
    }
}
