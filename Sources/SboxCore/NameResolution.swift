/// The host side of name resolution for the sandbox's proxy: the host's files read as the resolver
/// reads them, and DNS messages (RFC 1035) asked over UDP by sbox itself. The sandbox has no
/// resolver: a name it gives the proxy is resolved here, and where it leads is checked after.
public enum NameResolution {
    /// The addresses /etc/hosts gives `name` (lowercase), in the file's order.
    public static func hosts(_ file: [UInt8], name: String) -> [IPAddress] {
        var found: [IPAddress] = []
        for line in String(decoding: file, as: UTF8.self).split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.count >= 2, let address = IPAddress(String(fields[0])) else { continue }
            if fields.dropFirst().contains(where: { $0.lowercased() == name }) { found.append(address) }
        }
        return found
    }

    /// The name servers of resolv.conf, at most three, as the C library uses them.
    public static func nameServers(_ file: [UInt8]) -> [IPAddress] {
        var servers: [IPAddress] = []
        for line in String(decoding: file, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.count >= 2, fields[0] == "nameserver", let address = IPAddress(String(fields[1])) else {
                continue
            }
            if servers.count < 3 { servers.append(address) }
        }
        return servers
    }

    /// A query for `name`'s A (`ipv6` false) or AAAA records, with recursion desired.
    public static func query(_ name: String, ipv6: Bool, id: UInt16) -> [UInt8] {
        var message: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") {
            message.append(UInt8(label.utf8.count))
            message += label.utf8
        }
        message += [0, 0, ipv6 ? 28 : 1, 0, 1]
        return message
    }

    public enum Answer: Equatable, Sendable {
        /// The addresses of the records of the type asked (none: the name has no such record).
        case addresses([IPAddress])
        /// The name does not exist.
        case noSuchName
        /// The server failed, refused, or answered something else: ask the next one.
        case failure
        /// Not an answer to this query (another id, or not a response): ignore it.
        case unrelated
    }

    /// What a response says of the query `id` for A (`ipv6` false) or AAAA records.
    public static func answer(_ message: [UInt8], id: UInt16, ipv6: Bool) -> Answer {
        guard message.count >= 12, UInt16(message[0]) << 8 | UInt16(message[1]) == id, message[2] & 0x80 != 0 else {
            return .unrelated
        }
        if message[2] & 0x02 != 0 { return .failure }  // truncated: sbox does not retry over TCP
        switch message[3] & 0x0f {
        case 0: break
        case 3: return .noSuchName
        default: return .failure
        }
        let questions = Int(message[4]) << 8 | Int(message[5]), answers = Int(message[6]) << 8 | Int(message[7])
        var offset = 12
        for _ in 0..<questions {
            guard let end = skipName(message, from: offset), end + 4 <= message.count else { return .failure }
            offset = end + 4
        }
        var addresses: [IPAddress] = []
        for _ in 0..<answers {
            guard let end = skipName(message, from: offset), end + 10 <= message.count else { return .failure }
            let type = Int(message[end]) << 8 | Int(message[end + 1]),
                length = Int(message[end + 8]) << 8 | Int(message[end + 9])
            let data = end + 10
            guard data + length <= message.count else { return .failure }
            if type == (ipv6 ? 28 : 1), let address = IPAddress(bytes: Array(message[data..<(data + length)])) {
                addresses.append(address)
            }
            offset = data + length
        }
        return .addresses(addresses)
    }

    /// The offset past a name at `offset` (labels, or a compression pointer); nil if malformed.
    private static func skipName(_ message: [UInt8], from offset: Int) -> Int? {
        var offset = offset
        while offset < message.count {
            let length = Int(message[offset])
            if length == 0 { return offset + 1 }
            if length & 0xc0 == 0xc0 { return offset + 2 <= message.count ? offset + 2 : nil }
            guard length & 0xc0 == 0 else { return nil }
            offset += 1 + length
        }
        return nil
    }
}
