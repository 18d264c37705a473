/// What the compiler needs to know about the caller. Gathered by the command line, so that
/// compiling stays pure and testable.
public struct HostContext: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var environment: [ByteString]
    public var currentDirectory: ByteString
    /// Which of the standard descriptors (0, 1, 2) are a terminal.
    public var terminalDescriptors: [Int32] = []
    /// The places the boundary depends on, as the host resolves them (symlinks, `..`): the current
    /// directory comes from getcwd, resolved, and must be compared with these, not their spelling.
    public var resolved = ResolvedPaths()

    public init(uid: UInt32, gid: UInt32, environment: [ByteString], currentDirectory: ByteString) {
        self.uid = uid
        self.gid = gid
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The caller's $HOME as getenv would read it (the first entry), or nil when unset or empty.
    public var home: ByteString? {
        guard let entry = environment.first(where: { $0.hasPrefix("HOME=") }), entry.count > 5 else { return nil }
        return entry.dropFirst(5)
    }
}

/// The home, the runtime directory and sbox's own directories as the host resolves them (nil where
/// the variable is unset, or the spelling is already the real path).
public struct ResolvedPaths: Equatable, Sendable {
    public var home: ByteString?
    public var runtime: ByteString?
    public var own: [ByteString] = []
    /// Of the current directory (for ro-cwd, rw-cwd) and the directories the arguments name (for
    /// expose-args), those every user may write in: what is in them may be anyone's, a service's
    /// socket as well.
    public var writableByEveryone: [ByteString] = []
    /// What the paths the program's arguments name are on the host (expose-args), by path as spelled
    /// (normalized); an absent file has no entry.
    public var arguments: [ByteString: ResolvedArgument] = [:]
    public init(home: ByteString? = nil, runtime: ByteString? = nil, own: [ByteString] = []) {
        self.home = home
        self.runtime = runtime
        self.own = own
    }
}

/// An argument's path as the host resolves it.
public struct ResolvedArgument: Equatable, Sendable {
    /// The canonical path: every symlink and `..` resolved.
    public var path: ByteString
    /// The path's last component is itself a symlink.
    public var isSymlink: Bool
    public init(path: ByteString, isSymlink: Bool) {
        self.path = path
        self.isSymlink = isSymlink
    }
}
