import SboxCore
import SboxRuntime

/// `sbox syscalls [@GROUP...]`: the groups the `syscalls` directive knows, or their members.
func listSyscalls(_ groups: [String]) -> Int32 {
    guard !groups.isEmpty else {
        for group in SyscallGroups.names {
            Diagnostics.write(line: group.padding(to: 18) + SyscallGroups.summary(of: group), to: 1)
        }
        Diagnostics.write(line: "\nin no group (a profile must name them): "
                                + SyscallGroups.dangerous.joined(separator: " "), to: 1)
        return 0
    }
    for group in groups {
        guard let members = SyscallGroups.expand(group) else {
            let hint = Suggestion.closest(to: group, in: SyscallGroups.names).map { " (did you mean \($0)?)" } ?? ""
            Diagnostics.error("unknown group '\(group)'\(hint)")
            return 1
        }
        Diagnostics.write(line: group + ": " + members.joined(separator: " "), to: 1)
    }
    return 0
}
