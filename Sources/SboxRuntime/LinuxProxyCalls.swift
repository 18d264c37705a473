import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The real system calls of the egress proxy.
extension LinuxSystemCalls {
    public func receiveDescriptor(over socket: FileDescriptor) -> FileDescriptor? {
        let fd = sbox_receive_descriptor(socket)
        return fd >= 0 ? fd : nil
    }

    public func acceptClient(on listener: FileDescriptor) -> FileDescriptor? {
        let fd = sbox_accept(listener)
        return fd >= 0 ? fd : nil
    }

    public func connectStream(to address: IPAddress, port: UInt16) -> Result<FileDescriptor, SystemError> {
        Sockets.connect(to: address, port: port)
    }

    public func connectionError(of socket: FileDescriptor) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length) == 0 ? error : errno
    }

    public func connectDatagram(to address: IPAddress, port: UInt16) -> FileDescriptor? {
        Sockets.datagram(to: address, port: port)
    }

    public func hostAddresses() -> Set<IPAddress> { Sockets.hostAddresses() }

    public func receive(from socket: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) -> Transfer {
        Transfer(Glibc.recv(socket, buffer.baseAddress, buffer.count, 0))
    }

    public func send(to socket: FileDescriptor, from buffer: UnsafeRawBufferPointer) -> Transfer {
        Transfer(Glibc.send(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)))
    }

    public func makeRelayPipe(size: Int) -> (pipe: Pipe, size: Int)? {
        var ends: [Int32] = [-1, -1]
        let granted = sbox_relay_pipe(&ends, Int32(clamping: size))
        guard granted > 0 else {
            for end in ends where end >= 0 { Glibc.close(end) }
            return nil
        }
        return (Pipe(read: ends[0], write: ends[1]), Int(granted))
    }

    public func splice(from source: FileDescriptor, to destination: FileDescriptor, count: Int) -> Transfer {
        Transfer(sbox_splice(source, destination, UInt(count)))
    }

    public func shutDownWriting(_ socket: FileDescriptor) { _ = shutdown(socket, Int32(SHUT_WR)) }

    public func raiseDescriptorLimit() -> Int? {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            if setrlimit(resource, &limit) != 0 { _ = getrlimit(resource, &limit) }
        }
        return Int(clamping: limit.rlim_cur)
    }
}

/// The sockets behind them: TCP and UDP, non-blocking and close-on-exec, with IPAddress for the
/// addresses.
enum Sockets {
    static let nonBlocking = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)

    /// `address` and `port` as the kernel takes them.
    static func withAddress<Result>(_ address: IPAddress, port: UInt16,
                                    _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        if address.isIPv4 {
            var ipv4 = sockaddr_in()
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &ipv4.sin_addr) { $0.copyBytes(from: address.bytes) }
            return asSocketAddress(&ipv4, body)
        }
        var ipv6 = sockaddr_in6()
        ipv6.sin6_family = sa_family_t(AF_INET6)
        ipv6.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &ipv6.sin6_addr) { $0.copyBytes(from: address.bytes) }
        return asSocketAddress(&ipv6, body)
    }

    /// A sockaddr_in or sockaddr_in6 as the generic sockaddr the calls take, with its size.
    private static func asSocketAddress<Address, Result>(
        _ address: inout Address, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    /// A socket listening on 127.0.0.1:`port`, in the calling process's network namespace.
    static func listenOnLoopback(port: UInt16) throws(SystemError) -> FileDescriptor {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | nonBlocking, 0)
        guard fd >= 0 else { throw SystemError("socket", errno: errno) }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withAddress(IPAddress(bytes: [127, 0, 0, 1])!, port: port) { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, 1024) == 0 else {
            let error = SystemError("listening on 127.0.0.1:\(port)", errno: errno)
            close(fd)
            throw error
        }
        return fd
    }

    /// A non-blocking TCP connection to `address`:`port` under way: its descriptor, or the errno.
    static func connect(to address: IPAddress, port: UInt16) -> Result<FileDescriptor, SystemError> {
        let fd = socket(address.isIPv4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | nonBlocking, 0)
        guard fd >= 0 else { return .failure(SystemError("socket", errno: errno)) }
        let started = withAddress(address, port: port) { Glibc.connect(fd, $0, $1) }
        if started == 0 || errno == EINPROGRESS { return .success(fd) }
        let error = SystemError("connecting to \(address)", errno: errno)
        close(fd)
        return .failure(error)
    }

    /// A UDP socket connected to `address`:`port` (a name server), or nil.
    static func datagram(to address: IPAddress, port: UInt16) -> FileDescriptor? {
        let fd = socket(address.isIPv4 ? AF_INET : AF_INET6, Int32(SOCK_DGRAM.rawValue) | nonBlocking, 0)
        guard fd >= 0 else { return nil }
        guard withAddress(address, port: port, { Glibc.connect(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// The host's own addresses, on every interface: a name may not lead the proxy to them.
    static func hostAddresses() -> Set<IPAddress> {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var addresses = Set<IPAddress>()
        var entry = first
        while let current = entry {
            if let address = current.pointee.ifa_addr.flatMap(ipAddress) { addresses.insert(address) }
            entry = current.pointee.ifa_next
        }
        return addresses
    }

    private static func ipAddress(_ address: UnsafeMutablePointer<sockaddr>) -> IPAddress? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { IPAddress(bytes: Array($0)) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { IPAddress(bytes: Array($0)) }
            }
        default:
            return nil
        }
    }
}
