import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The files sbox resolves names with, read once when the proxy starts.
struct ResolverFiles {
    let hosts: [UInt8]
    let nameServers: [IPAddress]

    static func read(_ policy: EgressPolicy, system: SystemCalls) -> ResolverFiles {
        let hosts = system.readFile(policy.hostsFile, limit: 1 << 20) ?? []
        let resolv = system.readFile(policy.resolverFile, limit: 1 << 16) ?? []
        return ResolverFiles(hosts: hosts, nameServers: NameResolution.nameServers(resolv))
    }
}

/// One name being resolved for a connection: the hosts file first, then its A and AAAA records
/// from each name server in turn (two seconds each), over UDP.
struct NameLookup {
    let name: String
    private let system: SystemCalls
    private let servers: [IPAddress]
    private var server = 0
    private var sockets: [FileDescriptor?] = [nil, nil]
    private var ids: [UInt16] = [0, 0]
    private var answers: [[IPAddress]?] = [nil, nil]
    private(set) var deadline = timespec()
    /// The addresses once known (empty: the name has none).
    private(set) var result: [IPAddress]?

    static let secondsPerServer = 2

    init(_ name: String, files: ResolverFiles, system: SystemCalls) {
        self.name = name
        self.system = system
        servers = files.nameServers
        let listed = NameResolution.hosts(files.hosts, name: name)
        if !listed.isEmpty {
            result = listed
        } else {
            ask()
        }
    }

    /// The descriptors to wait on: the A and AAAA queries' sockets.
    var descriptors: [FileDescriptor?] { sockets }

    /// Reads what arrived on the query sockets (`readable[i]`), and moves on at the deadline.
    mutating func serve(readable: [Bool], now: timespec) {
        for index in 0..<2 where readable[index] {
            guard let socket = sockets[index] else { continue }
            var buffer = [UInt8](repeating: 0, count: 1500)
            let received = buffer.withUnsafeMutableBytes { system.receive(from: socket, into: $0) }
            if case .failed = received {
                nextServer()  // nothing listens there, or it cannot be reached
                return
            }
            guard case .moved(let count) = received else { continue }
            switch NameResolution.answer(Array(buffer[..<count]), id: ids[index], ipv6: index == 1) {
            case .addresses(let addresses): answers[index] = addresses
            case .noSuchName: answers[index] = []
            case .failure: answers[index] = nil; nextServer(); return
            case .unrelated: continue
            }
            system.close(socket)
            sockets[index] = nil
        }
        if let a = answers[0], let aaaa = answers[1] {
            result = a + aaaa
        } else if now.tv_sec > deadline.tv_sec || now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec {
            nextServer()
        }
    }

    private mutating func nextServer() {
        closeSockets()
        server += 1
        ask()
    }

    /// Sends both queries to the current server, or gives up when there is none left.
    private mutating func ask() {
        answers = [nil, nil]
        guard server < servers.count else {
            result = []
            return
        }
        for index in 0..<2 {
            ids[index] = UInt16.random(in: 0...UInt16.max)
            let query = NameResolution.query(name, ipv6: index == 1, id: ids[index])
            guard let socket = system.connectDatagram(to: servers[server], port: 53) else {
                answers[index] = []
                continue
            }
            if query.withUnsafeBytes({ system.send(to: socket, from: $0) }) == .moved(query.count) {
                sockets[index] = socket
            } else {
                system.close(socket)  // a query that could not be sent gets no answer
                answers[index] = []
            }
        }
        guard sockets[0] != nil || sockets[1] != nil else {
            server += 1  // nothing could be sent to this one
            return ask()
        }
        deadline = system.monotonicTime()
        deadline.tv_sec += Self.secondsPerServer
    }

    mutating func closeSockets() {
        for index in 0..<2 {
            if let socket = sockets[index] { system.close(socket) }
            sockets[index] = nil
        }
    }
}
