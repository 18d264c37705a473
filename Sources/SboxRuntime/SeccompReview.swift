import CSeccomp
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The system call names a profile gives, as `sbox check` and `sbox learn` read them: never on a
/// sandbox's path, where `SeccompPolicy.resolve` refuses an unknown name instead.
extension SeccompFilter {
    /// Whether this architecture has the system call `name`.
    public static func isKnown(_ name: String) -> Bool { seccomp_syscall_resolve_name(name) >= 0 }

    /// What `sbox check` says about the system calls a plan names explicitly: an unknown name is an
    /// error (with the closest known one), a name this architecture does not have and a dangerous
    /// one are warnings.
    public static func review(_ plan: Plan) -> (errors: [String], warnings: [String]) {
        var errors: [String] = [], warnings: [String] = []
        if let unsafe = plan.settings.first(where: { $0.text == "unsafe-no-seccomp" }) {
            warnings.append("\(unsafe.origin): no seccomp filter: "
                            + "TIOCSTI, new namespaces and other ABIs are not refused")
        }
        var known: [String]?
        for rule in plan.syscallRules where !rule.entry.hasPrefix("@") {
            let name = rule.entry
            let number = seccomp_syscall_resolve_name(name)
            if number != __NR_SCMP_ERROR && number < 0 || number == __NR_SCMP_ERROR && existsElsewhere(name) {
                // libseccomp knows it, from another architecture (a pseudo number here, or none).
                warnings.append("\(rule.origin): '\(name)' does not exist on this architecture")
            } else if number == __NR_SCMP_ERROR {
                if known == nil { known = nativeNames() }
                let hint = Suggestion.closest(to: name, in: known ?? []).map { " (did you mean '\($0)'?)" } ?? ""
                errors.append("\(rule.origin): unknown system call '\(name)'\(hint)")
            } else if rule.allow && SyscallGroups.dangerous.contains(name) {
                warnings.append("\(rule.origin): '\(name)' reaches kernel attack surface or power over the host; "
                                + "it is in no group on purpose")
            }
        }
        return (errors, warnings)
    }

    /// Whether `name` is a system call of another architecture (i386, AArch64, ARM): a profile shared
    /// between machines may name it, and it is no mistake.
    private static func existsElsewhere(_ name: String) -> Bool {
        [AuditArch.i386, AuditArch.aarch64, AuditArch.arm].contains {
            seccomp_syscall_resolve_name_arch($0, name) != __NR_SCMP_ERROR
        }
    }

    /// Every system call name of this architecture, for suggestions.
    private static func nativeNames() -> [String] {
        var names: [String] = []
        for number in Int32(0)..<1024 {
            guard let name = seccomp_syscall_resolve_num_arch(seccomp_arch_native(), number) else { continue }
            names.append(String(cString: name))
            free(name)
        }
        return names
    }
}
