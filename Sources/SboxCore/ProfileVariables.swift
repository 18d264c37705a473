/// The variables a profile may use as `${NAME}`, expanded when the profile is loaded. A variable that
/// is unknown, or unset in the caller's environment, is an error: never an empty string. (In a `-try`
/// directive an unset variable makes the directive do nothing, as a missing path would.)
public struct ProfileVariables: Sendable {
    /// Every name a profile may use, documented in sbox-profile(5).
    public static let names = [
        "HOME", "USER", "UID", "GID", "PWD",
        "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
    ]

    private let environment: [ByteString]
    private let host: HostContext

    public init(host: HostContext) {
        self.host = host
        self.environment = host.environment
    }

    /// The value of a known variable, or nil when it is unset. XDG base directories default to the
    /// XDG specification's defaults under $HOME.
    public func value(of name: String) -> ByteString? {
        switch name {
        case "UID": return ByteString(String(host.uid))
        case "GID": return ByteString(String(host.gid))
        case "PWD": return host.currentDirectory
        case "HOME": return host.home
        // An absolute directory, and not the root: sbox hides it while learning.
        case "XDG_RUNTIME_DIR": return baseDirectory(name).flatMap { $0.normalized != ByteString.root ? $0 : nil }
        case "XDG_CONFIG_HOME": return baseDirectory(name) ?? home(".config")
        case "XDG_DATA_HOME": return baseDirectory(name) ?? home(".local/share")
        case "XDG_CACHE_HOME": return baseDirectory(name) ?? home(".cache")
        case "XDG_STATE_HOME": return baseDirectory(name) ?? home(".local/state")
        default: return environmentValue(name)
        }
    }

    /// The XDG specification: a relative path in these variables is invalid and must be ignored.
    private func baseDirectory(_ name: String) -> ByteString? {
        environmentValue(name).flatMap { $0.isAbsolute ? $0 : nil }
    }

    private func home(_ relative: ByteString) -> ByteString? {
        host.home.map { $0 + "/" + relative }
    }

    func environmentValue(_ name: String) -> ByteString? {
        let prefix = ByteString(name + "=")
        for entry in environment where entry.hasPrefix(prefix) {
            let value = entry.dropFirst(prefix.count)
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
