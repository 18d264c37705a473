/// SOCKS5 (RFC 1928: no authentication, CONNECT) and SOCKS4a requests to the proxy.
extension ProxyRequest {
    /// SOCKS5 replies' codes.
    public enum SocksReply: UInt8, Sendable {
        case succeeded = 0, generalFailure = 1, notAllowed = 2, networkUnreachable = 3, hostUnreachable = 4
        case connectionRefused = 5, commandNotSupported = 7, addressTypeNotSupported = 8
    }

    static func socks5Greeting(_ bytes: ArraySlice<UInt8>) -> ProxyRequest {
        guard bytes.count >= 2 else { return .incomplete }
        let count = Int(bytes[bytes.startIndex + 1])
        guard count > 0 else { return .invalid("SOCKS5 greeting without methods") }
        guard bytes.count >= 2 + count else { return .incomplete }
        let methods = bytes[(bytes.startIndex + 2)..<(bytes.startIndex + 2 + count)]
        return .socksGreeting(acceptable: methods.contains(0), consumed: 2 + count)
    }

    static func socks5Request(_ bytes: ArraySlice<UInt8>) -> ProxyRequest {
        guard bytes.count >= 5 else { return .incomplete }
        let base = bytes.startIndex
        guard bytes[base] == 5, bytes[base + 2] == 0 else { return .invalid("not a SOCKS5 request") }
        guard bytes[base + 1] == 1 else { return .invalid("SOCKS5: only CONNECT is served") }
        let host: String?, length: Int
        switch bytes[base + 3] {
        case 1:
            length = 4 + 4
            guard bytes.count >= length + 2 else { return .incomplete }
            host = IPAddress(bytes: Array(bytes[(base + 4)..<(base + 8)]))?.description
        case 4:
            length = 4 + 16
            guard bytes.count >= length + 2 else { return .incomplete }
            host = IPAddress(bytes: Array(bytes[(base + 4)..<(base + 20)]))?.description
        case 3:
            let nameLength = Int(bytes[base + 4])
            length = 5 + nameLength
            guard bytes.count >= length + 2 else { return .incomplete }
            host = Destination.host(Substring(decoding: bytes[(base + 5)..<(base + length)], as: UTF8.self))
        default:
            return .invalid("SOCKS5: an address type that does not exist")
        }
        let port = UInt16(bytes[base + length]) << 8 | UInt16(bytes[base + length + 1])
        guard let host, port > 0 else { return .invalid("SOCKS5: not a host name or an address") }
        return .socksConnect(Destination(host: host, port: port), version: 5, consumed: length + 2)
    }

    /// SOCKS4: VN=4, CD=1, port, IPv4 address, user id, NUL; SOCKS4a: the address 0.0.0.x and the
    /// host name after the user id, NUL-terminated.
    static func socks4(_ bytes: ArraySlice<UInt8>) -> ProxyRequest {
        guard bytes.count >= 9 else { return .incomplete }
        let base = bytes.startIndex
        guard bytes[base + 1] == 1 else { return .invalid("SOCKS4: only CONNECT is served") }
        let port = UInt16(bytes[base + 2]) << 8 | UInt16(bytes[base + 3])
        let address = Array(bytes[(base + 4)..<(base + 8)])
        guard let userEnd = bytes[(base + 8)...].firstIndex(of: 0) else {
            return bytes.count > 512 ? .invalid("SOCKS4: the user id is too long") : .incomplete
        }
        var host = IPAddress(bytes: address)?.description
        var end = userEnd + 1
        if address[0..<3] == [0, 0, 0] && address[3] != 0 {
            guard let nameEnd = bytes[end...].firstIndex(of: 0) else {
                return bytes.count > 1024 ? .invalid("SOCKS4a: the host name is too long") : .incomplete
            }
            host = Destination.host(Substring(decoding: bytes[end..<nameEnd], as: UTF8.self))
            end = nameEnd + 1
        }
        guard let host, port > 0 else { return .invalid("SOCKS4: not a host name or an address") }
        return .socksConnect(Destination(host: host, port: port), version: 4, consumed: end - base)
    }

    /// The reply to a SOCKS request, for a client of `version`.
    public static func socksReply(_ reply: SocksReply, version: UInt8) -> [UInt8] {
        if version == 4 { return [0, reply == .succeeded ? 90 : 91, 0, 0, 0, 0, 0, 0] }
        return [5, reply.rawValue, 0, 1, 0, 0, 0, 0, 0, 0]
    }
}
