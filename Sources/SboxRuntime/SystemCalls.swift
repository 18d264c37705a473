import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// A file descriptor number. Closing is explicit: the sandbox closes everything before exec.
public typealias FileDescriptor = Int32

/// The kind of file a bind source or destination is.
public enum FileKind: Equatable, Sendable {
    case directory
    /// A character device.
    case device
    case other
}

/// Every system call that builds a sandbox goes through this protocol, so that the order of
/// operations can be checked with a recording double (as youki does with its `Syscall` trait).
/// Paths given to `…(in root:)` methods are resolved inside `root` (openat2 RESOLVE_IN_ROOT):
/// a symlink cannot lead them outside the new root.
public protocol SystemCalls: SupervisionCalls, ProxyCalls, HostFileCalls {
    // Facts about the host, read before any namespace exists.
    func threadCount() -> Int?
    func canonicalPath(_ path: ByteString) throws(SystemError) -> ByteString
    /// Everything a descriptor the caller passed holds (--file, --seccomp…), up to `limit` bytes;
    /// the descriptor is closed.
    func readToEnd(_ descriptor: FileDescriptor, limit: Int) throws(SystemError) -> [UInt8]
    /// prctl(PR_GET_SECCOMP): 2 when this process is already under a seccomp filter.
    func seccompMode() -> Int32

    // Namespaces and identity.
    /// A child process in new `namespaces` (fork-like: 0 in the child, its pid in the parent).
    func clone(namespaces: Namespaces) throws(SystemError) -> Int32
    func unshare(_ namespaces: Namespaces) throws(SystemError)
    /// Joins the namespace at `path` (relative to `directory`, a /proc), of the one kind `type`.
    func joinNamespace(_ path: ByteString, in directory: FileDescriptor, type: Namespaces) throws(SystemError)
    /// setns on a namespace descriptor the caller passed (--userns, --userns2, --pidns).
    func joinNamespace(descriptor: FileDescriptor, type: Namespaces) throws(SystemError)
    /// A pipe between two of sbox's processes, closed on exec; `signalling`: its read end is
    /// non-blocking and sends this process SIGIO when data arrives.
    func makePipe(signalling: Bool) throws(SystemError) -> Pipe
    /// A connected pair of unix stream sockets, closed on exec (to pass a descriptor on).
    func makeSocketPair() throws(SystemError) -> Pipe
    /// A TCP socket listening on 127.0.0.1:`port` in this process's network namespace, sent over
    /// `socket` to the process at its other end, and closed here.
    func sendLoopbackListener(port: UInt16, over socket: FileDescriptor) throws(SystemError)
    /// The name of the terminal open as `descriptor`, or nil when it is not one.
    func terminalName(of descriptor: FileDescriptor) -> ByteString?
    /// Writes a whole small file at once, as /proc/PID/uid_map requires.
    func writeFile(_ path: ByteString, in directory: FileDescriptor?, contents: String) throws(SystemError)
    func setHostname(_ name: ByteString) throws(SystemError)
    func bringUpLoopback() throws(SystemError)

    // Process attributes.
    func setParentDeathSignal(_ signal: Int32) throws(SystemError)
    /// SIGKILL for this process when its parent ends; ESRCH if the parent ended before that was set.
    func dieWithParent() throws(SystemError)
    func startSession() throws(SystemError)
    func setNoNewPrivileges() throws(SystemError)
    func dropCapabilities(keeping: CapabilitySet, ambient: Bool) throws(SystemError)
    /// Empties the effective, permitted and inheritable sets (capset), leaving the bounding set.
    func clearCapabilities() throws(SystemError)
    func closeDescriptors(from first: FileDescriptor, except kept: [FileDescriptor]) throws(SystemError)
    /// Creates or truncates `name` in `parent` (never following a symlink), writes `contents` and
    /// gives it exactly `permissions`.
    func writeFile(_ name: ByteString, in parent: FileDescriptor, permissions: UInt32,
                   contents: [UInt8]) throws(SystemError)
    /// The calling process (its session's leader) takes `terminal` as its controlling terminal.
    func controlTerminal(_ terminal: FileDescriptor) throws(SystemError)
    /// `terminal` on each of `descriptors` (then closed), the caller's group in its foreground; or,
    /// when no other process leads the session, the caller's controlling terminal.
    func attachTerminal(_ terminal: FileDescriptor, to descriptors: [FileDescriptor],
                        sessionLedByInit: Bool) throws(SystemError)
    /// Blocks until `descriptor` has data (or is closed), then closes it: bwrap's --block-fd.
    func waitForData(on descriptor: FileDescriptor) throws(SystemError)
    /// Opens `path` and takes a read lock on it (bwrap's --lock-file); returns the descriptor that holds it.
    func holdLock(on path: ByteString) throws(SystemError) -> FileDescriptor
    /// Installs a seccomp filter (a `struct sock_filter` array); no_new_privs must be set.
    func loadSeccompFilter(_ program: [UInt8]) throws(SystemError)
    /// The same, with a listener for its notifications (sbox learn), whose descriptor it returns.
    func loadSeccompFilterWithListener(_ program: [UInt8]) throws(SystemError) -> FileDescriptor
    /// The lowest descriptor number not open: the one the next new descriptor gets.
    func lowestFreeDescriptor() -> FileDescriptor

    // Landlock.
    /// The kernel's Landlock ABI: 0 when it has none, or it is disabled.
    func landlockABI() -> Int
    func createLandlockRuleset(fileSystem: LandlockRights, network: UInt64,
                               scopes: UInt64) throws(SystemError) -> FileDescriptor
    /// Grants `rights` beneath the directory or on the file open as `beneath`.
    func addLandlockRule(to ruleset: FileDescriptor, beneath: FileDescriptor,
                         rights: LandlockRights) throws(SystemError)
    func addLandlockRule(to ruleset: FileDescriptor, port: UInt16, rights: UInt64) throws(SystemError)
    func restrictSelf(with ruleset: FileDescriptor) throws(SystemError)
    /// How `descriptor` is open, when it is a file or a device (nil: not open, a pipe, a socket…).
    func fileAccess(of descriptor: FileDescriptor) -> FileAccess?
    /// The owner of the character device open as `descriptor` (a terminal, /dev/null); nil for
    /// anything else.
    func characterDeviceOwner(of descriptor: FileDescriptor) -> UInt32?
    /// `descriptor` opened anew through `node` (a mount's descriptor, reached through `proc`'s links),
    /// as it was (access, append, non-blocking).
    func reopen(_ descriptor: FileDescriptor, through node: FileDescriptor, proc: FileDescriptor) throws(SystemError)

    /// umask(2): returns the previous mask.
    func setFileCreationMask(_ mask: UInt32) -> UInt32

    // Paths of the current root (used while the old and new roots are both visible).
    func mountTmpfs(on path: ByteString) throws(SystemError)
    func makePropagationSlave(_ path: ByteString) throws(SystemError)
    func makeDirectory(_ path: ByteString, permissions: UInt32) throws(SystemError)
    func pivotRoot(_ newRoot: ByteString, putOld: ByteString) throws(SystemError)
    func detach(_ path: ByteString) throws(SystemError)
    func changeDirectory(_ path: ByteString) throws(SystemError)
    func openDirectory(_ path: ByteString) throws(SystemError) -> FileDescriptor

    // Paths inside a root, resolved so that they cannot escape it.
    func open(_ path: ByteString, in root: FileDescriptor) throws(SystemError) -> FileDescriptor
    /// The same where no component of `path` may be a symlink (ELOOP).
    func openWithoutSymlinks(_ path: ByteString, in root: FileDescriptor) throws(SystemError) -> FileDescriptor
    func makeDirectory(_ name: ByteString, in parent: FileDescriptor, permissions: UInt32) throws(SystemError)
    /// Creates an empty file (never following a symlink) and returns a descriptor of it.
    func createFile(_ name: ByteString, in parent: FileDescriptor,
                    permissions: UInt32) throws(SystemError) -> FileDescriptor
    func makeSymlink(_ name: ByteString, in parent: FileDescriptor, target: ByteString) throws(SystemError)
    func readSymlink(_ name: ByteString, in parent: FileDescriptor) -> ByteString?
    func changePermissions(_ path: ByteString, in root: FileDescriptor, to permissions: UInt32) throws(SystemError)
    func kind(of descriptor: FileDescriptor) throws(SystemError) -> FileKind
    /// setrlimit: soft and hard limit `value` (nil: unlimited).
    func setResourceLimit(_ kind: ResourceKind, to value: UInt64?) throws(SystemError)
    /// The device and inode `descriptor` refers to, or nil if it is not open.
    func identity(of descriptor: FileDescriptor) -> FileIdentity?
    /// What `path` is (following symlinks): a directory, a regular file (`other`), or nil for anything else.
    func fileKind(at path: ByteString) -> FileKind?
    /// Whether `path` (following symlinks) is a unix socket.
    func isSocket(_ path: ByteString) -> Bool
    /// Whether `path` (following symlinks) is a directory every user may write in (as /tmp is).
    func isWritableByEveryone(_ path: ByteString) -> Bool
    /// The ID of the mount `path` is on (following symlinks; statx's STATX_MNT_ID), or nil. A bind of
    /// the same directory over it is the same file, but another mount.
    func mountID(at path: ByteString) -> UInt64?

    // Mounts, with the file-descriptor mount API.
    /// A detached copy of the mount tree at `path` (open_tree OPEN_TREE_CLONE|AT_RECURSIVE), relative
    /// to `directory`. A path may contain no symlink; a single name that is one is not followed.
    func cloneMountTree(_ path: ByteString, in directory: FileDescriptor?) throws(SystemError) -> FileDescriptor
    /// A new detached file system (fsopen, fsconfig, fsmount) with mount attributes. Options are
    /// `key=value` or a flag, as for mount(8).
    func newMount(_ filesystem: String, options: [ByteString],
                  attributes: MountAttributes) throws(SystemError) -> FileDescriptor
    /// Adds `attributes` (mount_setattr never clears one here: the host's locked flags stay).
    func setMountAttributes(_ mount: FileDescriptor, _ attributes: MountAttributes, recursive: Bool) throws(SystemError)
    func moveMount(_ mount: FileDescriptor, onto target: FileDescriptor) throws(SystemError)
    func moveMount(_ mount: FileDescriptor, onto path: ByteString) throws(SystemError)

    /// Replaces the process image, searching the PATH of `environment`; returns only on failure, with the errno.
    func execute(_ file: ByteString, arguments: [ByteString], environment: [ByteString]) -> Int32
    func fork() throws(SystemError) -> Int32
}

/// Mount attributes (MOUNT_ATTR_*).
public struct MountAttributes: OptionSet, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let readOnly = MountAttributes(rawValue: 0x01)
    public static let noSetuid = MountAttributes(rawValue: 0x02)
    public static let noDevices = MountAttributes(rawValue: 0x04)
    public static let noExec = MountAttributes(rawValue: 0x08)
}

/// How an inherited descriptor of a file or device is open.
public struct FileAccess: Equatable, Sendable {
    public var readable: Bool
    public var writable: Bool
    public var device: Bool
    public init(readable: Bool, writable: Bool, device: Bool) {
        self.readable = readable
        self.writable = writable
        self.device = device
    }
}

/// A file as the kernel knows it, whatever path leads to it.
public struct FileIdentity: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64
}
