/// HTTP requests to the proxy: `CONNECT host:port` and requests with an absolute `http://` URI.
extension ProxyRequest {
    /// Headers a proxy consumes or replaces: they are not sent on as the client wrote them.
    private static let replaced: Set<String> = ["host", "connection", "proxy-connection", "proxy-authorization",
                                                "keep-alive"]

    static func http(_ bytes: ArraySlice<UInt8>) -> ProxyRequest {
        // What can never become a request head is refused at once, not when the client stops.
        guard bytes.allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || $0 >= 32 && $0 != 127 }) else {
            return .invalid("400 the request head has control characters, or a CR or LF alone")
        }
        guard let end = headEnd(bytes) else {
            return bytes.count > headLimit ? .invalid("431 the request head is larger than \(headLimit) bytes")
                                           : .incomplete
        }
        guard end - bytes.startIndex <= headLimit else {
            return .invalid("431 the request head is larger than \(headLimit) bytes")
        }
        let head = bytes[bytes.startIndex..<end]
        guard head.allSatisfy({ $0 == 9 || $0 >= 32 && $0 != 127 || $0 == 13 || $0 == 10 }),
              head.indices.allSatisfy({ i in (head[i] == 13) == (i + 1 < end && head[i + 1] == 10) }),
              head.indices.allSatisfy({ i in head[i] != 10 || i > head.startIndex && head[i - 1] == 13 }) else {
            return .invalid("400 the request head has control characters, or a CR or LF alone")
        }
        // Split as bytes: a header's value goes on as the client sent it, whatever its encoding.
        var lines = ByteString(Array(head)).split(separator: 10).map { $0.bytes.dropLast() }  // each without its CR
        lines.removeLast(2)  // the empty line that ends the head, and what follows the last LF
        // The request line is ASCII: its three parts split at single spaces.
        guard let requestLine = lines.first, requestLine.allSatisfy({ $0 < 128 }) else {
            return .invalid("400 not an HTTP/1 request line")
        }
        let parts = String(decoding: requestLine, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, isToken(parts[0]), parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .invalid("400 not an HTTP/1 request line")
        }
        let consumed = end - bytes.startIndex
        if parts[0] == "CONNECT" {
            guard let destination = authority(parts[1], defaultPort: nil) else {
                return .invalid("400 CONNECT needs host:port")
            }
            return .tunnel(destination, consumed: consumed)
        }
        guard parts[1].lowercased().hasPrefix("http://") else {
            return .invalid("400 the proxy takes http:// URIs and CONNECT (https goes through CONNECT)")
        }
        let uri = parts[1].dropFirst(7)
        let pathStart = uri.firstIndex { $0 == "/" || $0 == "?" } ?? uri.endIndex
        guard let destination = authority(uri[..<pathStart], defaultPort: 80) else {
            return .invalid("400 the URI's host is not valid")
        }
        var path = String(uri[pathStart...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        // Host names the destination, whatever the client wrote there (RFC 9112, 3.2.2).
        var out = Array("\(parts[0]) \(path) \(parts[2])\r\nHost: \(uri[..<pathStart])\r\n".utf8)
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: 58),
                  isToken(Substring(decoding: line[..<colon], as: UTF8.self)) else {
                return .invalid("400 a header is not 'name: value'")
            }
            if replaced.contains(String(decoding: line[..<colon], as: UTF8.self).lowercased()) { continue }
            out += line + [13, 10]
        }
        out += Array("Connection: close\r\n\r\n".utf8)
        return .forward(destination, head: out, consumed: consumed)
    }

    /// The index just past the blank line that ends the head, if it has arrived.
    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    /// RFC 9110's token: what a method or a header name is made of.
    private static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                || "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// `host[:port]` or `[v6]:port`, with no user information.
    private static func authority(_ text: Substring, defaultPort: UInt16?) -> Destination? {
        guard !text.contains("@") else { return nil }
        var hostText = text, portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostText = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return nil }
                portText = rest.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostText = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard let host = Destination.host(hostText), text.hasPrefix("[") == host.contains(":") else { return nil }
        guard let port = portText.map({ UInt16($0) }) ?? defaultPort, port > 0 else { return nil }
        return Destination(host: host, port: port)
    }
}
