@testable import SboxCore
import Testing

@Suite struct EgressPolicyTests {
    func policy(_ lines: String...) -> EgressPolicy {
        EgressPolicy(lines: lines.map { AllowHostLine(try! AllowedHost.parse($0).get(), origin: .commandLine("test")) })
    }

    @Test func aNameMustBeListedAndLeadOutside() {
        let policy = policy("pypi.org", "*.github.com:22")
        #expect(policy.permits(Destination(host: "pypi.org", port: 443)))
        #expect(!policy.permits(Destination(host: "pypi.org", port: 8080)))
        #expect(policy.permits(Destination(host: "ssh.github.com", port: 22))
                && !policy.permits(Destination(host: "github.com", port: 22)))
        let pypi = Destination(host: "pypi.org", port: 443)
        let global = IPAddress("151.101.0.223")!, inside = IPAddress("127.0.0.1")!, own = IPAddress("192.0.2.10")!
        #expect(policy.reachable([global], for: pypi, own: []) == .success([global]))
        // DNS rebinding or a hosts entry: a listed name that leads to the host's services is refused.
        #expect(policy.reachable([inside], for: pypi, own: []) == .failure(.leadsInside(inside)))
        #expect(policy.reachable([IPAddress("10.0.0.1")!], for: pypi, own: [])
                == .failure(.leadsInside(IPAddress("10.0.0.1")!)))
        #expect(policy.reachable([own], for: pypi, own: [own]) == .failure(.leadsInside(own)))
        #expect(policy.reachable([inside, global], for: pypi, own: []) == .success([global]))
        // Its own address carried in IPv6 forms is still its own; a mapped address is connected to over IPv4.
        for form in ["::ffff:192.0.2.10", "64:ff9b::c000:20a", "::192.0.2.10"] {
            #expect(policy.reachable([IPAddress(form)!], for: pypi, own: [own]) == .failure(.leadsInside(own)),
                    "\(form)")
        }
        #expect(policy.reachable([IPAddress("::ffff:151.101.0.223")!], for: pypi, own: []) == .success([global]))
    }

    @Test func anAddressListedItselfMayBeLocal() {
        let policy = policy("pkg.test:8080", "127.0.0.1:8080")
        let pkg = Destination(host: "pkg.test", port: 8080), local = IPAddress("127.0.0.1")!
        #expect(policy.reachable([local], for: pkg, own: []) == .success([local]))
        #expect(policy.reachable([local], for: Destination(host: "pkg.test", port: 8081), own: [])
                == .failure(.leadsInside(local)))
        #expect(policy.permits(Destination(host: "127.0.0.1", port: 8080))
                && !policy.permits(Destination(host: "127.0.0.2", port: 8080)))
    }

    @Test func theProgramIsToldWhereTheProxyIs() {
        let environment = policy("a.org").environment.map(\.description)
        #expect(environment.contains("https_proxy=http://127.0.0.1:3128")
                && environment.contains("ALL_PROXY=http://127.0.0.1:3128"))
        #expect(environment.contains("no_proxy=localhost,127.0.0.1,::1"))
    }
}
