import SboxCore

/// uid_map, gid_map and setgroups: the only identities the sandbox has. A process may map its own
/// user namespace when the map is one line for its own ids; setgroups must be denied first.
enum IDMaps {
    /// Maps `uid`/`gid` inside the calling process's user namespace onto `outerUID`/`outerGID` in
    /// the parent namespace. `proc` is the host's /proc, opened before the sandbox was built.
    /// A user namespace created inside one whose setgroups is "deny" inherits "deny": the nested
    /// namespace of the mount lock needs no write of its own (`denySetgroups: false`).
    static func write(uid: UInt32, gid: UInt32, outerUID: UInt32, outerGID: UInt32, proc: FileDescriptor,
                      denySetgroups: Bool = true, system: SystemCalls) throws(SystemError) {
        if denySetgroups { try system.writeFile("self/setgroups", in: proc, contents: "deny") }
        try system.writeFile("self/uid_map", in: proc, contents: "\(uid) \(outerUID) 1\n")
        try system.writeFile("self/gid_map", in: proc, contents: "\(gid) \(outerGID) 1\n")
    }
}
