/// The program's process: PID 1 or under sbox's init, its session, its limits in time and resources,
/// and bwrap's protocols with its caller through descriptors and lock files.
extension Compilation {
    mutating func applyProcess(_ option: ParsedOption) throws(UsageError) {
        switch option.name {
        case .asPID1:
            plan.programIsPID1 = true
            note(option)
        case .newSession: plan.newSession = true
        case .dieWithParent:
            plan.dieWithParent = true
            plan.diesWithCaller = true
        case .verbose: plan.verbose = true
        case .execLabel, .fileLabel:
            throw UsageError(option.origin, "SELinux labels are not supported by sbox")
        default:
            throw misrouted(option)
        }
    }

    /// --timeout and --rlimit-*: the last of each kind counts.
    mutating func applyLimit(_ option: ParsedOption) throws(UsageError) {
        let text = option.arguments[0].lossy
        let kind: ResourceKind
        switch option.name {
        case .timeout:
            guard let value = PlanCompiler.milliseconds(text) else {
                throw UsageError(option.origin, "'\(option.arguments[0])' is not a duration (a positive number of "
                    + "seconds, or with s, m, h or d)")
            }
            plan.timeoutMilliseconds = value
            note(option)
            return
        case .rlimitNofile: kind = .openFiles
        case .rlimitNproc: kind = .processes
        case .rlimitAs: kind = .addressSpace
        case .rlimitCpu: kind = .cpuSeconds
        case .rlimitFsize: kind = .fileSize
        case .rlimitCore: kind = .coreSize
        default: throw misrouted(option)
        }
        plan.resourceLimits.removeAll { $0.kind == kind }
        plan.resourceLimits.append(try PlanCompiler.resourceLimit(kind, text, for: option))
        note(option)
    }

    /// bwrap's descriptors for its caller (what the sandbox is, when it ends, when it may start) and
    /// the files whose locks the sandbox holds.
    mutating func applyCallerProtocol(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .infoFD: plan.infoDescriptor = try descriptor(a[0], of: option)
        case .jsonStatusFD: plan.jsonStatusDescriptor = try descriptor(a[0], of: option)
        case .syncFD: plan.syncDescriptor = try descriptor(a[0], of: option)
        case .blockFD: plan.blockDescriptor = try descriptor(a[0], of: option)
        case .lockFile: plan.lockFiles.append(try destination(a[0], of: option))
        default: throw misrouted(option)
        }
    }

    /// The program as PID 1 replaces sbox's init, which needs a PID namespace to be PID 1 of and holds
    /// the locks.
    func checkPIDOne() throws(UsageError) {
        if plan.programIsPID1 && !plan.namespaces.contains(.pid) {
            throw UsageError("--as-pid-1 needs the sandbox's own PID namespace (remove --share-pid)")
        }
        if plan.programIsPID1 && !plan.lockFiles.isEmpty {
            // bwrap refuses it too.
            throw UsageError("--as-pid-1 and --lock-file cannot be combined: the locks are held by sbox's init")
        }
    }
}
