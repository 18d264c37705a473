/// Which namespaces are the sandbox's own, which it joins (bwrap's --userns, --pidns, --userns2), and
/// user namespaces inside it. In sbox mode every namespace is new unless shared; bwrap mode starts
/// from the host's but for user and mount (CompileBwrap), and keeps bwrap's rules and words.
extension Compilation {
    mutating func applyNamespace(_ option: ParsedOption) throws(UsageError) {
        switch option.name {
        case .shareNet: plan.namespaces.remove(.net)
        case .sharePID: plan.namespaces.remove(.pid)
        case .shareIPC: plan.namespaces.remove(.ipc)
        case .shareUTS: plan.namespaces.remove(.uts)
        case .shareCgroup: plan.namespaces.remove(.cgroup)
        case .unshareAll:
            plan.namespaces = .all
            userNamespaceRequested = true
        case .unshareNet: plan.namespaces.insert(.net)
        case .unsharePID: plan.namespaces.insert(.pid)
        case .unshareIPC: plan.namespaces.insert(.ipc)
        case .unshareUTS: plan.namespaces.insert(.uts)
        case .unshareCgroup, .unshareCgroupTry: plan.namespaces.insert(.cgroup)
        case .disableUserns: plan.disableUserNamespaces = true
        case .assertUsernsDisabled: plan.assertUserNamespacesDisabled = true
        case .unshareUser, .unshareUserTry:
            userNamespaceRequested = true  // always new in sbox: nothing to note
            return
        case .userns, .userns2, .pidns, .usernsBlockFD:
            try joinNamespace(option)
            return
        default:
            throw misrouted(option)
        }
        note(option)
    }

    /// Namespaces the caller opened, given as descriptors.
    mutating func joinNamespace(_ option: ParsedOption) throws(UsageError) {
        let fd = try descriptor(option.arguments[0], of: option)
        switch option.name {
        case .userns: plan.joinedUserNamespace = fd
        case .userns2: plan.userNamespaceAfterSetup = fd
        case .pidns: plan.joinedPIDNamespace = fd
        case .usernsBlockFD: plan.usernsBlockDescriptor = fd
        default: throw misrouted(option)
        }
    }

    /// bwrap's rules on user namespaces, and their words: a joined one replaces the sandbox's own;
    /// with --userns-block-fd, the caller writes the maps.
    mutating func settleUserNamespaces() throws(UsageError) {
        if mode == .bwrap && plan.disableUserNamespaces && !userNamespaceRequested {
            throw UsageError("--disable-userns requires --unshare-user")
        }
        if plan.joinedUserNamespace != nil {
            if mode == .bwrap && userNamespaceRequested { throw UsageError("--userns not compatible --unshare-user") }
            if plan.uid != host.uid || plan.gid != host.gid {
                throw UsageError("--uid and --gid cannot be combined with --userns: the joined namespace's maps decide "
                    + "the ids")
            }
            if plan.disableUserNamespaces { throw UsageError("--disable-userns requires --unshare-user") }
            if plan.usernsBlockDescriptor != nil { throw UsageError("--userns-block-fd requires --unshare-user") }
            plan.namespaces.remove(.user)
        }
        if plan.usernsBlockDescriptor != nil {
            // The caller learns the sandbox's pid, to write its maps, from --info-fd.
            if mode == .bwrap && !userNamespaceRequested {
                throw UsageError("--userns-block-fd requires --unshare-user")
            }
            if plan.infoDescriptor == nil { throw UsageError("--userns-block-fd requires --info-fd") }
            if plan.disableUserNamespaces {
                throw UsageError("--disable-userns is not compatible with --userns-block-fd")
            }
        }
    }
}
