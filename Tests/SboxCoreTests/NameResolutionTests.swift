@testable import SboxCore
import Testing

@Suite struct NameResolutionTests {
    @Test func hostsAndResolvConfAsTheResolverReadsThem() {
        let hosts = Array(("127.0.0.1 localhost\n# 10.0.0.1 commented\n192.0.2.7\tPkg.Test  mirror.test # comment\n"
                           + "::1 localhost ip6-localhost\nbad line\n").utf8)
        #expect(NameResolution.hosts(hosts, name: "pkg.test") == [IPAddress("192.0.2.7")!])
        #expect(NameResolution.hosts(hosts, name: "mirror.test") == [IPAddress("192.0.2.7")!])
        #expect(NameResolution.hosts(hosts, name: "localhost") == [IPAddress("127.0.0.1")!, IPAddress("::1")!])
        #expect(NameResolution.hosts(hosts, name: "commented").isEmpty)
        let resolv = Array(("search example\nnameserver 127.0.0.53\nnameserver ::1\nnameserver 1.1.1.1\n"
                            + "nameserver 8.8.8.8\noptions edns0\n").utf8)
        #expect(NameResolution.nameServers(resolv) == ["127.0.0.53", "::1", "1.1.1.1"].map { IPAddress($0)! })
    }

    @Test func aQueryAndItsAnswer() {
        let query = NameResolution.query("a.example.org", ipv6: false, id: 0x1234)
        #expect(query == [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61, 7] + Array("example".utf8) + [3]
                         + Array("org".utf8) + [0, 0, 1, 0, 1])
        // The question echoed, a CNAME, then an A record, both names compressed.
        var response: [UInt8] = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 0] + Array(query[12...])
        response += [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 14]
        response += [0xc0, 14, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, 184, 216, 34]
        #expect(NameResolution.answer(response, id: 0x1234, ipv6: false) == .addresses([IPAddress("93.184.216.34")!]))
        #expect(NameResolution.answer(response, id: 0x1235, ipv6: false) == .unrelated)
        var missing = response
        missing[3] = 0x83
        #expect(NameResolution.answer(missing, id: 0x1234, ipv6: false) == .noSuchName)
        #expect(NameResolution.answer(Array(response.prefix(40)), id: 0x1234, ipv6: false) == .failure)
        var truncated = response
        truncated[2] |= 0x02
        #expect(NameResolution.answer(truncated, id: 0x1234, ipv6: false) == .failure)
    }
}
