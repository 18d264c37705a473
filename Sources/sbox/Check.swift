import SboxCore
import SboxRuntime

/// `sbox check FILE-or-NAME...`: reads each profile and what it includes, and compiles it, without
/// running anything. Exit 0 when every one is valid, 1 otherwise; each error names file:line.
func checkProfiles(_ references: [ByteString], host: HostContext) -> Int32 {
    guard !references.isEmpty else {
        Diagnostics.error("check needs a profile name or file (usage: sbox check FILE-or-NAME...)")
        return 1
    }
    let loader = ProfileLoader(store: ProfileFiles(), variables: ProfileVariables(host: host))
    var valid = true
    for reference in references {
        let result = loader.load(reference, withLocal: false)
        var errors = result.errors.map(\.message)
        if errors.isEmpty {
            do {
                let plan = try PlanCompiler.compile(Invocation(options: result.options, command: []), host: host,
                                                    requireCommand: false)
                let (syscallErrors, warnings) = SeccompFilter.review(plan)
                errors += syscallErrors
                for warning in warnings { Diagnostics.error("warning: " + warning) }
                let known = HostSockets.exposed(by: plan, host: host)
                for socket in known {
                    Diagnostics.error("warning: \(socket.origin): exposes the host's \(socket.path): \(socket.note)")
                }
                for mount in plan.mounts {
                    guard let path = requiredSource(mount.step), !HostFiles.exists(path) else { continue }
                    Diagnostics.error("warning: \(mount.origin): \(path) does not exist here: "
                        + "the sandbox would not start "
                        + "(the -try form skips what is missing; rw-create makes a directory of the home)")
                }
                for mount in plan.mounts where !known.contains(where: { $0.origin == mount.origin }) {
                    guard let path = exposedHostPath(mount.step), HostFiles.isSocket(path) else { continue }
                    Diagnostics.error("warning: \(mount.origin): exposes the host's unix socket \(path): "
                        + "the service behind it acts for the program")
                }
            } catch {
                errors.append(error.message)
            }
        }
        if errors.isEmpty {
            Diagnostics.write(line: "\(reference): ok", to: 1)
        } else {
            valid = false
            for error in errors { Diagnostics.error(error) }
        }
    }
    return valid ? 0 : 1
}

/// The host path a step needs, if it does.
private func requiredSource(_ step: MountStep) -> ByteString? {
    switch step {
    case .expose(let path, _, false): return path
    case .bind(let source, _, _, false): return source
    default: return nil
    }
}

/// The host path a step shows at the same place, if it does.
private func exposedHostPath(_ step: MountStep) -> ByteString? {
    switch step {
    case .expose(let path, _, _): return path
    case .bind(let source, let destination, _, _) where source == destination: return source
    default: return nil
    }
}
