/// What the compiler needs to know about the caller. Gathered by the command line, so that
/// compiling stays pure and testable.
public struct HostContext: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var environment: [String]
    public var currentDirectory: String

    public init(uid: UInt32, gid: UInt32, environment: [String], currentDirectory: String) {
        self.uid = uid
        self.gid = gid
        self.environment = environment
        self.currentDirectory = currentDirectory
    }
}
