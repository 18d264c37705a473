import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's network namespace: only a loopback interface, up.
///
/// Creating a network namespace is the most expensive step of building a sandbox (about 0.5 ms here,
/// DESIGN-NOTES §4). When the sandbox has an init and the program keeps no capabilities, the init
/// creates it while the worker builds the file system, and the worker joins it before the mount lock.
/// Otherwise it is created with the locking user namespace, which then owns it, so that capabilities
/// kept with --cap-add (CAP_NET_RAW, CAP_NET_ADMIN) apply to it.
enum Network {
    enum Setup: Equatable {
        /// The host's network (--share-net).
        case host
        /// Created with the locking user namespace: only the loopback needs bringing up, after the lock.
        case created
        /// Being created by the init, which reports on this pipe.
        case fromInit(FileDescriptor)
    }

    /// In the init: creates the namespace, brings loopback up, and tells the worker where to find it
    /// (the init's pid in the host's /proc) or, as a negative number, the errno of what failed.
    static func create(proc: FileDescriptor, reportingTo pipe: FileDescriptor, system: SystemCalls) {
        let report: Int32
        do throws(SystemError) {
            try system.unshare(.net)
            try system.bringUpLoopback()
            guard let link = system.readSymlink("self", in: proc), let pid = Int32(link.lossy) else {
                throw SystemError("readlink", path: "/proc/self", errno: ENOENT)
            }
            report = pid
        } catch {
            report = -error.errno
        }
        system.sendReport(report, to: pipe)
    }

    /// In the worker, before the mount lock (joining needs CAP_SYS_ADMIN in the namespace's owner).
    static func join(_ setup: Setup, proc: FileDescriptor, system: SystemCalls) throws(SystemError) {
        guard case .fromInit(let pipe) = setup else { return }
        let report = try system.receiveReport(from: pipe)
        system.close(pipe)
        guard report > 0 else { throw SystemError("creating it", errno: -report) }
        try system.joinNamespace(ByteString("\(report)/ns/net"), in: proc, type: .net)
    }

    /// In the worker, after the mount lock, when the namespace was created with it.
    static func bringUp(_ setup: Setup, system: SystemCalls) throws(SystemError) {
        if setup == .created { try system.bringUpLoopback() }
    }
}
