import SboxCore

/// sbox's own directories (its profiles, its filter cache's key) are what the next run reads as
/// policy. Every sandbox hides them, but hiding a path does not protect it from a program that can
/// write a directory above it: it renames that directory away and makes a new one with the old
/// name, whose files the next run would obey. So a plan that lets the sandbox write one of them, a
/// directory above one, or anything in one, is refused before anything runs. Paths are compared as
/// the host resolves them: a symlink does not hide that two paths are the same place.
enum OwnDirectories {
    static func check(_ mounts: [PlannedMount], plan: Plan, system: SystemCalls) throws(SandboxError) {
        let regions = writableRegions(mounts, plan: plan)
        guard !regions.isEmpty, !plan.ownDirectories.isEmpty else { return }
        let own = plan.ownDirectories.map { (try? system.canonicalPath($0)) ?? $0 }
        for (region, origin) in regions {
            for directory in own where region.isWithin(directory) || directory.isWithin(region) {
                let what = region.isWithin(directory) ? "\(region) is" : "\(region) holds"
                throw SandboxError("\(origin): the sandbox could write there, and \(what) sbox's own files (\(directory)): "
                    + "a program could change the profiles and filters of the next run. Expose a directory beside them, "
                    + "or read-only, or restrict writes with --landlock-write")
            }
        }
    }

    /// The host paths the sandbox may write beneath (sources as resolved), with what made each
    /// writable; with --landlock-write, only what is beneath those paths.
    static func writableRegions(_ mounts: [PlannedMount], plan: Plan) -> [(ByteString, Origin)] {
        var regions: [(ByteString, Origin)] = []
        for mount in mounts {
            switch mount.step {
            case .bind(let source, let destination, let mode, _) where mode != .readOnly:
                guard !plan.landlock.writePaths.isEmpty else {
                    regions.append((source, mount.origin))
                    continue
                }
                for entry in plan.landlock.writePaths {
                    if destination.isWithin(entry.path) {
                        regions.append((source, mount.origin))
                    } else if entry.path.isStrictlyBeneath(destination) {
                        let rest = entry.path.dropFirst(destination == ByteString.root ? 1 : destination.count + 1)
                        regions.append((source.appending(rest), entry.origin))
                    }
                }
            case .overlay(_, _, .host(let upper, let work)):
                regions += [(upper, mount.origin), (work, mount.origin)]
            default: continue
            }
        }
        return regions
    }
}
