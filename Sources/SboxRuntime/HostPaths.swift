import SboxCore

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
