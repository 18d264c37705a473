@testable import SboxRuntime
import SboxCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The egress proxy through the recording double: a client asks, the policy decides, and what
/// the proxy answers and whom it connects to are observed.
@Suite struct ProxyTests {
    static let handoff: FileDescriptor = 60
    static let client: FileDescriptor = 70

    /// A proxy for `allowed` (allow-host lines) with the listener taken and one client accepted
    /// that has sent `request`.
    func proxy(allowing allowed: [String], hosts: String = "", resolver: String = "",
               request: String, system: RecordingSystemCalls) throws -> EgressProxy {
        let lines = try allowed.map { line in
            AllowHostLine(try AllowedHost.parse(line).get(), origin: .commandLine("--allow-host \(line)"))
        }
        system.hostFileContents = ["/etc/hosts": Array(hosts.utf8), "/etc/resolv.conf": Array(resolver.utf8)]
        let proxy = EgressProxy(policy: EgressPolicy(lines: lines), handoff: Self.handoff, system: system)
        round(proxy, ready: [Self.handoff])
        system.clientsToCome = [Self.client]
        round(proxy, ready: [RecordingSystemCalls.proxyListener])
        system.incoming[Self.client] = Array(request.utf8)
        round(proxy, ready: [Self.client])
        return proxy
    }

    /// One turn of the supervisor's loop, where poll found `ready` readable and writable.
    func round(_ proxy: EgressProxy, ready: [FileDescriptor]) {
        var fds: [pollfd] = []
        proxy.interests(&fds)
        for index in fds.indices where ready.contains(fds[index].fd) { fds[index].revents = fds[index].events }
        proxy.serve(fds[...])
    }

    func answer(_ system: RecordingSystemCalls) -> String {
        String(decoding: system.sent[Self.client] ?? [], as: UTF8.self)
    }

    @Test func aHostNoLineAllowsIsRefusedAndNeverConnected() throws {
        let system = RecordingSystemCalls()
        let proxy = try proxy(allowing: ["example.org:443"], hosts: "192.0.2.7 evil.example\n",
                              request: "CONNECT evil.example:443 HTTP/1.1\r\n\r\n", system: system)
        #expect(answer(system).hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(answer(system).contains("sbox: evil.example:443 is not an allowed host"))
        #expect(!system.log.contains { $0.hasPrefix("connect") })
        #expect(proxy.refusals.map(\.destination) == [Destination(host: "evil.example", port: 443)])
        #expect(system.closed.contains(Self.client))
    }

    @Test func anAllowedNameIsConnectedAtItsAddressAndTheTunnelOpens() throws {
        let system = RecordingSystemCalls()
        let proxy = try proxy(allowing: ["example.org:443"], hosts: "192.0.2.7 example.org\n",
                              request: "CONNECT example.org:443 HTTP/1.1\r\n\r\n", system: system)
        #expect(system.log.filter { $0.hasPrefix("connect") } == ["connect 192.0.2.7:443"])
        #expect(answer(system).isEmpty)  // not before the connection is made
        round(proxy, ready: [RecordingSystemCalls.firstUpstream])
        #expect(answer(system) == "HTTP/1.1 200 Connection established\r\n\r\n")
        #expect(proxy.reachedDestinations == [Destination(host: "example.org", port: 443)])
        #expect(proxy.refusals.isEmpty)
    }

    @Test func aRefusedConnectionMovesToTheNextAddressAndTheLastOneEndsInABadGateway() throws {
        let system = RecordingSystemCalls()
        system.refusingAddresses = [IPAddress("192.0.2.7")!, IPAddress("192.0.2.8")!]
        let proxy = try proxy(allowing: ["example.org:443"], hosts: "192.0.2.7 example.org\n192.0.2.8 example.org\n",
                              request: "CONNECT example.org:443 HTTP/1.1\r\n\r\n", system: system)
        round(proxy, ready: [RecordingSystemCalls.firstUpstream])
        #expect(system.log.filter { $0.hasPrefix("connect") } == ["connect 192.0.2.7:443", "connect 192.0.2.8:443"])
        #expect(system.closed.contains(RecordingSystemCalls.firstUpstream))
        round(proxy, ready: [RecordingSystemCalls.firstUpstream + 1])
        #expect(answer(system).hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"))
        #expect(answer(system).contains("sbox: example.org:443 refused the connection"))
        #expect(proxy.reachedDestinations.isEmpty)
    }

    @Test func anAllowedNameThatLeadsToTheHostItselfIsRefused() throws {
        let system = RecordingSystemCalls()
        system.ownAddresses = [IPAddress("198.51.100.9")!]
        let proxy = try proxy(allowing: ["example.org"], hosts: "198.51.100.9 example.org\n",
                              request: "GET http://example.org/ HTTP/1.1\r\nHost: example.org\r\n\r\n",
                              system: system)
        #expect(answer(system).hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(answer(system).contains("example.org:80 leads to 198.51.100.9, inside"))
        #expect(!system.log.contains { $0.hasPrefix("connect") })
        #expect(proxy.refusals.map(\.refusal) == [.leadsInside(IPAddress("198.51.100.9")!)])
    }

    @Test func aNameNoServerCanBeAskedAboutIsNotResolved() throws {
        let system = RecordingSystemCalls()
        _ = try proxy(allowing: ["example.org"], resolver: "nameserver 192.0.2.53\nnameserver 192.0.2.54\n",
                      request: "CONNECT example.org:443 HTTP/1.1\r\n\r\n", system: system)
        // Both queries (A and AAAA) to each server in turn; none could be sent.
        #expect(system.log.filter { $0.hasPrefix("datagram") }
                    == ["datagram 192.0.2.53:53", "datagram 192.0.2.53:53", "datagram 192.0.2.54:53",
                        "datagram 192.0.2.54:53"])
        #expect(answer(system).hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"))
        #expect(answer(system).contains("sbox: example.org:443 could not be resolved"))
        #expect(!system.log.contains { $0.hasPrefix("connect") })
    }

    @Test func aQuerySocketThatTakesNoQueryIsClosed() throws {
        let system = RecordingSystemCalls()
        system.serversThatTakeNoQuery = [IPAddress("192.0.2.53")!]
        _ = try proxy(allowing: ["example.org"], resolver: "nameserver 192.0.2.53\n",
                      request: "CONNECT example.org:443 HTTP/1.1\r\n\r\n", system: system)
        #expect(system.querySockets == [400, 401])
        #expect(system.querySockets.isSubset(of: Set(system.closed)))
        #expect(answer(system).hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"))
    }
}
