/// Where a client of the sandbox's proxy asked to go: a host name (lowercase) or an address's text,
/// and a port.
public struct Destination: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, an IPv6 address in brackets.
    public var description: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// A host as a client wrote it, checked: a name sbox may resolve, or an IP literal; nil otherwise.
    static func host(_ text: Substring) -> String? {
        let lower = text.lowercased()
        if let address = IPAddress(lower) { return address.description }
        guard AllowedHost.nameError(lower) == nil else { return nil }
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }
}

/// What the first bytes of a connection to the proxy ask for. The proxy speaks HTTP (CONNECT, and
/// absolute-URI requests), SOCKS5 (no authentication, CONNECT, names or addresses) and SOCKS4a.
/// Parsing is strict: what is not understood closes that connection, with an answer saying why.
public enum ProxyRequest: Equatable, Sendable {
    /// More bytes are needed.
    case incomplete
    /// HTTP CONNECT: answer 200, then relay both ways. `consumed`: the bytes of the request.
    case tunnel(Destination, consumed: Int)
    /// An HTTP request with an absolute URI: send `head` (in origin form, `Connection: close`) to the
    /// destination, then relay. `consumed`: the bytes of the original head.
    case forward(Destination, head: [UInt8], consumed: Int)
    /// SOCKS5's greeting: whether it offers "no authentication", and its length.
    case socksGreeting(acceptable: Bool, consumed: Int)
    /// A SOCKS5 or SOCKS4 CONNECT.
    case socksConnect(Destination, version: UInt8, consumed: Int)
    /// Not a request sbox serves: answer with `reason` (in the protocol's way) and close.
    case invalid(String)

    /// The largest request head read: a client that sends more is answered 431 and closed.
    public static let headLimit = 16 * 1024

    /// The first request of a connection: SOCKS by its first byte, HTTP otherwise.
    public static func parse(_ bytes: ArraySlice<UInt8>, afterSocksGreeting: Bool = false) -> ProxyRequest {
        guard let first = bytes.first else { return .incomplete }
        if afterSocksGreeting { return socks5Request(bytes) }
        if first == 5 { return socks5Greeting(bytes) }
        if first == 4 { return socks4(bytes) }
        return http(bytes)
    }
}
