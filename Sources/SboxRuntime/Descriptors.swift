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
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { failure = errno }
                if count <= 0 { break }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
            }
        }
        if failure != 0 { throw SystemError("reading descriptor \(fd)", errno: failure) }
        if bytes.count > limit { throw SystemError("reading descriptor \(fd)", errno: EFBIG) }
        return bytes
    }

    /// A pipe for sbox's own reports between its processes: both ends close on exec, so none
    /// reaches the program, even when the caller's descriptors pass on (bwrap mode).
    static func reportPipe() throws(SandboxError) -> [Int32] {
        var ends: [Int32] = [-1, -1]
        guard sbox_pipe_cloexec(&ends) == 0 else { throw SandboxError("\(SystemError("pipe", errno: errno))") }
        return ends
    }

    /// The same, whose read end is non-blocking and sends this process SIGIO when data arrives.
    static func signallingPipe() throws(SandboxError) -> [Int32] {
        let ends = try reportPipe()
        guard sbox_signal_on_input(ends[0]) == 0 else {
            let error = SystemError("fcntl(O_ASYNC)", errno: errno)
            close(ends[0]); close(ends[1])
            throw SandboxError("\(error)")
        }
        return ends
    }
}
