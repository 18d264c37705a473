import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: what was being done, to which path, and the errno.
public struct SystemError: Error, CustomStringConvertible, Equatable {
    public let operation: String
    public let path: ByteString?
    public let errno: Int32
    /// What went wrong when strerror(3) would not say it ("existing destination is usr/bin").
    public let detail: String?

    public init(_ operation: String, path: ByteString? = nil, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.detail = detail
    }

    /// strerror(3) of the errno, e.g. "No such file or directory", or the detail.
    public var reason: String { detail ?? String(cString: strerror(errno)) }

    /// Said in bubblewrap's words ("Can't make symlink at ..."), which its callers match: in bwrap
    /// mode the message stands alone, without the option it came from.
    public var isInBwrapWords: Bool { operation.hasPrefix("Can't ") }

    public var description: String {
        if let path { return "\(operation) \(path): \(reason)" }
        return "\(operation): \(reason)"
    }
}

/// A failure of the sandbox itself, with one message for the user. Exit status 125 (bwrap's 1).
public enum SandboxError: Error, CustomStringConvertible, Equatable {
    /// A step of the setup failed: what was being done (the option that asked for it), and the
    /// system call's own error, with its operation, path and errno.
    case failed(String, SystemError)
    /// The system call's error alone says it all.
    case system(SystemError)
    /// sbox will not go on, and says why: the plan or the host is not what the sandbox needs.
    case refused(String)

    public init(_ message: String) { self = .refused(message) }

    public var message: String {
        switch self {
        case .failed(let what, let error): "\(what): \(error)"
        case .system(let error): "\(error)"
        case .refused(let message): message
        }
    }

    public var description: String { message }

    /// The same message is the same failure, however it was made.
    public static func == (a: SandboxError, b: SandboxError) -> Bool { a.message == b.message }
}
