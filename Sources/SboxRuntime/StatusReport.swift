import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// bwrap's --info-fd and --json-status-fd: the sandbox's pid and namespaces once it exists, and (for
/// --json-status-fd) its exit code when it ends. The namespaces are those of the sandbox's first
/// process: with the mount lock (sbox mode) some are created later, so the options are bwrap mode's.
enum StatusReport {
    /// The order and names bwrap uses; user namespace omitted, as bwrap does.
    static let namespaces: [(String, Namespaces)] = [
        ("cgroup", .cgroup), ("ipc", .ipc), ("mnt", .mount), ("net", .net), ("pid", .pid), ("uts", .uts),
    ]

    static func started(_ pid: Int32, plan: Plan) {
        if let fd = plan.infoDescriptor {
            write("{\n    \"child-pid\": \(pid)" + ids(pid, plan, separator: ",\n    ") + "\n}\n", to: fd)
            close(fd)
        }
        if let fd = plan.jsonStatusDescriptor {
            write("{ \"child-pid\": \(pid)" + ids(pid, plan, separator: ", ") + " }\n", to: fd)
        }
    }

    /// bwrap writes the exit code only when the program was started: `programStarted` is the pipe
    /// the worker writes one report to just before it executes it, and a second if that failed.
    static func ended(_ status: Int32, programStarted: Int32, plan: Plan) {
        guard let fd = plan.jsonStatusDescriptor else { return }
        var reports: (Int32, Int32) = (0, 0)
        let started = read(programStarted, &reports, MemoryLayout<(Int32, Int32)>.size) == MemoryLayout<Int32>.size
        close(programStarted)
        guard started else { close(fd); return }
        write("{ \"exit-code\": \(status) }\n", to: fd)
        close(fd)
    }

    private static func ids(_ pid: Int32, _ plan: Plan, separator: String) -> String {
        var text = ""
        for (name, kind) in namespaces where kind == .mount || plan.namespaces.contains(kind) {
            var info = stat()
            guard stat("/proc/\(pid)/ns/\(name)", &info) == 0 else { continue }
            text += separator + "\"\(name)-namespace\": \(info.st_ino)"
        }
        return text
    }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        _ = text.withUTF8 { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}
