/// Landlock: its mode, and the restrictions beyond the mirror of the mounts (paths to read or write
/// only beneath, TCP ports to connect or bind to only).
extension Compilation {
    mutating func applyLandlock(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .landlock:
            guard let value = LandlockPolicy.Mode(rawValue: a[0].lossy) else {
                throw UsageError(option.origin, "'\(a[0])' is not a Landlock mode (required, best-effort or off)")
            }
            landlockMode = value
            note(option)
        case .landlockRead:
            plan.landlock.readPaths.append(LandlockPath(try destination(a[0], of: option), origin: option.origin))
        case .landlockWrite:
            plan.landlock.writePaths.append(LandlockPath(try destination(a[0], of: option), origin: option.origin))
        case .landlockConnect: plan.landlock.connectPorts.append(try PlanCompiler.port(a[0].lossy, for: option))
        case .landlockBind: plan.landlock.bindPorts.append(try PlanCompiler.port(a[0].lossy, for: option))
        default: throw misrouted(option)
        }
    }

    /// The mode given, else best-effort; bwrap has no Landlock, so in its mode off unless a
    /// restriction asks for it.
    mutating func settleLandlock() throws(UsageError) {
        plan.landlock.mode = landlockMode ?? (mode == .bwrap && !plan.landlock.restricts ? .off : .bestEffort)
        if plan.landlock.mode == .off && plan.landlock.restricts {
            throw UsageError("--landlock off: --landlock-read, --landlock-write, --landlock-connect and "
                + "--landlock-bind need Landlock")
        }
    }
}

extension PlanCompiler {
    static func port(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt16 {
        guard let value = UInt16(text) else {
            throw UsageError(option.origin, "'\(text)' is not a port number (0 to 65535)")
        }
        return value
    }
}
