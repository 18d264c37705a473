/// The file system options (bwrap's): binds, file systems, directories, links, modes, the data and
/// directories given as descriptors, and the --perms and --size modifiers, applied in the order given.
extension Compilation {
    mutating func applyMount(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .bind, .bindTry, .roBind, .roBindTry, .devBind, .devBindTry:
            let bind: MountStep.BindMode = switch option.name {
            case .roBind, .roBindTry: .readOnly
            case .devBind, .devBindTry: .devices
            default: .readWrite
            }
            mount(.bind(source: try source(a[0], of: option), destination: try destination(a[1], of: option),
                        mode: bind, optional: option.name.isOptional), for: option)
        case .remountRO: mount(.remountReadOnly(try destination(a[0], of: option)), for: option)
        case .tmpfs:
            mount(.tmpfs(try destination(a[0], of: option), permissions: modifiers.takePermissions() ?? 0o755,
                         sizeBytes: modifiers.takeSize()), for: option)
        case .proc: mount(.proc(try destination(a[0], of: option)), for: option)
        case .dev: mount(.dev(try destination(a[0], of: option)), for: option)
        case .mqueue:
            mount(.mqueue(try destination(a[0], of: option)), for: option)
            mqueueOrigin = option.origin
        case .dir:
            mount(.directory(try destination(a[0], of: option), permissions: modifiers.takePermissions() ?? 0o755),
                  for: option)
        case .symlink:
            guard !a[0].isEmpty else { throw UsageError(option.origin, "the link target is empty") }
            mount(.symlink(target: a[0], path: try destination(a[1], of: option)), for: option)
        case .chmod:
            let path = try destination(a[1], of: option)
            mount(.chmod(path, permissions: try PlanCompiler.permissions(a[0].lossy, for: option)), for: option)
        case .perms:
            try modifiers.setPermissions(try PlanCompiler.permissions(a[0].lossy, for: option), origin: option.origin)
        case .size:
            let size = mode == .bwrap ? try BwrapArguments.size(a[0]) : try PlanCompiler.size(a[0].lossy, for: option)
            try modifiers.setSize(size, origin: option.origin)
        default:
            throw misrouted(option)
        }
    }

    /// --file and the data binds: a file made of what sbox reads from a descriptor. --bind-fd: a
    /// directory the caller opened, found through /proc before any namespace exists.
    mutating func applyDescriptorMount(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .file, .bindData, .roBindData:
            let bind: MountStep.BindMode? = switch option.name {
            case .bindData: .readWrite
            case .roBindData: .readOnly
            default: nil
            }
            // bwrap's historical modes: 0666 for --file, mkstemp's 0600 for the data binds.
            let permissions = modifiers.takePermissions() ?? (option.name == .file ? 0o666 : 0o600)
            mount(.data(descriptor: try consumedDescriptor(a[0], of: option), path: try destination(a[1], of: option),
                        permissions: permissions, bind: bind), for: option)
        case .bindFD, .roBindFD:
            let fd = try descriptor(a[0], of: option)
            mount(.bind(source: ByteString("/proc/self/fd/\(fd)"), destination: try destination(a[1], of: option),
                        mode: option.name == .roBindFD ? .readOnly : .readWrite, optional: false), for: option)
        default:
            throw misrouted(option)
        }
    }

    /// Before any option: a pending --perms or --size must be for it, and pending overlay layers
    /// must be followed by another or by their overlay.
    func checkPendingMounts(before option: ParsedOption) throws(UsageError) {
        if option.name != .perms && option.name != .size {
            try modifiers.check(usableBy: option)
        }
        try checkOverlayContinues(with: option)
    }

    func checkModifiersUsed() throws(UsageError) {
        if let pending = modifiers.origin {
            throw UsageError("\(pending) must be followed by the option it modifies (--perms: --dir, --tmpfs, --file, "
                + "--bind-data or --ro-bind-data; --size: --tmpfs)")
        }
    }

    func checkMessageQueue() throws(UsageError) {
        if let origin = mqueueOrigin, !plan.namespaces.contains(.ipc) {
            throw UsageError(origin, "a message-queue file system needs the sandbox's own IPC namespace "
                + "(remove --share-ipc)")
        }
    }
}

extension PlanCompiler {
    static func permissions(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt32 {
        guard let value = UInt32(text, radix: 8), value <= 0o7777 else {
            throw UsageError(option.origin, "'\(text)' is not an octal mode between 0 and 7777")
        }
        return value
    }

    /// A size as sbox reads it (bwrap mode: BwrapArguments.size); rlimits read theirs so too.
    static func size(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt64 {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        if let last = digits.last?.uppercased().first, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard let value = UInt64(digits), value > 0, value <= UInt64.max / multiplier else {
            throw UsageError(option.origin, "'\(text)' is not a size in bytes (a positive number, optionally "
                + "with K, M or G)")
        }
        return value * multiplier
    }
}
