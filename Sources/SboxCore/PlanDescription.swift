/// `sbox explain`: the plan in the order it will be applied, every step with where it came from.
public enum PlanDescription {
    /// `landlockABI`: the running kernel's, to say what it enforces (nil: not asked).
    /// `sockets`: the host's sockets the plan exposes (HostSockets.exposed).
    public static func text(_ plan: Plan, landlockABI: Int? = nil, sockets: [ExposedSocket] = []) -> String {
        var lines: [String] = []
        let new = Namespaces.names.filter { plan.namespaces.contains($0.0) }.map(\.1)
        let shared = Namespaces.names.filter { !plan.namespaces.contains($0.0) }.map(\.1)
        lines.append("namespaces: new " + new.joined(separator: ", ")
            + (shared.isEmpty ? "" : "; the host's " + shared.joined(separator: ", ")))
        lines.append("identity: uid \(plan.uid), gid \(plan.gid) inside "
            + "(the caller's \(plan.hostUID), \(plan.hostGID) outside)")
        lines += processLines(plan.topology, plan)
        lines.append("")
        lines.append("file system, in order (the root is an empty read-only tmpfs):")
        for mount in plan.mounts { lines.append(row(mount.step.description, mount.origin)) }
        if plan.mounts.isEmpty { lines.append("  (nothing: only an empty root)") }
        lines.append("")
        if plan.egress.isActive {
            lines.append("network: the sandbox's own, only loopback; "
                + "its way out is sbox's proxy at 127.0.0.1:\(EgressPolicy.port) "
                + "(HTTP, SOCKS: the proxy variables are set), which connects only to:")
            for line in plan.egress.lines { lines.append(row("allow-host \(line.host)", line.origin)) }
            lines.append("")
        }
        lines.append(sockets.isEmpty ? "host sockets: none of the known ones"
                                     : "host sockets the program can reach, and what they give it:")
        for socket in sockets { lines.append(row("\(socket.path)", socket.origin) + "\n      " + socket.note) }
        lines.append("")
        lines.append("settings:")
        for setting in plan.settings { lines.append(row(setting.text, setting.origin)) }
        if plan.settings.isEmpty { lines.append("  (none)") }
        lines.append("")
        lines.append("capabilities: " + (plan.capabilities.isEmpty ? "none" : plan.capabilities.description)
            + "; no_new_privs")
        lines.append("")
        lines += landlockLines(plan.landlock, mirror: plan.landlockMirror, abi: landlockABI)
        lines.append("")
        if plan.withoutSeccomp {
            lines.append("system calls: UNSAFE, no seccomp filter (--unsafe-no-seccomp): nothing is refused")
        } else if let allowed = plan.allowedSyscalls {
            lines.append("system calls: \(allowed.count) allowed, "
                + "every other one gets \(actionText(plan.seccompAction)):")
        } else {
            lines.append("system calls: all but the always-refused ones"
                + (plan.deniedSyscalls.isEmpty ? "" : " and those below (\(actionText(plan.seccompAction)))") + ":")
        }
        for rule in plan.syscallRules {
            let text = (rule.allow ? "allow " : "refuse ") + rule.entry
                + (rule.entry.hasPrefix("@") ? " (\(rule.names.count))" : "")
            lines.append(row(text, rule.origin))
        }
        if !plan.withoutSeccomp {
            lines.append("  always refused: the TIOCSTI and TIOCLINUX ioctls, "
                + "new namespaces (clone flags, unshare, setns),")
            lines.append("  personality changes, clone3 (ENOSYS); other ABIs (i386, x32) are killed")
        }
        lines.append("terminal: " + (plan.relayedDescriptors.isEmpty ? "none (no standard descriptor is a terminal)"
            : "a new pseudo-terminal on " + plan.relayedDescriptors.map(String.init).joined(separator: ", ")
                + ", relayed by sbox: the caller's terminal stays outside"))
        lines.append("working directory: " + plan.workingDirectory.description)
        for notice in plan.notices { lines.append("  " + notice) }
        lines.append("environment: "
            + plan.environment.map { PlanCompiler.variableName($0).description }.joined(separator: " "))
        for variable in plan.droppedVariables { lines.append("  dropped \(variable.name): \(variable.reason)") }
        lines.append("command: "
            + (plan.command.isEmpty ? "(none given)" : plan.command.map(\.description).joined(separator: " ")))
        return lines.joined(separator: "\n")
    }

    private static func landlockLines(_ policy: LandlockPolicy, mirror: [LandlockRule], abi: Int?) -> [String] {
        guard policy.mode != .off else { return ["Landlock: off"] }
        var lines: [String] = []
        var head = "Landlock: \(policy.mode.rawValue)"
        var dropped: [String] = []
        if let abi {
            head += abi > 0 ? ", kernel ABI \(abi)" : ", this kernel has none"
            do { _ = try LandlockEnforcement.of(policy, abi: abi) } catch {
                dropped = ["sbox would stop: \(error.message)"]
            }
            if dropped.isEmpty { dropped = LandlockEnforcement.dropped(policy, abi: abi).all }
        }
        lines.append(head + "; rights that mirror the file system (each path and what is beneath it;"
            + " one that is a symlink or absent on the host adds no rule):")
        for rule in mirror { lines.append("  \(rule.access.rawValue) \(rule.path)") }
        lines.append("  abstract unix sockets and signals: only within the sandbox")
        for entry in policy.readPaths { lines.append(row("reads only beneath \(entry.path)", entry.origin)) }
        for entry in policy.writePaths { lines.append(row("writes only beneath \(entry.path)", entry.origin)) }
        if !policy.connectPorts.isEmpty {
            lines.append("  TCP connections only to ports "
                + policy.connectPorts.map(String.init).joined(separator: ", "))
        }
        if !policy.bindPorts.isEmpty {
            lines.append("  TCP binds only to ports " + policy.bindPorts.map(String.init).joined(separator: ", "))
        }
        if abi != nil {
            lines.append("  dropped on this kernel: " + (dropped.isEmpty ? "nothing" : dropped.joined(separator: "; ")))
        }
        return lines
    }

    public static func json(_ plan: Plan, sockets: [ExposedSocket] = []) -> String {
        func string(_ value: String) -> String {
            var out = "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        func strings(_ values: [String]) -> String { "[" + values.map(string).joined(separator: ", ") + "]" }
        func strings(_ values: [ByteString]) -> String { strings(values.map(\.description)) }
        func step(_ text: String, _ origin: Origin) -> String {
            "{\"step\": \(string(text)), \"origin\": \(string(origin.location))}"
        }
        let namespaces = Namespaces.names.map {
            "\(string($0.1)): \(string(plan.namespaces.contains($0.0) ? "new" : "host"))"
        }
        var fields: [String] = []
        fields.append("\"namespaces\": {" + namespaces.joined(separator: ", ") + "}")
        fields.append("\"uid\": \(plan.uid), \"gid\": \(plan.gid), "
            + "\"host_uid\": \(plan.hostUID), \"host_gid\": \(plan.hostGID)")
        fields.append("\"init\": \(plan.needsInit)")
        let topology = plan.topology
        func names(_ namespaces: Namespaces) -> String {
            strings(Namespaces.names.filter { namespaces.contains($0.0) }.map(\.1))
        }
        fields.append("\"processes\": {\"first_process\": " + names(topology.firstProcess) + ", \"lock\": "
            + (topology.lock.map(names) ?? "null") + ", \"network_created_by\": " + string("\(topology.network)") + "}")
        fields.append("\"allow_hosts\": " + strings(plan.egress.lines.map { "\($0.host)" }))
        fields.append("\"mounts\": ["
            + plan.mounts.map { step($0.step.description, $0.origin) }.joined(separator: ", ") + "]")
        fields.append("\"settings\": [" + plan.settings.map { step($0.text, $0.origin) }.joined(separator: ", ") + "]")
        let exposed = sockets.map {
            "{\"path\": \(string($0.path.description)), \"note\": \(string($0.note)), "
                + "\"origin\": \(string($0.origin.location))}"
        }
        fields.append("\"sockets\": [" + exposed.joined(separator: ", ") + "]")
        fields.append("\"capabilities\": " + strings(plan.capabilities.members.map(\.description)))
        let rules = plan.syscallRules.map {
            "{\"entry\": \(string($0.entry)), \"allow\": \($0.allow), \"origin\": \(string($0.origin.location))}"
        }
        fields.append("\"syscalls\": {\"allowed\": " + (plan.allowedSyscalls.map(strings) ?? "null")
            + ", \"refused_action\": \(string(plan.seccompAction.rawValue)), \"rules\": ["
            + rules.joined(separator: ", ") + "]}")
        let landlock = plan.landlock
        let mirror = plan.landlockMirror.map {
            "{\"path\": \(string($0.path.description)), \"access\": \(string($0.access.rawValue))}"
        }
        fields.append("\"landlock\": {\"mode\": \(string(landlock.mode.rawValue)), \"mirror\": ["
            + mirror.joined(separator: ", ") + "], "
            + "\"read\": " + strings(landlock.readPaths.map(\.path))
            + ", \"write\": " + strings(landlock.writePaths.map(\.path))
            + ", \"connect\": [" + landlock.connectPorts.map(String.init).joined(separator: ", ") + "], \"bind\": ["
            + landlock.bindPorts.map(String.init).joined(separator: ", ") + "]}")
        if case .given(let directory) = plan.workingDirectory {
            fields.append("\"chdir\": " + string(directory.description))
        } else {
            fields.append("\"chdir\": null")
        }
        fields.append("\"environment\": " + strings(plan.environment))
        fields.append("\"command\": " + strings(plan.command))
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// The processes, from sbox outward in: what each is created in and what it does.
    private static func processLines(_ topology: Topology, _ plan: Plan) -> [String] {
        func names(_ namespaces: Namespaces) -> String {
            Namespaces.names.filter { namespaces.contains($0.0) }.map(\.1).joined(separator: ", ")
        }
        var lines = ["processes:"]
        var supervisor = "  sbox, outside: forwards signals"
        if !plan.relayedDescriptors.isEmpty { supervisor += ", relays the terminal" }
        if plan.timeoutMilliseconds != nil { supervisor += ", ends the sandbox at --timeout" }
        if plan.egress.isActive { supervisor += ", serves the egress proxy" }
        lines.append(supervisor + ", returns the program's status")
        var created = "created in new " + names(topology.firstProcess) + " namespaces"
        if topology.intermediate { created += ", then in a new PID namespace inside the one given with --pidns" }
        var program = "  the program"
        if let duties = topology.initDuties {
            var text = "  init, "
                + (plan.namespaces.contains(.pid) ? "PID 1, " : "in the host's PID namespace, ") + created
                + ": forwards signals, reaps orphans"
            if duties.createsNetwork { text += "; creates the network namespace" }
            if duties.holdsLocks { text += "; holds the --lock-file locks" }
            if duties.holdsSync { text += "; keeps --sync-fd open" }
            if duties.endsDescendants { text += "; ends what the program leaves running" }
            if duties.reportsStatusEarly { text += "; reports the status before the namespaces' teardown" }
            lines.append(text)
            program += plan.namespaces.contains(.pid) ? ", PID 2" : ", the init's child"
        } else {
            program += (plan.namespaces.contains(.pid) ? ", PID 1, " : ", ") + created
        }
        program += ": builds the root"
        if let lock = topology.lock { program += ", locks the mounts in new " + names(lock) + " namespaces" }
        lines.append(program + ", drops its privileges and runs the command")
        return lines
    }

    private static func actionText(_ action: SeccompAction) -> String {
        switch action {
        case .errno: return "EPERM"
        case .enosys: return "ENOSYS"
        case .kill: return "SIGSYS (the process is killed)"
        case .log: return "allowed but logged"
        }
    }

    private static func row(_ text: String, _ origin: Origin) -> String {
        let pad = String(repeating: " ", count: max(2, 44 - text.count))
        return "  " + text + pad + origin.location
    }
}

extension WorkingDirectory: CustomStringConvertible {
    public var description: String {
        switch self {
        case .given(let directory): "\(directory)"
        case .caller(let directory): "\(directory) if it exists inside, else $HOME, else /"
        case .home: "$HOME if it exists inside, else /"
        }
    }
}

extension MountStep: CustomStringConvertible {
    /// The step as a directive would write it.
    public var description: String {
        switch self {
        case .bind(let source, let destination, let mode, let optional):
            let name = mode == .readOnly ? "ro-bind" : mode == .devices ? "dev-bind" : "bind"
            return name + (optional ? "-try" : "") + " \(source) \(destination)"
        case .remountReadOnly(let path): return "remount-ro \(path)"
        case .tmpfs(let path, let permissions, let size):
            return "tmpfs \(path) (mode 0\(String(permissions, radix: 8))" + (size.map { ", size \($0)" } ?? "") + ")"
        case .proc(let path): return "proc \(path)"
        case .dev(let path): return "dev \(path)"
        case .mqueue(let path): return "mqueue \(path)"
        case .directory(let path, let permissions): return "dir \(path) (mode 0\(String(permissions, radix: 8)))"
        case .symlink(let target, let path): return "symlink \(target) \(path)"
        case .chmod(let path, let permissions): return "chmod \(String(permissions, radix: 8)) \(path)"
        case .expose(let path, let mode, let optional):
            return (mode == .readOnly ? "ro" : "rw") + (optional ? "-try" : "") + " \(path)"
        case .hide(let path): return "hide \(path)"
        case .argument(let path, let source, let mode, let directories):
            return (mode == .readOnly ? "ro" : "rw") + " \(path) (an argument's: a file"
                + (directories ? " or directory" : "") + (source == path ? "" : " at \(source)") + ")"
        case .socket(let source, let destination):
            return "socket \(source)" + (source == destination ? "" : " on \(destination)") + " (if it is a socket)"
        case .xauthority(let source, let display, let number, let destination):
            return "X cookie \(destination) (display \(display)'s entry of \(source)"
                + (display == number ? "" : ", as \(number)") + ")"
        case .overlay(let layers, let path, let writes):
            let kind = switch writes {
            case .host(let upper, let work): "overlay \(upper) \(work)"
            case .temporary: "tmp-overlay"
            case .refused: "ro-overlay"
            }
            return "\(kind) \(path) (layers, bottom to top: \(layers.map(\.description).joined(separator: " ")))"
        case .data(let fd, let path, let permissions, let bind):
            let name = bind == nil ? "file" : bind == .readOnly ? "ro-bind-data" : "bind-data"
            return "\(name) \(fd) \(path) (mode 0\(String(permissions, radix: 8)))"
        }
    }

}

extension PlanDescription {
    /// --verbose: one line on what the sandbox is, before it starts.
    public static func summary(_ plan: Plan, profile: String, landlockABI: Int,
                               sockets: [ExposedSocket] = []) -> String {
        let new = Namespaces.names.filter { plan.namespaces.contains($0.0) }.map(\.1)
        let refusal = actionText(plan.seccompAction)
        var parts = ["profile " + profile, "new namespaces: " + (new.isEmpty ? "none" : new.joined(separator: ", "))]
        parts.append(plan.namespaces.contains(.net) ? "network: loopback only" : "network: the host's")
        if plan.withoutSeccomp && plan.filterDescriptors.isEmpty {
            parts.append("seccomp: none")
        } else if let allowed = plan.allowedSyscalls {
            parts.append("seccomp: \(allowed.count) system calls allowed, the rest \(refusal)")
        } else {
            let denied = plan.deniedSyscalls.count
            parts.append("seccomp: "
                + (denied == 0 ? "the always-on rules" : "\(denied) system calls refused (\(refusal))"))
        }
        if plan.landlock.mode == .off {
            parts.append("Landlock: off")
        } else if landlockABI < 1 {
            parts.append("Landlock: none (this kernel has none, or it is disabled)")
        } else {
            let dropped = LandlockEnforcement.dropped(plan.landlock, abi: landlockABI).all
            parts.append("Landlock: ABI \(landlockABI), \(plan.landlockMirror.count) paths"
                + (plan.landlock.restricts ? " and further restrictions" : "")
                + (dropped.isEmpty ? "" : " (dropped: " + dropped.joined(separator: ", ") + ")"))
        }
        parts.append("capabilities: " + (plan.capabilities.isEmpty ? "none" : plan.capabilities.description))
        if !plan.droppedVariables.isEmpty {
            parts.append("environment: \(plan.droppedVariables.count) credential-shaped variables dropped")
        }
        if !sockets.isEmpty {
            parts.append("host sockets: "
                + sockets.map { String($0.note.prefix { $0 != ":" }) + " (\($0.path))" }.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }
}
