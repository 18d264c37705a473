import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's only way out when allow-host lines are given: a proxy (HTTP and SOCKS) listening
/// on 127.0.0.1 in the sandbox's own network namespace, served by sbox's supervisor from outside.
/// The listener is made inside (by the worker) and handed over a unix socket; sbox accepts there and
/// connects out on the host's side, to what the policy allows. Single-threaded, in the supervisor's
/// poll loop; it ends with the sandbox.
final class EgressProxy: SupervisorService {
    let policy: EgressPolicy
    let files: ResolverFiles
    let system: SystemCalls
    /// Where the worker sends the listener; nil once it has.
    private var handoff: FileDescriptor?
    private var listener: FileDescriptor?
    private var connections: [ProxyConnection] = []
    /// Refused destinations with their reason, in order, and how many times each: the first
    /// `recordedLimit`; the others only counted (a program may ask for endless names).
    private(set) var refusals: [(destination: Destination, refusal: EgressPolicy.Refusal, count: Int)] = []
    private(set) var otherRefusals = 0
    /// Destinations reached, the first `recordedLimit` (sbox learn writes them as allow-host lines).
    private(set) var reachedDestinations: [Destination] = []
    private(set) var malformedRequests = 0
    static let recordedLimit = 100

    /// At most this many clients at once, the others waiting in the listener's queue.
    static let maximumConnections = 1024
    /// The descriptors the clients may hold: what sbox may open, less a reserve for itself. When it
    /// runs out, the oldest client that has not said anything yet makes room for a new one.
    private(set) var descriptorBudget = 1024 - 64

    init(policy: EgressPolicy, handoff: FileDescriptor, system: SystemCalls) {
        self.policy = policy
        self.handoff = handoff
        self.system = system
        files = ResolverFiles.read(policy, system: system)
        // As many descriptors as the hard limit allows (the sandbox keeps its own limits).
        if let limit = system.raiseDescriptorLimit() { descriptorBudget = max(64, limit - 64) }
    }

    /// The host's own addresses now (an interface may have come or gone since the last client).
    func ownAddresses() -> Set<IPAddress> { Set(system.hostAddresses().map(\.canonical)) }

    func interests(_ fds: inout [pollfd]) {
        fds.append(pollfd(fd: handoff ?? -1, events: Int16(POLLIN), revents: 0))
        // Accepting only where there is room, or an idle client to let go: else poll would wake at once.
        let accepting = hasRoom(used: descriptorsUsed) || connections.contains(where: \.isIdleRequest)
        fds.append(pollfd(fd: accepting ? listener ?? -1 : -1, events: Int16(POLLIN), revents: 0))
        for connection in connections { connection.interests(&fds) }
    }

    func serve(_ fds: ArraySlice<pollfd>) {
        let now = system.monotonicTime()
        let base = fds.startIndex
        if fds[base].revents != 0 { takeListener() }
        // Each connection's four descriptors, in the order of `interests`: handle them before accepting.
        var index = base + 2
        for connection in connections {
            connection.serve(fds[index..<(index + 4)], now: now)
            index += 4
        }
        connections.removeAll { $0.isDone }
        if fds[base + 1].revents & Int16(POLLIN) != 0 { accept() }
    }

    var wakeAfter: Int32? {
        guard !connections.isEmpty else { return nil }
        let now = system.monotonicTime()
        var earliest = Int.max
        for connection in connections {
            var deadline = connection.deadline
            if case .resolving(let lookup) = connection.stage, lookup.deadline.tv_sec < deadline.tv_sec {
                deadline = lookup.deadline
            }
            earliest = min(earliest,
                           (deadline.tv_sec - now.tv_sec) * 1000 + (deadline.tv_nsec - now.tv_nsec) / 1_000_000)
        }
        return Int32(clamping: max(0, earliest))
    }

    private var descriptorsUsed: Int { connections.reduce(0) { $0 + $1.descriptorCount } }

    /// Room for one more client, to be relayed (six descriptors), beside clients that hold `used`.
    private func hasRoom(used: Int) -> Bool {
        connections.count < Self.maximumConnections && used + 6 <= descriptorBudget
    }

    private func takeListener() {
        guard let handoff else { return }
        listener = system.receiveDescriptor(over: handoff)
        system.close(handoff)
        self.handoff = nil
    }

    private func accept() {
        guard let listener else { return }
        var used = descriptorsUsed
        while true {
            // Room for the newcomer: else an idle one goes (a flood of silent clients does not keep
            // others out), or it waits in the queue.
            if !hasRoom(used: used) {
                guard let idle = connections.firstIndex(where: \.isIdleRequest) else { return }
                connections[idle].finish()
                connections.remove(at: idle)
                used -= 1
            }
            guard let client = system.acceptClient(on: listener) else { return }
            connections.append(ProxyConnection(client: client, proxy: self))
            used += 1
        }
    }

    // MARK: - What the connections report

    func refused(_ destination: Destination, because refusal: EgressPolicy.Refusal) {
        if let index = refusals.firstIndex(where: { $0.destination == destination && $0.refusal == refusal }) {
            refusals[index].count += 1
        } else if refusals.count < Self.recordedLimit {
            refusals.append((destination, refusal, 1))
        } else {
            otherRefusals += 1
        }
    }

    func reached(_ destination: Destination) {
        if reachedDestinations.count < Self.recordedLimit && !reachedDestinations.contains(destination) {
            reachedDestinations.append(destination)
        }
    }

    func malformed(_ reason: String) { malformedRequests += 1 }

    /// What sbox says at exit: one line of the refused destinations; with `verbose`, one per refusal.
    func summary(verbose: Bool) -> [String] {
        guard !refusals.isEmpty else { return [] }
        if verbose {
            return refusals.map { entry in
                let why: String
                switch entry.refusal {
                case .notAllowed: why = "no allow-host line names it"
                case .leadsInside(let address): why = "it leads to \(address), which no allow-host line names"
                }
                return "network: refused \(entry.destination) (\(times(entry.count))): \(why)"
            } + (otherRefusals > 0 ? ["network: refused \(otherRefusals) more requests to other destinations"] : [])
        }
        let shown = refusals.prefix(5).map { "\($0.destination) (\(times($0.count)))" }
        let hidden = max(0, refusals.count - 5)
        var more = hidden > 0 ? " and \(hidden) more (--verbose lists them)" : ""
        if otherRefusals > 0 { more += "; \(otherRefusals) more requests to destinations not recorded" }
        return ["network: refused " + shown.joined(separator: ", ") + more]
    }

    private func times(_ count: Int) -> String { count == 1 ? "once" : "\(count) times" }

    /// Closes every connection and the listener: the sandbox has ended.
    func shutDown() {
        for connection in connections { connection.finish() }
        connections = []
        if let listener { system.close(listener) }
        if let handoff { system.close(handoff) }
        listener = nil
        handoff = nil
    }
}
