/// What the compiler needs to know about the caller. Gathered by the command line, so that
/// compiling stays pure and testable.
public struct HostContext: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var environment: [ByteString]
    public var currentDirectory: ByteString
    /// Which of the standard descriptors (0, 1, 2) are a terminal.
    public var terminalDescriptors: [Int32] = []

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
