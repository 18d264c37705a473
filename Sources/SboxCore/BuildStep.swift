/// A step of the root's build as the runtime makes it, once the host has been read: an exposed path
/// is a bind or the symlink it is, a session's socket or a launcher's argument a bind (or nothing),
/// a display's cookie a data file. Every kind here is built without reading the host again.
public enum BuildStep: Equatable, Sendable {
    /// A bind of the host's `source` (canonical) on `destination`.
    case bind(source: ByteString, destination: ByteString, mode: MountStep.BindMode)
    case remountReadOnly(ByteString)
    case tmpfs(ByteString, permissions: UInt32, sizeBytes: UInt64?)
    case proc(ByteString)
    case dev(ByteString)
    case mqueue(ByteString)
    case directory(ByteString, permissions: UInt32)
    case symlink(target: ByteString, path: ByteString)
    case chmod(ByteString, permissions: UInt32)
    case hide(ByteString)
    case data(descriptor: Int32, path: ByteString, permissions: UInt32, bind: MountStep.BindMode?)
    /// Layers and an upper directory with canonical host paths.
    case overlay(layers: [ByteString], path: ByteString, writes: MountStep.OverlayWrites)
}

/// A build step and the option or profile line it came from.
public struct BuiltMount: Equatable, Sendable {
    public let step: BuildStep
    public let origin: Origin

    public init(_ step: BuildStep, origin: Origin) {
        self.step = step
        self.origin = origin
    }
}

extension MountStep {
    /// What the plan expects the runtime to build from this step when the host has what it names
    /// (an exposed path a bind at the same place, a cookie a read-only file): for `sbox explain`.
    public var expected: BuildStep {
        switch self {
        case .bind(let source, let destination, let mode, _):
            .bind(source: source, destination: destination, mode: mode)
        case .expose(let path, let mode, _): .bind(source: path, destination: path, mode: mode)
        case .argument(let path, let source, let mode, _): .bind(source: source, destination: path, mode: mode)
        case .socket(let source, let destination): .bind(source: source, destination: destination, mode: .readOnly)
        case .xauthority(_, _, _, let destination):
            .data(descriptor: -1, path: destination, permissions: 0o400, bind: .readOnly)
        case .remountReadOnly(let path): .remountReadOnly(path)
        case .tmpfs(let path, let permissions, let size): .tmpfs(path, permissions: permissions, sizeBytes: size)
        case .proc(let path): .proc(path)
        case .dev(let path): .dev(path)
        case .mqueue(let path): .mqueue(path)
        case .directory(let path, let permissions): .directory(path, permissions: permissions)
        case .symlink(let target, let path): .symlink(target: target, path: path)
        case .chmod(let path, let permissions): .chmod(path, permissions: permissions)
        case .hide(let path): .hide(path)
        case .data(let descriptor, let path, let permissions, let bind):
            .data(descriptor: descriptor, path: path, permissions: permissions, bind: bind)
        case .overlay(let layers, let path, let writes): .overlay(layers: layers, path: path, writes: writes)
        }
    }
}
