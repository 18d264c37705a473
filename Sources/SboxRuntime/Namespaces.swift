import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

extension Namespaces {
    /// clone(2), unshare(2) and setns(2) flags for these namespaces.
    var cloneFlags: Int32 {
        var flags: Int32 = 0
        if contains(.mount) { flags |= SBOX_CLONE_NEWNS }
        if contains(.user) { flags |= SBOX_CLONE_NEWUSER }
        if contains(.pid) { flags |= SBOX_CLONE_NEWPID }
        if contains(.ipc) { flags |= SBOX_CLONE_NEWIPC }
        if contains(.uts) { flags |= SBOX_CLONE_NEWUTS }
        if contains(.net) { flags |= SBOX_CLONE_NEWNET }
        if contains(.cgroup) { flags |= SBOX_CLONE_NEWCGROUP }
        return flags
    }
}

/// Why the kernel refused a user namespace, and how to allow it, in one sentence.
enum UserNamespaceDiagnosis {
    static func explain(_ error: SystemError, system: SystemCalls) -> String {
        func readFirstLine(_ path: ByteString) -> String? {
            guard let bytes = system.readFile(path, limit: 64), !bytes.isEmpty else { return nil }
            return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
        }
        let base = "cannot create a user namespace (\(error))"
        if error.errno == EPERM && system.seccompMode() == 2 {
            // Nested: a sandbox's filter (sbox's own refuses user namespaces to what it runs).
            return base + ": this process is already in a sandbox whose seccomp filter refuses new user namespaces; "
                + "run it outside"
        }
        if readFirstLine("/proc/sys/kernel/unprivileged_userns_clone") == "0" {
            return base + ": unprivileged user namespaces are disabled; "
                + "enable them with: sysctl -w kernel.unprivileged_userns_clone=1"
        }
        if readFirstLine("/proc/sys/user/max_user_namespaces") == "0" || error.errno == ENOSPC {
            return base + ": the limit of user namespaces is reached or zero; "
                + "raise it with: sysctl -w user.max_user_namespaces=15000"
        }
        if readFirstLine("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1" {
            return base + ": AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later); "
                + "allow sbox with an AppArmor profile granting 'userns,' "
                + "or set kernel.apparmor_restrict_unprivileged_userns=0"
        }
        return base
    }
}
