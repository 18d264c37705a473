/// Turns options, in order, into a `Plan`. Pure: every check that needs no system call is made here,
/// so that a bad command line fails before any namespace exists.
public enum PlanCompiler {
    public static func compile(_ invocation: Invocation, host: HostContext) throws(UsageError) -> Plan {
        guard !invocation.command.isEmpty else {
            throw UsageError("no command given (usage: sbox [OPTIONS] [--] COMMAND [ARG...])")
        }
        var plan = Plan(uid: host.uid, gid: host.gid, hostUID: host.uid, hostGID: host.gid,
                        callerDirectory: host.currentDirectory, environment: host.environment,
                        command: invocation.command)
        var modifiers = PendingModifiers()
        var hostnameOrigin: Origin?
        var mqueueOrigin: Origin?

        for option in invocation.options {
            let a = option.arguments
            func path(_ text: String) throws(UsageError) -> String { try sandboxPath(text, for: option) }
            func source(_ text: String) throws(UsageError) -> String { try hostPath(text, relativeTo: host.currentDirectory, for: option) }
            func mount(_ step: MountStep) { plan.mounts.append(PlannedMount(step, origin: option.origin)) }

            if option.name != .perms && option.name != .size {
                try modifiers.check(usableBy: option)
            }
            switch option.name {
            case .bind, .bindTry, .roBind, .roBindTry, .devBind, .devBindTry:
                let mode: MountStep.BindMode = switch option.name {
                case .roBind, .roBindTry: .readOnly
                case .devBind, .devBindTry: .devices
                default: .readWrite
                }
                let optional = option.name == .bindTry || option.name == .roBindTry || option.name == .devBindTry
                mount(.bind(source: try source(a[0]), destination: try path(a[1]), mode: mode, optional: optional))
            case .remountRO: mount(.remountReadOnly(try path(a[0])))
            case .tmpfs:
                mount(.tmpfs(try path(a[0]), permissions: modifiers.takePermissions() ?? 0o755, sizeBytes: modifiers.takeSize()))
            case .proc: mount(.proc(try path(a[0])))
            case .dev: mount(.dev(try path(a[0])))
            case .mqueue:
                mount(.mqueue(try path(a[0])))
                mqueueOrigin = option.origin
            case .dir: mount(.directory(try path(a[0]), permissions: modifiers.takePermissions() ?? 0o755))
            case .symlink:
                guard !a[0].isEmpty else { throw UsageError("\(option.origin): the link target is empty") }
                mount(.symlink(target: a[0], path: try path(a[1])))
            case .chmod: mount(.chmod(try path(a[1]), permissions: try permissions(a[0], for: option)))
            case .perms: try modifiers.setPermissions(try permissions(a[0], for: option), origin: option.origin)
            case .size: try modifiers.setSize(try size(a[0], for: option), origin: option.origin)
            case .uid: plan.uid = try id(a[0], for: option)
            case .gid: plan.gid = try id(a[0], for: option)
            case .hostname:
                plan.hostname = a[0]
                hostnameOrigin = option.origin
            case .chdir: plan.chdir = try path(a[0])
            case .setenv:
                try checkVariableName(a[0], for: option)
                plan.environment.removeAll { variableName($0) == a[0] }
                plan.environment.append(a[0] + "=" + a[1])
            case .unsetenv:
                try checkVariableName(a[0], for: option)
                plan.environment.removeAll { variableName($0) == a[0] }
            case .clearenv: plan.environment = []
            case .argv0: plan.argv0 = a[0]
            case .shareNet: plan.namespaces.remove(.net)
            case .sharePID: plan.namespaces.remove(.pid)
            case .shareIPC: plan.namespaces.remove(.ipc)
            case .shareUTS: plan.namespaces.remove(.uts)
            case .shareCgroup: plan.namespaces.remove(.cgroup)
            case .unshareAll: plan.namespaces = .all
            case .unshareNet: plan.namespaces.insert(.net)
            case .unsharePID: plan.namespaces.insert(.pid)
            case .unshareIPC: plan.namespaces.insert(.ipc)
            case .unshareUTS: plan.namespaces.insert(.uts)
            case .unshareCgroup, .unshareCgroupTry: plan.namespaces.insert(.cgroup)
            case .unshareUser, .unshareUserTry, .newSession, .dieWithParent: break  // always so in sbox mode
            case .asPID1: plan.programIsPID1 = true
            case .capAdd: plan.capabilities.formUnion(try capabilities(a[0], for: option))
            case .capDrop: plan.capabilities.subtract(try capabilities(a[0], for: option))
            case .help, .version: break  // answered by the command line before compiling
            }
        }
        if let pending = modifiers.origin {
            throw UsageError("\(pending) must be followed by the option it modifies (--perms: --dir or --tmpfs; --size: --tmpfs)")
        }
        if let origin = hostnameOrigin, !plan.namespaces.contains(.uts) {
            throw UsageError("\(origin): a host name needs the sandbox's own UTS namespace (remove --share-uts)")
        }
        if let origin = mqueueOrigin, !plan.namespaces.contains(.ipc) {
            throw UsageError("\(origin): a message-queue file system needs the sandbox's own IPC namespace (remove --share-ipc)")
        }
        if plan.programIsPID1 && !plan.namespaces.contains(.pid) {
            throw UsageError("--as-pid-1 needs the sandbox's own PID namespace (remove --share-pid)")
        }
        return plan
    }

    /// --perms and --size modify the next option; anything else in between is a mistake.
    struct PendingModifiers {
        var permissions: UInt32?
        var size: UInt64?
        var origin: Origin?

        mutating func setPermissions(_ value: UInt32, origin: Origin) throws(UsageError) {
            if permissions != nil { throw UsageError("\(origin): --perms given twice for the same option") }
            permissions = value
            self.origin = origin
        }

        mutating func setSize(_ value: UInt64, origin: Origin) throws(UsageError) {
            if size != nil { throw UsageError("\(origin): --size given twice for the same option") }
            size = value
            self.origin = origin
        }

        mutating func takePermissions() -> UInt32? {
            defer { permissions = nil; clearOrigin() }
            return permissions
        }

        mutating func takeSize() -> UInt64? {
            defer { size = nil; clearOrigin() }
            return size
        }

        private mutating func clearOrigin() { if permissions == nil && size == nil { origin = nil } }

        func check(usableBy option: ParsedOption) throws(UsageError) {
            if permissions != nil, option.name != .dir, option.name != .tmpfs {
                throw UsageError("--perms must be followed by --dir or --tmpfs, not \(option.origin)")
            }
            if size != nil, option.name != .tmpfs {
                throw UsageError("--size must be followed by --tmpfs, not \(option.origin)")
            }
        }
    }

    // MARK: - Values

    static func sandboxPath(_ text: String, for option: ParsedOption) throws(UsageError) -> String {
        guard text.hasPrefix("/") else {
            throw UsageError("\(option.origin): '\(text)' must be an absolute path inside the sandbox")
        }
        return normalize(text)
    }

    static func hostPath(_ text: String, relativeTo directory: String, for option: ParsedOption) throws(UsageError) -> String {
        guard !text.isEmpty else { throw UsageError("\(option.origin): the source path is empty") }
        return normalize(text.hasPrefix("/") ? text : directory + "/" + text)
    }

    /// Removes empty and `.` components and a trailing slash; `..` is kept for the kernel to resolve
    /// (inside the sandbox it cannot climb above the new root).
    static func normalize(_ path: String) -> String {
        var result = ""
        var component = ""
        for character in path + "/" {
            guard character == "/" else {
                component.append(character)
                continue
            }
            if !component.isEmpty && component != "." { result += "/" + component }
            component = ""
        }
        return result.isEmpty ? "/" : result
    }

    static func permissions(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt32 {
        guard let value = UInt32(text, radix: 8), value <= 0o7777 else {
            throw UsageError("\(option.origin): '\(text)' is not an octal mode between 0 and 7777")
        }
        return value
    }

    static func size(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt64 {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = Substring(text)
        var multiplier: UInt64 = 1
        if let last = digits.last?.uppercased().first, let unit = units[last] {
            multiplier = unit
            digits = digits.dropLast()
        }
        guard let value = UInt64(digits), value > 0, value <= UInt64.max / multiplier else {
            throw UsageError("\(option.origin): '\(text)' is not a size in bytes (a positive number, optionally with K, M or G)")
        }
        return value * multiplier
    }

    static func id(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt32 {
        guard let value = UInt32(text), value != UInt32.max else {
            throw UsageError("\(option.origin): '\(text)' is not a numeric id")
        }
        return value
    }

    static func capabilities(_ text: String, for option: ParsedOption) throws(UsageError) -> CapabilitySet {
        if text.uppercased() == "ALL" { return .all }
        if let capability = Capability.named(text) { return CapabilitySet(capability) }
        let hint = Suggestion.closest(to: text.uppercased(), in: Capability.suggestions).map { " (did you mean \($0)?)" } ?? ""
        throw UsageError("\(option.origin): unknown capability '\(text)'\(hint)")
    }

    static func checkVariableName(_ name: String, for option: ParsedOption) throws(UsageError) {
        guard !name.isEmpty, !name.contains("=") else {
            throw UsageError("\(option.origin): '\(name)' is not a valid environment variable name")
        }
    }

    static func variableName(_ entry: String) -> Substring {
        entry.prefix { $0 != "=" }
    }
}
