/// bwrap mode's defaults. Its other differences are where the rules they change are: how it reads a
/// destination, a descriptor or a size (Compilation, BwrapArguments), its last --seccomp only
/// (CompileSyscalls), its rules on user namespaces (CompileNamespaces), Landlock off unless asked
/// (CompileLandlock), and its warnings about repeated options (BwrapArguments.check).
extension Compilation {
    /// The host's namespaces but for user and mount, no new session, no death with the parent, a
    /// writable root, no mount lock, no seccomp filter unless given, the caller's descriptors passed
    /// on (Flatpak gives xdg-dbus-proxy its --args=FD so).
    static func applyBwrapDefaults(to plan: inout Plan, host: HostContext) {
        plan.mode = .bwrap
        plan.namespaces = [.user, .mount]
        plan.newSession = false
        plan.dieWithParent = false
        plan.readOnlyRoot = false
        plan.lockMounts = false
        plan.withoutSeccomp = true
        plan.passesDescriptors = true
        // bwrap run by root keeps every capability unless --cap-drop (in sbox, in the sandbox's own
        // user namespace: never the host's).
        if host.uid == 0 { plan.capabilities = .all }
    }
}
