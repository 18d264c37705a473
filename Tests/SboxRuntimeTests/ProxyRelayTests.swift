@testable import SboxRuntime
import CSbox
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The proxy's relay through a pipe, on real descriptors.
@Suite struct ProxyRelayTests {
    @Test func aPipeFullOfSmallSegmentsStopsTheReadsUntilADrainMovesSomething() throws {
        var source: [Int32] = [-1, -1], destination: [Int32] = [-1, -1], ends: [Int32] = [-1, -1]
        #expect(sbox_socketpair_cloexec(&source) == 0 && sbox_socketpair_cloexec(&destination) == 0)
        // One page: a pipe of one slot, which a single one-byte segment fills.
        let size = sbox_relay_pipe(&ends, 4096)
        #expect(size == 4096)
        defer { for fd in source + destination + ends { close(fd) } }
        for _ in 0..<3 { var byte: UInt8 = 0x79; #expect(write(source[1], &byte, 1) == 1) }
        var flow = ProxyConnection.Flow(pipe: Pipe(read: ends[0], write: ends[1]), capacity: Int(size))
        #expect(ProxyConnection.fill(&flow, from: source[0], into: flow.pipe!) == 1)
        // The source has more, the pipe has room for bytes but not for another segment: no spin on it.
        #expect(ProxyConnection.fill(&flow, from: source[0], into: flow.pipe!) == 0)
        #expect(flow.blocked && !flow.accepting && !flow.sourceEnded)
        #expect(ProxyConnection.drain(&flow, from: flow.pipe!, to: destination[1]) == 1)
        #expect(!flow.blocked && flow.accepting && flow.held == 0)
    }
}
