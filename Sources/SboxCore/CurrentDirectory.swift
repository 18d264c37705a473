/// `ro-cwd` and `rw-cwd` expose the directory sbox was started in, but never one whose exposure would
/// bring back what the sandbox keeps out: the whole host, the home a private home replaces, a place
/// every user shares or where the host's services listen (unix sockets connect through a read-only
/// bind), sbox's own files, or what the plan itself made private. Started there, the program starts
/// in its home instead, and sbox says why.
enum CurrentDirectory {
    /// Where the host's services and devices are: never exposed, nor anything beneath them.
    static let servicePlaces: [ByteString] = ["/proc", "/sys", "/dev", "/run", "/var/run", "/var/lock"]
    /// The system: never exposed writable.
    static let systemDirectories: [ByteString] = ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
                                                  "/libx32", "/boot"]
    /// Shared by every user: never exposed themselves, but a directory made in them is a workspace.
    static let sharedDirectories: [ByteString] = ["/tmp", "/var/tmp"]

    /// Why `directory` (normal) must not be exposed, or nil. `mounts`: the steps planned before the
    /// shorthand; `own`: sbox's own directories.
    static func refusal(of directory: ByteString, writable: Bool, mounts: [PlannedMount], host: HostContext,
                        own: [ByteString]) -> String? {
        if directory == ByteString.root { return "it is the root, the whole host" }
        // As spelled and as resolved: a home reached through a symlink is the same home.
        for home in [host.home?.normalized, host.resolved.home].compactMap({ $0 }) where home.isWithin(directory) {
            return directory == home ? "it is the home directory" : "it holds the home directory (\(home))"
        }
        let runtime = [ProfileVariables(host: host).value(of: "XDG_RUNTIME_DIR")?.normalized, host.resolved.runtime]
            .compactMap { $0 }
        for place in servicePlaces + runtime where directory.isWithin(place) || place.isWithin(directory) {
            return "\(place) holds the host's services and devices"
        }
        for place in sharedDirectories where place.isWithin(directory) {
            return place == directory ? "every user shares it" : "it holds \(place), which every user shares"
        }
        // Anyone's files and sockets may be in it (a directory made 1777 for sharing, anywhere).
        if host.resolved.writableByEveryone.contains(directory) { return "every user may write in it" }
        // What services make in /tmp for their sockets (X11's .X11-unix, tmux-UID, ssh-XXXX).
        if directory.isStrictlyBeneath("/tmp"), let first = directory.dropFirst(5).split(separator: 0x2f).first,
           first.hasPrefix(".") || first.hasPrefix("tmux-") || first.hasPrefix("ssh-") || first.hasPrefix("screen") {
            return "/tmp/\(first) holds a service's sockets"
        }
        // The system, which the profiles show read-only (as the host's root, writable).
        if writable, let place = systemDirectories.first(where: { directory.isWithin($0) }) {
            return "\(place) is the system's, which stays read-only"
        }
        for path in own {
            if directory.isWithin(path) { return "it is sbox's own (\(path))" }
            if writable && path.isWithin(directory) {
                return "it holds sbox's own files (\(path)), which the program could change"
            }
        }
        for mount in mounts.reversed() {
            switch mount.step {
            case .tmpfs(let path, _, _) where path.isWithin(directory), .hide(let path) where path.isWithin(directory):
                return "\(mount.origin) made \(path) private"
            case .hide(let path) where directory.isStrictlyBeneath(path):
                return "\(mount.origin) hides it"
            default: continue
            }
        }
        return nil
    }
}
