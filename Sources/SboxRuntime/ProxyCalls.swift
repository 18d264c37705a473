import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The system calls of the egress proxy, which the supervisor serves while the sandbox runs: its
/// clients, the connections out, the name queries and the relay. Part of the one seam (`SystemCalls`
/// refines it), so that the recording double can play a client and the network.
public protocol ProxyCalls: AnyObject {
    /// The listening socket the worker sent over `socket`, or nil.
    func receiveDescriptor(over socket: FileDescriptor) -> FileDescriptor?
    /// accept4, non-blocking and closed on exec: the next client, or nil when none is waiting.
    func acceptClient(on listener: FileDescriptor) -> FileDescriptor?
    /// A non-blocking TCP connection to `address`:`port` under way: its descriptor, or the error.
    func connectStream(to address: IPAddress, port: UInt16) -> Result<FileDescriptor, SystemError>
    /// The error of a connection under way, once poll says it is writable (0: connected).
    func connectionError(of socket: FileDescriptor) -> Int32
    /// A UDP socket connected to `address`:`port` (a name server), or nil.
    func connectDatagram(to address: IPAddress, port: UInt16) -> FileDescriptor?
    /// The host's own addresses, on every interface: a name may not lead the proxy to them.
    func hostAddresses() -> Set<IPAddress>
    /// recv(2) of what `socket` has, at most `buffer.count` bytes.
    func receive(from socket: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) -> Transfer
    /// send(2) without SIGPIPE: what of `buffer` the socket took.
    func send(to socket: FileDescriptor, from buffer: UnsafeRawBufferPointer) -> Transfer
    /// A non-blocking pipe for one direction of a relay, of about `size` bytes, and its real size.
    func makeRelayPipe(size: Int) -> (pipe: Pipe, size: Int)?
    /// splice(2), non-blocking: at most `count` bytes from `source` to `destination`.
    func splice(from source: FileDescriptor, to destination: FileDescriptor, count: Int) -> Transfer
    /// shutdown(SHUT_WR): the other side reads its end.
    func shutDownWriting(_ socket: FileDescriptor)
    /// Raises the soft limit of open descriptors to the hard one: the limit now, or nil if unknown.
    func raiseDescriptorLimit() -> Int?
}

/// What a non-blocking read, write or splice did.
public enum Transfer: Equatable, Sendable {
    /// Some bytes (more than none).
    case moved(Int)
    /// The other side ended (a read of 0).
    case ended
    /// Nothing now (EAGAIN or EINTR): poll again.
    case wouldBlock
    /// Another errno: the descriptor is of no more use.
    case failed(Int32)

    /// A system call's result, with errno read at once.
    init(_ count: Int) {
        if count > 0 {
            self = .moved(count)
        } else if count == 0 {
            self = .ended
        } else {
            self = errno == EAGAIN || errno == EINTR ? .wouldBlock : .failed(errno)
        }
    }

    /// The bytes moved (none unless `.moved`).
    public var count: Int { if case .moved(let count) = self { count } else { 0 } }
}
