import CSbox
#if canImport(Glibc)
import Glibc
#endif

/// Reading what a caller passes through a file descriptor (bwrap's --args, --file, --seccomp...).
public enum Descriptors {
    /// Everything `fd` holds, up to `limit` bytes; the descriptor is closed. Throws a message with the errno.
    public static func readAll(_ fd: Int32, limit: Int = 64 << 20) throws(SystemError) -> [UInt8] {
        defer { close(fd) }
        var bytes: [UInt8] = []
        var failure: Int32 = 0
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16384) { buffer in
            while bytes.count <= limit {
                let count = retryingIfInterrupted { read(fd, buffer.baseAddress, buffer.count) }
                if count < 0 { failure = errno }
                if count <= 0 { break }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
        }
        if failure != 0 { throw SystemError("reading descriptor \(fd)", errno: failure) }
        if bytes.count > limit { throw SystemError("reading descriptor \(fd)", errno: EFBIG) }
        return bytes
    }
}
