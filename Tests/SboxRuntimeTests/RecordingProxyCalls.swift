@testable import SboxRuntime
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The double's network, for the egress proxy: clients arrive as scripted, what they send is read
/// from `incoming`, what the proxy sends is kept in `sent`, and connections out are logged.
extension RecordingSystemCalls {
    /// The listener the worker hands over, and the first descriptor of a connection out.
    static let proxyListener: FileDescriptor = 61
    static let firstUpstream: FileDescriptor = 200

    func receiveDescriptor(over socket: FileDescriptor) -> FileDescriptor? { Self.proxyListener }

    func acceptClient(on listener: FileDescriptor) -> FileDescriptor? {
        clientsToCome.isEmpty ? nil : clientsToCome.removeFirst()
    }

    func connectStream(to address: IPAddress, port: UInt16) -> Result<FileDescriptor, SystemError> {
        log.append("connect \(address):\(port)")
        let fd = Self.firstUpstream + Int32(log.count { $0.hasPrefix("connect ") }) - 1
        upstreams[fd] = address
        return .success(fd)
    }

    func connectionError(of socket: FileDescriptor) -> Int32 {
        upstreams[socket].map(refusingAddresses.contains) == true ? ECONNREFUSED : 0
    }

    func connectDatagram(to address: IPAddress, port: UInt16) -> FileDescriptor? {
        log.append("datagram \(address):\(port)")
        guard serversThatTakeNoQuery.contains(address) else { return nil }
        let fd = 400 + Int32(querySockets.count)
        querySockets.insert(fd)
        return fd
    }

    func hostAddresses() -> Set<IPAddress> { ownAddresses }

    func receive(from socket: FileDescriptor, into buffer: UnsafeMutableRawBufferPointer) -> Transfer {
        guard let bytes = incoming[socket] else { return .wouldBlock }
        guard !bytes.isEmpty else { return .ended }
        let count = min(bytes.count, buffer.count)
        buffer.copyBytes(from: bytes[..<count])
        incoming[socket] = nil  // what arrived is read at once
        return .moved(count)
    }

    func send(to socket: FileDescriptor, from buffer: UnsafeRawBufferPointer) -> Transfer {
        if querySockets.contains(socket) { return .failed(ENETUNREACH) }
        sent[socket, default: []] += buffer
        return .moved(buffer.count)
    }

    func makeRelayPipe(size: Int) -> (pipe: Pipe, size: Int)? {
        log.append("relay pipe")
        return (Pipe(read: 300, write: 301), size)
    }

    func splice(from source: FileDescriptor, to destination: FileDescriptor, count: Int) -> Transfer { .wouldBlock }
    func shutDownWriting(_ socket: FileDescriptor) { log.append("shutdown \(socket)") }
    func raiseDescriptorLimit() -> Int? { 1024 }
}
