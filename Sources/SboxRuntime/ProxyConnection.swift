import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// One client of the egress proxy, from its request to the end of its relay: read the request,
/// check the destination, resolve it, connect, answer, then copy both ways. Every step is
/// non-blocking; the proxy calls `serve` when poll says one of its descriptors is ready.
final class ProxyConnection {
    enum Stage {
        /// Reading the request (and SOCKS5's greeting first).
        case request
        case resolving(NameLookup)
        /// Connecting to `candidates[index]` on `upstream`.
        case connecting([IPAddress], index: Int)
        case relaying
        /// Sending what is left for the client (a refusal), then closing.
        case closing
        case done
    }

    let client: FileDescriptor
    private(set) var stage = Stage.request
    private var upstream: FileDescriptor?
    private var destination: Destination?
    private var kind = Kind.http
    /// From the client, not yet sent on: the request while it is read, then what came with it.
    private var fromClient: [UInt8] = []
    /// For the client: an answer (a refusal, CONNECT's 200, SOCKS's reply).
    private var toClient: [UInt8] = []
    /// Once connected, the bytes go through the kernel: the client's to the upstream, and back.
    private var up = Flow(), down = Flow()
    private var upstreamShutDown = false, clientShutDown = false
    /// When it ends if nothing happens (its request not read in time, or an idle relay).
    private(set) var deadline = timespec()
    private unowned let proxy: EgressProxy
    private var system: SystemCalls { proxy.system }

    private enum Kind {
        case http
        /// A CONNECT tunnel: 200 once connected.
        case tunnel
        case socks5Greeted
        case socks(version: UInt8)
    }

    static let requestSeconds = 30
    static let idleSeconds = 600
    static let pipeSize = 256 << 10

    /// One direction of the relay: spliced from its source into a pipe, and from the pipe on.
    struct Flow {
        var pipe: Pipe?
        var capacity = 0
        /// Bytes in the pipe, not yet sent on.
        var held = 0
        var sourceEnded = false
        /// The pipe refused more though its source had some: it is full (of small segments, a slot
        /// each, before its bytes are), until a drain moves something on.
        var blocked = false

        /// Whether it can take more from its source.
        var accepting: Bool { !sourceEnded && !blocked && held < capacity }
        var drained: Bool { held == 0 }
    }

    init(client: FileDescriptor, proxy: EgressProxy) {
        self.client = client
        self.proxy = proxy
        extend(by: Self.requestSeconds)
    }

    /// The four descriptors it may wait on: the client, the upstream, and the two name queries.
    func interests(_ fds: inout [pollfd]) {
        var clientEvents: Int32 = 0, upstreamEvents: Int32 = 0
        var queries: [FileDescriptor?] = [nil, nil]
        switch stage {
        case .request: clientEvents = POLLIN
        case .resolving(let lookup): queries = lookup.descriptors
        case .connecting: upstreamEvents = POLLOUT
        case .relaying:
            if up.accepting { clientEvents |= POLLIN }
            if !toClient.isEmpty || !down.drained { clientEvents |= POLLOUT }
            if down.accepting { upstreamEvents |= POLLIN }
            if !fromClient.isEmpty || !up.drained { upstreamEvents |= POLLOUT }
        case .closing: clientEvents = POLLOUT
        case .done: break
        }
        fds.append(pollfd(fd: clientEvents == 0 ? -1 : client, events: Int16(clientEvents), revents: 0))
        fds.append(pollfd(fd: upstreamEvents == 0 ? -1 : upstream ?? -1, events: Int16(upstreamEvents), revents: 0))
        for query in queries { fds.append(pollfd(fd: query ?? -1, events: Int16(POLLIN), revents: 0)) }
    }

    func serve(_ fds: ArraySlice<pollfd>, now: timespec) {
        let events = fds.map { Int32($0.revents) }
        // Its time is up: a request not read in time, a name or a connection that took too long, an idle relay.
        if now.tv_sec > deadline.tv_sec || now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec {
            return finish()
        }
        switch stage {
        case .request: if events[0] != 0 { readRequest() }
        case .resolving(var lookup):
            // An error (the server's port unreachable) is read as well: it moves to the next server.
            let ready = POLLIN | POLLERR | POLLHUP
            lookup.serve(readable: [events[2] & ready != 0, events[3] & ready != 0], now: now)
            stage = .resolving(lookup)
            if let addresses = lookup.result { resolved(addresses) }
        case .connecting(let candidates, let index): if events[1] != 0 { connected(candidates, index: index) }
        case .relaying: relay(client: events[0], upstream: events[1])
        case .closing: if events[0] != 0 { flushAndClose() }
        case .done: break
        }
    }

    var isDone: Bool { if case .done = stage { return true } else { return false } }

    /// Still waiting for its first byte: what sbox lets go first when it runs out of room.
    var isIdleRequest: Bool {
        guard case .request = stage else { return false }
        return fromClient.isEmpty
    }

    /// The descriptors it holds: the client, and the upstream, two name queries or two pipes.
    var descriptorCount: Int {
        switch stage {
        case .request, .closing: return 1
        case .resolving: return 3
        case .connecting: return 2
        case .relaying: return 6
        case .done: return 0
        }
    }

    // MARK: - The request

    private func readRequest() {
        guard receive(from: client, into: &fromClient, limit: ProxyRequest.headLimit + 1024) else {
            return finish()  // the client left before asking anything
        }
        let request = ProxyRequest.parse(fromClient[...], afterSocksGreeting: {
            if case .socks5Greeted = kind { return true } else { return false }
        }())
        switch request {
        case .incomplete: return
        case .socksGreeting(let acceptable, let consumed):
            fromClient.removeFirst(consumed)
            guard acceptable else { return refuse([5, 0xff]) }
            kind = .socks5Greeted
            toClient = [5, 0]
            flush()
            if !fromClient.isEmpty { readRequestAgain() }
        case .socksConnect(let destination, let version, let consumed):
            fromClient.removeFirst(consumed)
            kind = .socks(version: version)
            ask(destination)
        case .tunnel(let destination, let consumed):
            fromClient.removeFirst(consumed)
            kind = .tunnel
            ask(destination)
        case .forward(let destination, let head, let consumed):
            fromClient = head + fromClient.dropFirst(consumed)
            kind = .http
            ask(destination)
        case .invalid(let reason):
            proxy.malformed(reason)
            refuse(invalidAnswer(reason))
        }
    }

    /// The greeting and the request arrived together.
    private func readRequestAgain() {
        let request = ProxyRequest.parse(fromClient[...], afterSocksGreeting: true)
        guard case .socksConnect(let destination, let version, let consumed) = request else {
            if case .invalid(let reason) = request { proxy.malformed(reason); refuse(invalidAnswer(reason)) }
            return
        }
        fromClient.removeFirst(consumed)
        kind = .socks(version: version)
        ask(destination)
    }

    private func invalidAnswer(_ reason: String) -> [UInt8] {
        switch kind {
        case .socks5Greeted, .socks(version: 5): return ProxyRequest.socksReply(.commandNotSupported, version: 5)
        case .socks(let version): return ProxyRequest.socksReply(.generalFailure, version: version)
        // A SOCKS client refused at its first message gets SOCKS's answer, not HTTP's.
        case .http where fromClient.first == 5: return [5, 0xff]
        case .http where fromClient.first == 4: return ProxyRequest.socksReply(.generalFailure, version: 4)
        default:
            let status = reason.prefix(3).allSatisfy(\.isNumber) ? String(reason.prefix(3)) : "400"
            let text = reason.prefix(3).allSatisfy(\.isNumber) ? String(reason.dropFirst(4)) : reason
            return httpAnswer(status, status == "431" ? "Request Header Fields Too Large" : "Bad Request",
                              "sbox: \(text)\n")
        }
    }

    // MARK: - The destination

    private func ask(_ destination: Destination) {
        self.destination = destination
        guard proxy.policy.permits(destination) else {
            proxy.refused(destination, because: .notAllowed)
            return refuse(refusal(destination, "is not an allowed host"))
        }
        if let address = IPAddress(destination.host) { return resolved([address]) }
        let lookup = NameLookup(destination.host, files: proxy.files, system: system)
        if let result = lookup.result { return resolved(result) }
        stage = .resolving(lookup)
    }

    private func resolved(_ addresses: [IPAddress]) {
        guard let destination else { return finish() }
        if case .resolving(var lookup) = stage { lookup.closeSockets() }
        guard !addresses.isEmpty else {
            return refuse(failure(destination, "could not be resolved", socks: .hostUnreachable))
        }
        switch proxy.policy.reachable(addresses, for: destination, own: proxy.ownAddresses()) {
        case .failure(let refusal):
            proxy.refused(destination, because: refusal)
            if case .leadsInside(let address) = refusal {
                return refuse(self.refusal(destination, "leads to \(address), inside"))
            }
        case .success(let candidates):
            connect(candidates, index: 0)
        }
    }

    private func connect(_ candidates: [IPAddress], index: Int) {
        guard let destination else { return finish() }
        guard index < candidates.count else {
            return refuse(failure(destination, "refused the connection", socks: .connectionRefused))
        }
        switch system.connectStream(to: candidates[index], port: destination.port) {
        case .success(let fd):
            upstream = fd
            stage = .connecting(candidates, index: index)
        case .failure:
            connect(candidates, index: index + 1)
        }
    }

    private func connected(_ candidates: [IPAddress], index: Int) {
        guard let fd = upstream, let destination else { return finish() }
        guard system.connectionError(of: fd) == 0 else {
            system.close(fd)
            upstream = nil
            return connect(candidates, index: index + 1)
        }
        proxy.reached(destination)
        guard let upPipe = system.makeRelayPipe(size: Self.pipeSize) else {
            return refuse(failure(destination, "could not be relayed", socks: .generalFailure))
        }
        guard let downPipe = system.makeRelayPipe(size: Self.pipeSize) else {
            system.close(upPipe.pipe.read)
            system.close(upPipe.pipe.write)
            return refuse(failure(destination, "could not be relayed", socks: .generalFailure))
        }
        (up.pipe, up.capacity) = upPipe
        (down.pipe, down.capacity) = downPipe
        switch kind {
        case .tunnel: toClient = Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8)
        case .socks(let version): toClient = ProxyRequest.socksReply(.succeeded, version: version)
        default: break
        }
        stage = .relaying
        extend(by: Self.idleSeconds)
        flush()
    }

    // MARK: - Answers

    private func refusal(_ destination: Destination, _ why: String) -> [UInt8] {
        if case .socks(let version) = kind { return ProxyRequest.socksReply(.notAllowed, version: version) }
        return httpAnswer("403", "Forbidden",
                          "sbox: \(destination) \(why): the sandbox may reach only its allow-host lines\n")
    }

    private func failure(_ destination: Destination, _ why: String, socks: ProxyRequest.SocksReply) -> [UInt8] {
        if case .socks(let version) = kind { return ProxyRequest.socksReply(socks, version: version) }
        return httpAnswer("502", "Bad Gateway", "sbox: \(destination) \(why)\n")
    }

    private func httpAnswer(_ status: String, _ reason: String, _ body: String) -> [UInt8] {
        Array("""
            HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\
            Connection: close\r\n\r\n\(body)
            """.utf8)
    }

    /// Answers and closes.
    private func refuse(_ answer: [UInt8]) {
        toClient = answer
        stage = .closing
        extend(by: 5)
        flushAndClose()
    }

    private func flushAndClose() {
        flush()
        if toClient.isEmpty { finish() }
    }

    // MARK: - The relay

    private func relay(client clientEvents: Int32, upstream upstreamEvents: Int32) {
        guard let upstream, let upPipe = up.pipe, let downPipe = down.pipe else { return finish() }
        var moved = 0
        if clientEvents & (POLLIN | POLLHUP | POLLERR) != 0 {
            moved += Self.fill(&up, from: client, into: upPipe, system: system)
        }
        if upstreamEvents & (POLLIN | POLLHUP | POLLERR) != 0 {
            moved += Self.fill(&down, from: upstream, into: downPipe, system: system)
        }
        // What came before the relay (the request's head, early data; an answer) goes first.
        if !fromClient.isEmpty && !send(&fromClient, to: upstream) { return finish() }
        if !toClient.isEmpty && !send(&toClient, to: client) { return finish() }
        if fromClient.isEmpty {
            guard let count = Self.drain(&up, from: upPipe, to: upstream, system: system) else { return finish() }
            moved += count
        }
        if toClient.isEmpty {
            guard let count = Self.drain(&down, from: downPipe, to: client, system: system) else { return finish() }
            moved += count
        }
        // A side that ended gets the other's end once all it sent has gone on; the relay ends with both.
        let upDone = up.sourceEnded && up.drained && fromClient.isEmpty
        let downDone = down.sourceEnded && down.drained && toClient.isEmpty
        if upDone && !upstreamShutDown {
            system.shutDownWriting(upstream)
            upstreamShutDown = true
        }
        if downDone && !clientShutDown {
            system.shutDownWriting(client)
            clientShutDown = true
        }
        if upDone && downDone { return finish() }
        // Only bytes that moved keep it alive: a connection that only wakes sbox up ends when idle.
        if moved > 0 { extend(by: Self.idleSeconds) }
    }

    /// Moves what `source` has into the flow's pipe (poll said it has something); its end, or an
    /// error, ends the flow's source. The bytes moved.
    static func fill(_ flow: inout Flow, from source: FileDescriptor, into pipe: Pipe, system: ProxyCalls) -> Int {
        guard flow.accepting else { return 0 }
        switch system.splice(from: source, to: pipe.write, count: flow.capacity - flow.held) {
        case .moved(let count):
            flow.held += count
            return count
        case .ended, .failed:
            flow.sourceEnded = true
        case .wouldBlock where flow.held > 0:
            flow.blocked = true  // the source had bytes: the pipe is what is full
        case .wouldBlock:
            break
        }
        return 0
    }

    /// Sends on what the flow's pipe holds: the bytes moved, or nil when the destination is gone.
    static func drain(_ flow: inout Flow, from pipe: Pipe, to destination: FileDescriptor,
                      system: ProxyCalls) -> Int? {
        guard flow.held > 0 else { return 0 }
        switch system.splice(from: pipe.read, to: destination, count: flow.held) {
        case .moved(let count):
            flow.held -= count
            flow.blocked = false
            return count
        case .ended, .wouldBlock: return 0
        case .failed: return nil
        }
    }

    private func flush() {
        if !toClient.isEmpty && !send(&toClient, to: client) { finish() }
    }

    /// Appends what `fd` has (at most up to `limit` held); false at its end or on an error.
    private func receive(from fd: FileDescriptor, into buffer: inout [UInt8], limit: Int) -> Bool {
        let room = max(0, limit - buffer.count)
        guard room > 0 else { return true }
        let before = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: room))
        let received = buffer.withUnsafeMutableBytes {
            system.receive(from: fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[before...]))
        }
        buffer.removeLast(room - received.count)
        switch received {
        case .moved, .wouldBlock: return true
        case .ended, .failed: return false
        }
    }

    /// Sends what it can of `buffer`; false when the other side is gone.
    private func send(_ buffer: inout [UInt8], to fd: FileDescriptor) -> Bool {
        let sent = buffer.withUnsafeBytes { system.send(to: fd, from: $0) }
        buffer.removeFirst(sent.count)
        if case .failed = sent { return false }
        return true
    }

    private func extend(by seconds: Int) {
        deadline = system.monotonicTime()
        deadline.tv_sec += seconds
    }

    /// Closes both sides.
    func finish() {
        if case .done = stage { return }
        if case .resolving(var lookup) = stage { lookup.closeSockets() }
        system.close(client)
        if let upstream { system.close(upstream) }
        for pipe in [up.pipe, down.pipe] { if let pipe { system.close(pipe.read); system.close(pipe.write) } }
        upstream = nil
        up = Flow()
        down = Flow()
        stage = .done
    }
}
