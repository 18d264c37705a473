import SboxCore

/// The files sbox reads and writes for itself on the host, before any sandbox exists: profiles,
/// the signed filter cache, learned profiles and desktop entries. Part of the one seam
/// (`SystemCalls` refines it), so that the recording double can play the user's files.
public protocol HostFileCalls: AnyObject {
    /// Whether nothing is at `path` (ENOENT, ENOTDIR): a missing directory need not be looked in.
    func isMissing(_ path: ByteString) -> Bool
    /// The whole regular file at `path`, opened non-blocking (a FIFO cannot hang sbox), of at most
    /// `limit` bytes; nil when nothing is there. Thrown: "opening" with its errno, or "reading"
    /// (not a regular file, or the read failed).
    func readRegularFile(_ path: ByteString, limit: Int) throws(SystemError) -> [UInt8]?
    /// The whole of a small regular file that the caller owns and nobody else may write, opened
    /// without following a symlink: nil otherwise.
    func readPrivateFile(_ path: ByteString, limit: Int) -> [UInt8]?
    /// Every missing directory on the way to `path`, with `permissions`; existing ones are left alone.
    func createDirectories(_ path: ByteString, permissions: UInt32)
    /// `bytes` at `path`, through a temporary file renamed over it: a reader never sees half a file.
    func replaceFile(_ path: ByteString, with bytes: [UInt8], permissions: UInt32) throws(SystemError)
    /// A new file at `path` with `bytes` (never replacing one, never following a symlink): whether it
    /// was made whole.
    func createNewFile(_ path: ByteString, with bytes: [UInt8], permissions: UInt32) -> Bool
    func removeFile(_ path: ByteString)
    /// The names in `directory` that end with `suffix` (and are longer), in the directory's order.
    func names(in directory: ByteString, ending suffix: ByteString) -> [ByteString]
    /// When the file at `path` (not followed) was last modified, in seconds; nil when none is there.
    func modificationTime(of path: ByteString) -> Int?
    /// What tells this build of sbox from another: its binary's size and modification time.
    func executableStamp() -> String
    /// `count` bytes from the kernel's random source, or nil.
    func randomBytes(_ count: Int) -> [UInt8]?
}

extension HostFileCalls {
    /// The whole regular file at `path`, or nil whatever went wrong.
    public func readFile(_ path: ByteString, limit: Int) -> [UInt8]? {
        (try? readRegularFile(path, limit: limit)) ?? nil
    }
}
