/// One allow-host line with where it came from.
public struct AllowHostLine: Equatable, Sendable {
    public let host: AllowedHost
    public let origin: Origin

    public init(_ host: AllowedHost, origin: Origin) {
        self.host = host
        self.origin = origin
    }
}

/// What the sandbox's egress proxy lets through: the allow-host lines. The sandbox has its own
/// network namespace with only loopback, where the proxy listens; sbox connects out for it, on the
/// host's side, to what the lines allow and nothing else.
public struct EgressPolicy: Equatable, Sendable {
    public var lines: [AllowHostLine] = []
    /// The files sbox resolves names with: the host's, or the caller's (SBOX_HOSTS, SBOX_RESOLV_CONF).
    public var hostsFile: ByteString = "/etc/hosts"
    public var resolverFile: ByteString = "/etc/resolv.conf"

    /// Whether the sandbox has the proxy (any allow-host line).
    public var isActive: Bool { !lines.isEmpty }

    /// Where the proxy listens inside the sandbox: 127.0.0.1, in the sandbox's own network namespace.
    public static let port: UInt16 = 3128
    public static var url: String { "http://127.0.0.1:\(port)" }

    public init(lines: [AllowHostLine] = []) { self.lines = lines }

    /// Why a destination is refused.
    public enum Refusal: Error, Equatable, Sendable {
        /// No line allows this name (or address) on this port.
        case notAllowed
        /// The name leads to a loopback, private, link-local or multicast address, or to the host's
        /// own, which no line names itself.
        case leadsInside(IPAddress)
    }

    /// Whether a line allows asking for `destination` at all (before it is resolved).
    public func permits(_ destination: Destination) -> Bool {
        lines.contains { $0.host.allows(name: destination.host, port: destination.port) }
    }

    /// The addresses `destination` may be reached at, in their order: those that lead outside (a
    /// global address, not the host's own), and those a line names itself; or why none may. An IPv6
    /// address that carries an IPv4 one is that IPv4 address, checked and connected to as such.
    public func reachable(_ addresses: [IPAddress], for destination: Destination,
                          own: Set<IPAddress>) -> Result<[IPAddress], Refusal> {
        var allowed: [IPAddress] = [], refused: IPAddress?
        for address in addresses.map(\.canonical) where !allowed.contains(address) {
            let named = lines.contains { $0.host.names(address, port: destination.port) }
            if named || address.scope == .global && !own.contains(address) {
                allowed.append(address)
            } else if refused == nil {
                refused = address
            }
        }
        if allowed.isEmpty, let refused { return .failure(.leadsInside(refused)) }
        return .success(allowed)
    }

    /// The program's proxy variables: every common spelling, and nothing for local names.
    public var environment: [ByteString] {
        let url = ByteString(Self.url)
        return ["http_proxy=" + url, "https_proxy=" + url, "HTTP_PROXY=" + url, "HTTPS_PROXY=" + url,
                "ALL_PROXY=" + url, "all_proxy=" + url, "no_proxy=localhost,127.0.0.1,::1",
                "NO_PROXY=localhost,127.0.0.1,::1"]
    }
}
