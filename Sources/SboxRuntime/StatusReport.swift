import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// bwrap's --info-fd and --json-status-fd: the sandbox's pid and namespaces once it exists, and (for
/// --json-status-fd) its exit code when it ends. The namespaces are those of the sandbox's first
/// process: with the mount lock (sbox mode) some are created later, so the options are bwrap mode's.
struct StatusReport {
    /// The order and names bwrap uses; user namespace omitted, as bwrap does.
    static let namespaces: [(String, Namespaces)] = [
        ("cgroup", .cgroup), ("ipc", .ipc), ("mnt", .mount), ("net", .net), ("pid", .pid), ("uts", .uts),
    ]

    let plan: Plan
    let system: SupervisionCalls

    func started(_ pid: Int32) {
        if let fd = plan.infoDescriptor {
            write("{\n    \"child-pid\": \(pid)" + ids(pid, separator: ",\n    ") + "\n}\n", to: fd)
            system.close(fd)
        }
        if let fd = plan.jsonStatusDescriptor {
            write("{ \"child-pid\": \(pid)" + ids(pid, separator: ", ") + " }\n", to: fd)
        }
    }

    /// bwrap writes the exit code only when the program was started: `programStarted` is the pipe
    /// the worker writes one report to just before it executes it, and a second if that failed.
    func ended(_ status: Int32, programStarted: FileDescriptor?) {
        guard let fd = plan.jsonStatusDescriptor else { return }
        var reports: (Int32, Int32) = (0, 0)
        let count = programStarted.map { pipe in
            withUnsafeMutableBytes(of: &reports) { (try? system.read(pipe, into: $0)) ?? -1 }
        }
        if let programStarted { system.close(programStarted) }
        guard count == MemoryLayout<Int32>.size else { system.close(fd); return }
        write("{ \"exit-code\": \(status) }\n", to: fd)
        system.close(fd)
    }

    private func ids(_ pid: Int32, separator: String) -> String {
        var text = ""
        for (name, kind) in Self.namespaces where kind == .mount || plan.namespaces.contains(kind) {
            guard let identity = system.identity(at: ByteString("/proc/\(pid)/ns/\(name)")) else { continue }
            text += separator + "\"\(name)-namespace\": \(identity.inode)"
        }
        return text
    }

    private func write(_ text: String, to fd: FileDescriptor) {
        var text = text
        _ = text.withUTF8 { try? system.write(fd, from: UnsafeRawBufferPointer($0)) }
    }
}
