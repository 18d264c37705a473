/// What the program may ask of the kernel: the system calls sbox's filter allows and refuses, the
/// compiled filters the caller gives (bwrap's), and the capabilities kept in the sandbox's own user
/// namespace.
extension Compilation {
    mutating func applySyscalls(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .syscalls, .syscallsDeny:
            for entry in try PlanCompiler.syscallEntries(a[0].lossy, for: option) {
                plan.syscallRules.append(SyscallRule(entry: entry, allow: option.name == .syscalls,
                                                     origin: option.origin))
            }
        case .seccompAction:
            guard let action = SeccompAction(rawValue: a[0].lossy) else {
                throw UsageError(option.origin, "'\(a[0])' is not an action (errno, enosys, kill or log)")
            }
            plan.seccompAction = action
        case .seccomp, .addSeccompFD:
            // bwrap loads only the last --seccomp (and warns); sbox mode loads them all.
            if mode == .bwrap && option.name == .seccomp { plan.filterDescriptors = [] }
            plan.filterDescriptors.append(try consumedDescriptor(a[0], of: option))
            note(option)
        case .unsafeNoSeccomp:
            plan.withoutSeccomp = true
            note(option)
        case .capAdd:
            plan.capabilities.formUnion(try PlanCompiler.capabilities(a[0].lossy, for: option))
            note(option)
        case .capDrop:
            plan.capabilities.subtract(try PlanCompiler.capabilities(a[0].lossy, for: option))
            note(option)
        default:
            throw misrouted(option)
        }
    }
}

extension PlanCompiler {
    static func capabilities(_ text: String, for option: ParsedOption) throws(UsageError) -> CapabilitySet {
        if text.uppercased() == "ALL" { return .all }
        if let capability = Capability.named(text) { return CapabilitySet(capability) }
        let closest = Suggestion.closest(to: text.uppercased(), in: Capability.suggestions)
        let hint = closest.map { " (did you mean \($0)?)" } ?? ""
        throw UsageError(option.origin, "unknown capability '\(text)'\(hint)")
    }

    /// The entries of a list: system call names and @groups.
    static func syscallEntries(_ list: String, for option: ParsedOption) throws(UsageError) -> [String] {
        var entries: [String] = []
        for item in list.split(separator: ",") {
            let entry = String(item.filter { $0 != " " })
            if entry.isEmpty { continue }
            if entry.hasPrefix("@") {
                guard SyscallGroups.members(of: entry) != nil else {
                    let closest = Suggestion.closest(to: entry, in: SyscallGroups.names)
                    let hint = closest.map { " (did you mean \($0)?)" } ?? ""
                    throw UsageError(option.origin, "unknown group \(entry)\(hint); sbox syscalls lists them")
                }
                entries.append(entry)
            } else {
                guard entry.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw UsageError(option.origin, "'\(entry)' is not a system call name")
                }
                entries.append(entry)
            }
        }
        guard !entries.isEmpty else { throw UsageError(option.origin, "the list is empty") }
        return entries
    }
}
