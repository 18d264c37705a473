/// An IPv4 or IPv6 address, as the bytes of the network: what a name resolves to, or a literal in
/// an allow-host line.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 (IPv6).
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// A literal: dotted decimal (four parts, no leading zeros), or IPv6's hexadecimal groups with
    /// one `::` at most and an IPv4 tail; anything else (names, `1.2.3`, zones) is nil.
    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part == "0" || !part.hasPrefix("0"), let value = UInt8(part) else { return nil }
            result.append(value)
        }
        return result
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.contains(":"), text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        // Split at the one "::", if any.
        let utf8 = Array(text.utf8)
        var halves = [text]
        if let at = (0..<max(0, utf8.count - 1)).first(where: { utf8[$0] == 58 && utf8[$0 + 1] == 58 }) {
            halves = [String(decoding: utf8[..<at], as: UTF8.self), String(decoding: utf8[(at + 2)...], as: UTF8.self)]
            guard !halves[1].hasPrefix(":"), !halves[1].contains("::") else { return nil }
        }
        func groups(_ part: String, last: Bool) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if last && index == pieces.count - 1 && piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    result += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                result += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return result
        }
        guard let head = groups(halves[0], last: halves.count == 1) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1], last: true), head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// Where the address leads, for the rule that an allowed name may not lead to the host's own
    /// services or its local networks.
    public enum Scope: String, Sendable {
        case global
        case loopback
        case privateNetwork = "private"
        case linkLocal = "link-local"
        case unspecified
        case multicast
    }

    /// The IPv4 address an IPv6 one carries, where the kernel or the network delivers it there: mapped
    /// (::ffff:a.b.c.d, which an IPv6 socket connects to over IPv4), IPv4-compatible (::a.b.c.d),
    /// translated (NAT64, 64:ff9b::/96); nil for any other.
    public var embeddedIPv4: IPAddress? {
        guard !isIPv4 else { return nil }
        let head = bytes[0..<12]
        let mapped = head.dropLast(2).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        let compatible = head.allSatisfy { $0 == 0 } && bytes[12...].contains { $0 != 0 }
            && !(bytes[12..<15].allSatisfy { $0 == 0 })
        let translated = head == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
        return mapped || compatible || translated ? IPAddress(bytes: Array(bytes[12...])) : nil
    }

    /// The address as the proxy checks and connects to it: an embedded IPv4 one as itself.
    public var canonical: IPAddress { embeddedIPv4 ?? self }

    public var scope: Scope {
        if let embedded = embeddedIPv4 { return embedded.scope }
        if isIPv4 { return Self.scopeOfIPv4(bytes) }
        if bytes.allSatisfy({ $0 == 0 }) { return .unspecified }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return .loopback }
        if bytes[0] == 0xff { return .multicast }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return .linkLocal }
        if bytes[0] & 0xfe == 0xfc { return .privateNetwork }  // unique local, fc00::/7
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return .privateNetwork }  // site-local, deprecated
        // Forms that carry or relay to other addresses, where they may lead back inside: the rest of
        // ::/96 and ::ffff:0:0:0/96, local-use NAT64 (64:ff9b:1::/48), 6to4 (2002::/16) and Teredo
        // (2001::/32).
        if bytes[0..<8].allSatisfy({ $0 == 0 }) { return .privateNetwork }
        if bytes[0..<6] == [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01] { return .privateNetwork }
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return .privateNetwork }
        if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] { return .privateNetwork }
        return .global
    }

    private static func scopeOfIPv4(_ b: [UInt8]) -> Scope {
        switch (b[0], b[1], b[2]) {
        case (0, _, _): return .unspecified
        case (127, _, _): return .loopback
        case (10, _, _), (172, 16...31, _), (192, 168, _): return .privateNetwork
        case (100, 64...127, _): return .privateNetwork  // carrier-grade NAT, VPNs
        case (192, 0, 0), (198, 18...19, _): return .privateNetwork  // protocol assignments, benchmarking
        case (169, 254, _): return .linkLocal
        case (224...255, _, _): return .multicast  // and 240/4, reserved, with the broadcast address
        default: return .global
        }
    }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [UInt16] = []
        for index in stride(from: 0, to: 16, by: 2) {
            groups.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        }
        // The longest run of two or more zero groups becomes "::" (RFC 5952).
        var best = (start: -1, length: 0), index = 0
        while index < 8 {
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > best.length && end - index >= 2 { best = (index, end - index) }
            index = end == index ? index + 1 : end
        }
        func hex(_ range: Range<Int>) -> String { groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard best.start >= 0 else { return hex(0..<8) }
        return hex(0..<best.start) + "::" + hex((best.start + best.length)..<8)
    }
}
