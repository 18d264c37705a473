/// Where the sandbox's view of a path comes from.
public enum PathProvider: Equatable, Sendable {
    /// The host's file at the same path, through a bind or an exposure.
    case host(writable: Bool)
    /// A private tmpfs (a private home, /tmp): the host's file is not there.
    case hidden
    /// Something of the sandbox's own: a procfs, a /dev, a hide, data, a bind from elsewhere.
    case sandbox
    /// No step covers it: the empty root.
    case nothing
}

extension Plan {
    /// What the last mount step that covers `path` (normal) makes of it.
    public func provider(of path: ByteString) -> PathProvider {
        for mount in mounts.reversed() {
            func covers(_ mountPoint: ByteString) -> Bool { path.isWithin(mountPoint) }
            switch mount.step {
            case .bind(let source, let destination, let mode, _) where covers(destination):
                return source == destination ? .host(writable: mode != .readOnly) : .sandbox
            case .expose(let exposed, let mode, _) where covers(exposed): return .host(writable: mode != .readOnly)
            case .tmpfs(let mountPoint, _, _) where covers(mountPoint): return .hidden
            case .hide(let hidden) where covers(hidden): return .sandbox
            case .proc(let mountPoint) where covers(mountPoint), .dev(let mountPoint) where covers(mountPoint),
                 .mqueue(let mountPoint) where covers(mountPoint):
                return .sandbox
            case .overlay(_, let mountPoint, _) where covers(mountPoint), .data(_, let mountPoint, _, _) where covers(mountPoint):
                return .sandbox
            default: continue
            }
        }
        return .nothing
    }
}
