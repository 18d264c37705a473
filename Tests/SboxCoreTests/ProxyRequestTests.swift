@testable import SboxCore
import Testing

@Suite struct ProxyRequestTests {
    func parse(_ text: String) -> ProxyRequest { ProxyRequest.parse(Array(text.utf8)[...]) }
    func parse(_ bytes: [UInt8], afterGreeting: Bool = false) -> ProxyRequest {
        ProxyRequest.parse(bytes[...], afterSocksGreeting: afterGreeting)
    }

    @Test func connectTunnels() {
        #expect(parse("CONNECT pypi.org:443 HTTP/1.1\r\nHost: pypi.org:443\r\n\r\n")
                == .tunnel(Destination(host: "pypi.org", port: 443), consumed: 53))
        #expect(parse("CONNECT [::1]:8443 HTTP/1.1\r\n\r\n")
                == .tunnel(Destination(host: "::1", port: 8443), consumed: 31))
        #expect(parse("CONNECT pypi.org:443 HTTP/1.1\r\nHost: pypi.org") == .incomplete)
    }

    @Test func absoluteURIsAreSentInOriginFormAndClosed() {
        let request = "GET http://Example.ORG:8080/a/b?c=d HTTP/1.1\r\nHost: evil.test\r\n"
            + "Proxy-Connection: keep-alive\r\n"
            + "Proxy-Authorization: Basic eA==\r\nConnection: keep-alive\r\nAccept: */*\r\n\r\nBODY"
        guard case .forward(let destination, let head, let consumed) = parse(request) else {
            Issue.record("not forwarded")
            return
        }
        #expect(destination == Destination(host: "example.org", port: 8080))
        // Host names the destination, not what the client claimed.
        #expect(String(decoding: head, as: UTF8.self)
                == "GET /a/b?c=d HTTP/1.1\r\nHost: Example.ORG:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n")
        #expect(consumed == request.utf8.count - 4)
        guard case .forward(_, let bare, _) = parse("GET http://a.org HTTP/1.0\r\n\r\n") else {
            Issue.record("no path")
            return
        }
        #expect(String(decoding: bare, as: UTF8.self) == "GET / HTTP/1.0\r\nHost: a.org\r\nConnection: close\r\n\r\n")
        // A header's value goes on as its bytes, whatever they are.
        let latin1: [UInt8] = Array("GET http://a.org/ HTTP/1.1\r\nX-Name: ".utf8) + [0xe9, 0xff]
            + Array("\r\n\r\n".utf8)
        guard case .forward(_, let kept, _) = ProxyRequest.parse(latin1[...]) else {
            Issue.record("not forwarded")
            return
        }
        #expect(kept.contains([0x58, 0x2d, 0x4e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0xff, 13, 10]))
        #expect(parse("GET http://a.org/ \u{301}HTTP/1.1 HTTP/1.1\r\n\r\n")
                    == .invalid("400 not an HTTP/1 request line"))
    }

    @Test func malformedRequestsAreRefusedWithAReason() {
        let bad = ["GET /relative HTTP/1.1\r\n\r\n", "GET https://a.org/ HTTP/1.1\r\n\r\n",
                   "GET http://u@a.org/ HTTP/1.1\r\n\r\n", "CONNECT a.org HTTP/1.1\r\n\r\n",
                   "CONNECT a.org:0 HTTP/1.1\r\n\r\n", "GET  http://a.org/ HTTP/1.1\r\n\r\n",
                   "GET http://a.org/ HTTP/2\r\n\r\n", "GET http://a.org/ HTTP/1.1\r\nX-A: b\nX-B: c\r\n\r\n",
                   "GET http://a.org/ HTTP/1.1\r\nno colon\r\n\r\n", "GET http://a.org/ HTTP/1.1\r\n folded: x\r\n\r\n",
                   "GET http://a.org/ HTTP/1.1\r\nX: \u{1}\r\n\r\n", "CONNECT a b.org:443 HTTP/1.1\r\n\r\n",
                   "CONNECT [1.2.3.4]:443 HTTP/1.1\r\n\r\n", "CONNECT ::1:443 HTTP/1.1\r\n\r\n"]
        for text in bad {
            guard case .invalid = parse(text) else { Issue.record("accepted: \(text.debugDescription)"); continue }
        }
        // Bytes no head can hold are refused before the head ends.
        #expect(ProxyRequest.parse(Array(0..<64)[...])
                == .invalid("400 the request head has control characters, or a CR or LF alone"))
        let huge = "GET http://a.org/ HTTP/1.1\r\n" + String(repeating: "X-Pad: y\r\n", count: 2000)
        #expect(parse(huge) == .invalid("431 the request head is larger than 16384 bytes"))
    }

    @Test func socks5() {
        #expect(parse([5, 2, 2, 0]) == .socksGreeting(acceptable: true, consumed: 4))
        #expect(parse([5, 1, 2]) == .socksGreeting(acceptable: false, consumed: 3))
        #expect(parse([5, 2, 0]) == .incomplete)
        let name: [UInt8] = [5, 1, 0, 3, 8] + Array("pypi.org".utf8) + [1, 187]
        #expect(parse(name, afterGreeting: true)
                == .socksConnect(Destination(host: "pypi.org", port: 443), version: 5, consumed: 15))
        #expect(parse([5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90], afterGreeting: true)
                == .socksConnect(Destination(host: "127.0.0.1", port: 8080), version: 5, consumed: 10))
        #expect(parse([5, 1, 0, 1, 127, 0], afterGreeting: true) == .incomplete)
        #expect(parse([5, 3, 0, 1, 127, 0, 0, 1, 0, 53], afterGreeting: true)
                == .invalid("SOCKS5: only CONNECT is served"))
        #expect(parse([5, 1, 0, 3, 3, 0x61, 0x0a, 0x62, 0, 80], afterGreeting: true)
                == .invalid("SOCKS5: not a host name or an address"))
    }

    @Test func socks4a() {
        let request: [UInt8] = [4, 1, 0, 80, 0, 0, 0, 1, 0x75, 0] + Array("a.org".utf8) + [0]
        #expect(parse(request)
                == .socksConnect(Destination(host: "a.org", port: 80), version: 4, consumed: request.count))
        #expect(parse([4, 1, 0, 80, 10, 0, 0, 1, 0])
                == .socksConnect(Destination(host: "10.0.0.1", port: 80), version: 4, consumed: 9))
        #expect(parse([4, 1, 0, 80, 0, 0, 0, 1, 0, 0x61]) == .incomplete)
        #expect(ProxyRequest.socksReply(.notAllowed, version: 4) == [0, 91, 0, 0, 0, 0, 0, 0])
        #expect(ProxyRequest.socksReply(.notAllowed, version: 5) == [5, 2, 0, 1, 0, 0, 0, 0, 0, 0])
    }
}
