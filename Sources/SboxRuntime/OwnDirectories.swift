import SboxCore

/// sbox's own directories (its profiles, its filter cache's key) are what the next run reads as
/// policy. Every sandbox hides them, but hiding a path does not protect it from a program that can
/// write a directory above it: it renames that directory away and makes a new one with the old
/// name, whose files the next run would obey. So a plan that lets the sandbox write one of them, a
/// directory above one, or anything in one, is refused before anything runs. Paths are compared as
/// the host resolves them: a symlink does not hide that two paths are the same place.
enum OwnDirectories {
    /// Where the sandbox may write: a host path, what made it writable, and whether the path is a
    /// --landlock-write one (inside a writable bind) rather than the bind's source.
    struct Region {
        let path: ByteString
        let origin: Origin
        let restricted: Bool
    }

    static func check(_ mounts: [BuiltMount], plan: Plan, system: SystemCalls) throws(SandboxError) {
        let regions = writableRegions(mounts, plan: plan)
        guard !regions.isEmpty, !plan.ownDirectories.isEmpty else { return }
        let own = plan.ownDirectories.map { HostPaths.resolved($0, system: system) }
        for region in regions {
            let path = HostPaths.resolved(region.path, system: system)
            // Landlock follows a symlink in a --landlock-write path inside the sandbox, where an
            // absolute one resolves otherwise than on the host: only a real path can be checked.
            if region.restricted && path != region.path {
                throw SandboxError("\(region.origin): the path leads through a symlink (to \(path)): "
                                   + "give the real path")
            }
            for directory in own where path.isWithin(directory) || directory.isWithin(path) {
                let what = path.isWithin(directory) ? "\(path) is" : "\(path) holds"
                throw SandboxError("\(region.origin): the sandbox could write there, "
                    + "and \(what) sbox's own files (\(directory)): "
                    + "a program could change the profiles and filters of the next run. "
                    + "Expose a directory beside them, or read-only, or restrict writes with --landlock-write")
            }
        }
    }

    /// The host paths the sandbox may write beneath (sources as resolved), with what made each
    /// writable; with --landlock-write, only what is beneath those paths.
    static func writableRegions(_ mounts: [BuiltMount], plan: Plan) -> [Region] {
        var regions: [Region] = []
        for mount in mounts {
            switch mount.step {
            case .bind(let source, let destination, let mode) where mode != .readOnly:
                guard !plan.landlock.writePaths.isEmpty else {
                    regions.append(Region(path: source, origin: mount.origin, restricted: false))
                    continue
                }
                for entry in plan.landlock.writePaths {
                    if destination.isWithin(entry.path) {
                        regions.append(Region(path: source, origin: mount.origin, restricted: false))
                    } else if entry.path.isStrictlyBeneath(destination) {
                        let rest = entry.path.dropFirst(destination == ByteString.root ? 1 : destination.count + 1)
                        regions.append(Region(path: source.appending(rest), origin: entry.origin, restricted: true))
                    }
                }
            case .overlay(_, _, .host(let upper, let work)):
                regions += [Region(path: upper, origin: mount.origin, restricted: false),
                            Region(path: work, origin: mount.origin, restricted: false)]
            default: continue
            }
        }
        return regions
    }
}
