import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: what was being done, to which path, and the errno.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let path: ByteString?
    public let errno: Int32

    public init(_ operation: String, path: ByteString? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// strerror(3) of the errno, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String {
        if let path { return "\(operation) \(path): \(reason)" }
        return "\(operation): \(reason)"
    }
}

/// A failure of the sandbox itself, with a message for the user. Exit status 125.
public struct SandboxError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
