@testable import SboxRuntime
import CSbox
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The proxy's relay through a pipe, on real descriptors.
@Suite struct ProxyRelayTests {
    @Test func aPipeFullOfSmallSegmentsStopsTheReadsUntilADrainMovesSomething() throws {
        let system = LinuxSystemCalls()
        var source: [Int32] = [-1, -1], destination: [Int32] = [-1, -1]
        #expect(sbox_socketpair_cloexec(&source) == 0 && sbox_socketpair_cloexec(&destination) == 0)
        // One page: a pipe of one slot, which a single one-byte segment fills.
        let relay = try #require(system.makeRelayPipe(size: 4096))
        #expect(relay.size == 4096)
        defer { for fd in source + destination + [relay.pipe.read, relay.pipe.write] { close(fd) } }
        for _ in 0..<3 { var byte: UInt8 = 0x79; #expect(write(source[1], &byte, 1) == 1) }
        var flow = ProxyConnection.Flow(pipe: relay.pipe, capacity: relay.size)
        #expect(ProxyConnection.fill(&flow, from: source[0], into: relay.pipe, system: system) == 1)
        // The source has more, the pipe has room for bytes but not for another segment: no spin on it.
        #expect(ProxyConnection.fill(&flow, from: source[0], into: relay.pipe, system: system) == 0)
        #expect(flow.blocked && !flow.accepting && !flow.sourceEnded)
        #expect(ProxyConnection.drain(&flow, from: relay.pipe, to: destination[1], system: system) == 1)
        #expect(!flow.blocked && flow.accepting && flow.held == 0)
    }
}
