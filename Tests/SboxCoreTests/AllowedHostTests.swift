@testable import SboxCore
import Testing

@Suite struct IPAddressTests {
    @Test func literalsAreReadStrictly() {
        #expect(IPAddress("127.0.0.1")?.bytes == [127, 0, 0, 1])
        #expect(IPAddress("::1")?.bytes == [UInt8](repeating: 0, count: 15) + [1])
        #expect(IPAddress("2001:db8::8:800:200c:417a")?.description == "2001:db8::8:800:200c:417a")
        #expect(IPAddress("::ffff:10.0.0.1")?.scope == .privateNetwork)
        for bad in ["1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4 ", "example.org", "1::2::3", ":::",
                    "fe80::1%eth0", "12345::", "1:2:3:4:5:6:7:8:9", "", "0x7f.0.0.1", "١.٢.٣.٤"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func scopesKeepNamesAwayFromTheHostsServices() {
        let cases: [(String, IPAddress.Scope)] = [
            ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("::1", .loopback), ("::ffff:127.0.0.1", .loopback),
            ("64:ff9b::7f00:1", .loopback), ("0.0.0.0", .unspecified), ("::", .unspecified),
            ("10.1.2.3", .privateNetwork), ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork),
            ("172.32.0.1", .global), ("192.168.1.1", .privateNetwork), ("100.64.0.1", .privateNetwork),
            ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal), ("fd00::1", .privateNetwork),
            ("224.0.0.1", .multicast), ("255.255.255.255", .multicast),
            ("ff02::1", .multicast), ("93.184.216.34", .global), ("2606:2800:220:1:248:1893:25c8:1946", .global),
            ("::7f00:1", .loopback), ("::ffff:0:7f00:1", .privateNetwork), ("64:ff9b:1::1", .privateNetwork),
            ("2002:7f00:1::", .privateNetwork), ("2001:0:4136:e378::1", .privateNetwork),
            ("198.18.0.1", .privateNetwork),
            ("192.0.0.8", .privateNetwork),
        ]
        for (text, scope) in cases { #expect(IPAddress(text)?.scope == scope, "\(text)") }
    }
}

@Suite struct AllowedHostTests {
    func parse(_ text: String) -> AllowedHost? { try? AllowedHost.parse(text).get() }

    @Test func namesWildcardsAndAddressesWithTheirPorts() {
        #expect(parse("PyPI.org")?.host == .name("pypi.org"))
        #expect(parse("pypi.org")?.ports == [443, 80])
        #expect(parse("pypi.org:8080")?.ports == [8080])
        #expect(parse("*.github.com")?.host == .beneath("github.com"))
        #expect(parse("*")?.host == .anyName)
        #expect(parse("127.0.0.1:8000")?.host == .address(IPAddress("127.0.0.1")!))
        #expect(parse("[::1]:8000")?.ports == [8000])
        #expect(parse("::1")?.host == .address(IPAddress("::1")!))
        #expect(parse("example.org.")?.host == .name("example.org"))
        #expect(parse("*.example.org.")?.host == .beneath("example.org"))
    }

    @Test func whatIsNotAHostSaysWhy() {
        for bad in ["", ":443", "a..b", "-a.org", "a b.org", "a.org:0", "a.org:65536", "a.org:http", "[::1",
                    "[1.2.3.4]:80", "*.", "a/b", "*.*.org", "a.org:443:1", "é.org"] {
            #expect(parse(bad) == nil, "\(bad)")
        }
        guard case .failure(let error) = AllowedHost.parse("a.org:99999") else { Issue.record("accepted"); return }
        #expect(error.message == "'99999' is not a port (1 to 65535)")
    }

    @Test func whatALineAllows() throws {
        let github = try #require(parse("*.github.com"))
        #expect(github.allows(name: "api.github.com", port: 443) && github.allows(name: "a.b.github.com", port: 80))
        #expect(!github.allows(name: "github.com", port: 443) && !github.allows(name: "evilgithub.com", port: 443))
        #expect(!github.allows(name: "api.github.com", port: 22))
        let exact = try #require(parse("pypi.org:8443"))
        #expect(exact.allows(name: "pypi.org", port: 8443) && !exact.allows(name: "pypi.org", port: 443))
        let any = try #require(parse("*"))
        #expect(any.allows(name: "anything.example", port: 443) && !any.allows(name: "10.0.0.1", port: 443))
        let anyHTTPS = try #require(parse("*:443"))
        #expect(any.allows(name: "anything.example", port: 8080) && !anyHTTPS.allows(name: "a.org", port: 80))
        let local = try #require(parse("127.0.0.1:8000"))
        #expect(local.allows(name: "127.0.0.1", port: 8000) && local.names(IPAddress("127.0.0.1")!, port: 8000))
        #expect(!local.names(IPAddress("127.0.0.1")!, port: 8001) && !exact.names(IPAddress("127.0.0.1")!, port: 8443))
    }

    @Test func linesAreWrittenAsTheyAreRead() throws {
        for text in ["pypi.org", "pypi.org:8080", "*.github.com", "*", "*:8080", "127.0.0.1:8000", "[::1]:8000", "::1",
                     "10.0.0.1"] {
            #expect(try #require(parse(text)).description == text)
        }
    }
}
