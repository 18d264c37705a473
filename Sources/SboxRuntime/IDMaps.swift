import SboxCore

/// uid_map, gid_map and setgroups: the only identities the sandbox has.
enum IDMaps {
    /// Written by the supervisor, from outside, for the sandbox's first user namespace: the sandbox's
    /// ids map to the caller's. setgroups must be denied before an unprivileged gid_map is accepted.
    static func write(forChild pid: Int32, plan: Plan, system: SystemCalls) throws(SystemError) {
        try system.writeFile("/proc/\(pid)/setgroups", in: nil, contents: "deny")
        try system.writeFile("/proc/\(pid)/uid_map", in: nil, contents: "\(plan.uid) \(plan.hostUID) 1\n")
        try system.writeFile("/proc/\(pid)/gid_map", in: nil, contents: "\(plan.gid) \(plan.hostGID) 1\n")
    }

    /// Written by the sandbox itself for the nested user namespace that locks its mounts: the same ids
    /// map onto themselves. `proc` is the host's /proc, opened before the old root was detached.
    static func writeIdentity(uid: UInt32, gid: UInt32, proc: FileDescriptor, system: SystemCalls) throws(SystemError) {
        try system.writeFile("self/setgroups", in: proc, contents: "deny")
        try system.writeFile("self/uid_map", in: proc, contents: "\(uid) \(uid) 1\n")
        try system.writeFile("self/gid_map", in: proc, contents: "\(gid) \(gid) 1\n")
    }
}
