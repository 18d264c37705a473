/// `drop-credentials`: the caller's environment keeps what programs need (build settings, locale,
/// the terminal) and loses what is shaped like a credential (tokens, keys, passwords, cloud
/// accounts, agents' sockets) or injects code into every program (the dynamic loader's variables).
/// A CI job is where tokens live in the environment, and where a test suite runs code nobody read.
enum CredentialVariables {
    /// Anywhere in the name, in any case.
    static let fragments: [ByteString] = ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "API_KEY", "APIKEY",
                                          "PRIVATE_KEY", "ACCESS_KEY", "JWT", "_AUTH"]
    static let prefixes: [ByteString] = ["AWS_", "AZURE_"]
    static let suffixes: [ByteString] = ["_KEY", "_PAT"]
    static let agents: [ByteString] = ["SSH_AUTH_SOCK", "GPG_AGENT_INFO", "KRB5CCNAME", "DBUS_SESSION_BUS_ADDRESS"]
    static let loader: [ByteString] = ["LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH"]

    /// Why the variable is dropped, or nil when it stays. Bytes, not Characters: a combining mark
    /// after TOKEN does not hide it.
    static func reason(for name: ByteString) -> String? {
        let upper = ByteString(name.bytes.map { $0 >= 0x61 && $0 <= 0x7a ? $0 - 0x20 : $0 })
        if loader.contains(upper) { return "injects code into every program" }
        if agents.contains(upper) { return "reaches an agent or a session's services" }
        if let fragment = fragments.first(where: { upper.contains($0) }) { return "credential-shaped (\(fragment))" }
        if let suffix = suffixes.first(where: { upper.hasSuffix($0) }) { return "credential-shaped (*\(suffix))" }
        if let prefix = prefixes.first(where: { upper.hasPrefix($0) }) { return "a cloud account's (\(prefix)*)" }
        return nil
    }

    /// The session bus when every address it gives is a socket the plan exposes as the host's.
    static func exposesTheSessionBus(_ value: ByteString, in plan: Plan) -> Bool {
        let addresses = value.split(separator: UInt8(ascii: ";")).filter { !$0.isEmpty }
        return !addresses.isEmpty && addresses.allSatisfy { address in
            guard address.hasPrefix("unix:") else { return false }
            let path = address.dropFirst(5).split(separator: UInt8(ascii: ","))
                .first { $0.hasPrefix("path=") }?.dropFirst(5)
            guard let path, path.isAbsolute, case .host = plan.provider(of: path.normalized) else { return false }
            return true
        }
    }
}

/// A variable of the caller's that the program does not get.
public struct DroppedVariable: Equatable, Sendable {
    public var name: ByteString
    public var reason: String
}

/// `keepenv PATTERN`: a name, or a glob with `*` and `?`.
struct VariablePattern: Equatable, Sendable {
    let pattern: ByteString

    func matches(_ name: ByteString) -> Bool { Self.match(pattern.bytes[...], name.bytes[...]) }

    private static func match(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        switch first {
        case UInt8(ascii: "*"):
            var rest = name
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case UInt8(ascii: "?"): return !name.isEmpty && match(pattern.dropFirst(), name.dropFirst())
        default: return name.first == first && match(pattern.dropFirst(), name.dropFirst())
        }
    }
}
