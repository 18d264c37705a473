/// --perms and --size modify the next option; anything else in between is a mistake.
struct PendingModifiers {
    var permissions: UInt32?
    var size: UInt64?
    /// The last modifier given, while one waits for its option.
    var origin: Origin?

    mutating func setPermissions(_ value: UInt32, origin: Origin) throws(UsageError) {
        if permissions != nil { throw UsageError(origin, "--perms given twice for the same option") }
        permissions = value
        self.origin = origin
    }

    mutating func setSize(_ value: UInt64, origin: Origin) throws(UsageError) {
        if size != nil { throw UsageError(origin, "--size given twice for the same option") }
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
        if permissions != nil, !option.name.takesPermissions {
            throw UsageError("--perms must be followed by --dir, --tmpfs, --file, --bind-data or --ro-bind-data, "
                + "not \(option.origin)")
        }
        if size != nil, !option.name.takesSize {
            throw UsageError("--size must be followed by --tmpfs, not \(option.origin)")
        }
    }
}
