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
        guard let mount = coveringStep(of: path) else { return .nothing }
        switch mount.step {
        case .bind(let source, let destination, let mode, _):
            return source == destination ? .host(writable: mode != .readOnly) : .sandbox
        case .expose(_, let mode, _): return .host(writable: mode != .readOnly)
        case .tmpfs: return .hidden
        case .socket(let source, let destination): return source == destination ? .host(writable: false) : .sandbox
        case .argument(_, _, let mode, _): return .host(writable: mode != .readOnly)
        default: return .sandbox
        }
    }

    /// Where expose-args puts what the program's arguments name.
    public var argumentPaths: [ByteString] {
        mounts.compactMap { if case .argument(let path, _, _, _) = $0.step { path } else { nil } }
    }

    /// The last step that puts something at or above `path`: a mount, an exposure, a hide.
    public func coveringStep(of path: ByteString) -> PlannedMount? {
        mounts.last { mount in
            switch mount.step {
            case .bind(_, let mountPoint, _, _), .expose(let mountPoint, _, _), .tmpfs(let mountPoint, _, _),
                 .hide(let mountPoint), .proc(let mountPoint), .dev(let mountPoint), .mqueue(let mountPoint),
                 .overlay(_, let mountPoint, _), .data(_, let mountPoint, _, _), .socket(_, let mountPoint),
                 .xauthority(_, _, _, let mountPoint), .argument(let mountPoint, _, _, _):
                path.isWithin(mountPoint)
            case .remountReadOnly, .directory, .symlink, .chmod: false
            }
        }
    }
}
