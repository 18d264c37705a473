/// One `allow-host HOST[:PORT]` line: where the sandbox's proxy may connect. HOST is a name, a
/// `*.suffix` wildcard (any name beneath the suffix), `*` (any name; alone, on any port: for sbox
/// learn), or an IP literal (IPv6 in brackets when a port follows); PORT defaults to 443 and 80.
public struct AllowedHost: Equatable, Sendable, CustomStringConvertible {
    public enum Host: Equatable, Sendable {
        /// A name, lowercase, without a final dot.
        case name(String)
        /// Any name beneath this suffix (not the suffix itself).
        case beneath(String)
        /// Any name (sbox learn --allow-host '*').
        case anyName
        case address(IPAddress)
    }

    public let host: Host
    /// The ports allowed; empty: any (`*` alone).
    public let ports: [UInt16]
    public static let defaultPorts: [UInt16] = [443, 80]

    /// Parses HOST[:PORT]; the error says what is wrong with it.
    public static func parse(_ text: String) -> Result<AllowedHost, AllowedHostError> {
        var hostText = Substring(text), portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return .failure(.init("an IPv6 address in brackets lacks its ']'"))
            }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return .failure(.init("after ']' only ':PORT' may follow")) }
                portText = rest.dropFirst()
            }
            guard let address = IPAddress(String(hostText)), !address.isIPv4 else {
                return .failure(.init("'\(hostText)' in brackets is not an IPv6 address"))
            }
            return ports(portText).map { AllowedHost(host: .address(address), ports: $0) }
        }
        if let address = IPAddress(text), !address.isIPv4 {
            return .success(AllowedHost(host: .address(address), ports: defaultPorts))
        }
        if let colon = text.lastIndex(of: ":") {
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        let name = hostText.lowercased()
        let host: Host
        if let address = IPAddress(name) {
            host = .address(address)
        } else if name == "*" {
            guard portText != nil else { return .success(AllowedHost(host: .anyName, ports: [])) }
            host = .anyName
        } else if name.hasPrefix("*.") {
            var suffix = String(name.dropFirst(2))
            if suffix.hasSuffix(".") && suffix.count > 1 { suffix.removeLast() }  // as names are compared: no final dot
            guard let error = nameError(suffix) else {
                return ports(portText).map { AllowedHost(host: .beneath(suffix), ports: $0) }
            }
            return .failure(error)
        } else if let error = nameError(name) {
            return .failure(error)
        } else {
            host = .name(name.hasSuffix(".") ? String(name.dropLast()) : name)
        }
        return ports(portText).map { AllowedHost(host: host, ports: $0) }
    }

    private static func ports(_ text: Substring?) -> Result<[UInt16], AllowedHostError> {
        guard let text else { return .success(defaultPorts) }
        guard let port = UInt16(text), port > 0 else { return .failure(.init("'\(text)' is not a port (1 to 65535)")) }
        return .success([port])
    }

    /// What is wrong with a host name (lowercase), if anything: letters, digits, '-' and '_' in
    /// labels of at most 63 bytes, separated by dots; a final dot allowed.
    static func nameError(_ name: String) -> AllowedHostError? {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1 && labels.last == "" { labels.removeLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return .init("'\(name)' is not a host name") }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-"),
                  label.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 45 || $0 == 95 })
            else { return .init("'\(name)' is not a host name (letters, digits and '-' in labels separated by dots)") }
        }
        return nil
    }

    /// Whether a destination named `name` (a host name, lowercase, or an address's text) on `port`
    /// is allowed by this line, before it is resolved.
    public func allows(name: String, port: UInt16) -> Bool {
        guard ports.isEmpty || ports.contains(port) else { return false }
        switch host {
        case .name(let allowed): return name == allowed
        case .beneath(let suffix): return name.hasSuffix("." + suffix) && IPAddress(name) == nil
        case .anyName: return IPAddress(name) == nil
        case .address(let address): return IPAddress(name)?.canonical == address.canonical
        }
    }

    /// Whether this line names `address` itself on `port`: only then may a name lead to a loopback,
    /// private or link-local address, or to the host's own.
    public func names(_ address: IPAddress, port: UInt16) -> Bool {
        guard ports.isEmpty || ports.contains(port), case .address(let allowed) = host else { return false }
        return allowed.canonical == address.canonical
    }

    /// As written in a profile line (the default ports implied).
    public var description: String {
        var text: String
        switch host {
        case .name(let name): text = name
        case .beneath(let suffix): text = "*." + suffix
        case .anyName: text = "*"
        case .address(let address):
            text = address.isIPv4 || ports == Self.defaultPorts ? address.description : "[\(address)]"
        }
        if ports != Self.defaultPorts && !ports.isEmpty { text += ":\(ports[0])" }
        return text
    }
}

public struct AllowedHostError: Error, Equatable, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}
