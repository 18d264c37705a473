/// Who the program is and what it is given: ids, host name, working directory, argv[0], and its
/// environment, with the caller's credential-shaped variables left outside (drop-credentials).
extension Compilation {
    mutating func applyIdentity(_ option: ParsedOption) throws(UsageError) {
        let a = option.arguments
        switch option.name {
        case .uid: plan.uid = try PlanCompiler.id(a[0].lossy, for: option)
        case .gid: plan.gid = try PlanCompiler.id(a[0].lossy, for: option)
        case .hostname:
            plan.hostname = a[0]
            hostnameOrigin = option.origin
        case .chdir: plan.workingDirectory = .given(try destination(a[0], of: option))
        case .argv0: plan.argv0 = a[0]
        case .setenv:
            try PlanCompiler.checkVariableName(a[0], for: option)
            plan.environment.removeAll { PlanCompiler.variableName($0) == a[0] }
            plan.environment.append(a[0] + "=" + a[1])
            setVariables.append(a[0])
        case .unsetenv:
            try PlanCompiler.checkVariableName(a[0], for: option)
            plan.environment.removeAll { PlanCompiler.variableName($0) == a[0] }
        case .clearenv: plan.environment = []
        case .dropCredentials: dropsCredentials = true
        case .keepenv: keptVariables.append(VariablePattern(pattern: a[0]))
        default: throw misrouted(option)
        }
        note(option)
    }

    /// At the end, when drop-credentials was given: everything that sets a variable has been seen.
    mutating func dropCredentials() {
        PlanCompiler.dropCredentials(from: &plan, keeping: keptVariables, set: setVariables)
    }

    func checkHostname() throws(UsageError) {
        if let origin = hostnameOrigin, !plan.namespaces.contains(.uts) {
            throw UsageError(origin, "a host name needs the sandbox's own UTS namespace (remove --share-uts)")
        }
    }
}

extension PlanCompiler {
    /// The caller's variables that drop-credentials removes: neither kept with keepenv nor set by the
    /// plan itself; the session bus stays where the plan exposes it.
    static func dropCredentials(from plan: inout Plan, keeping kept: [VariablePattern], set: [ByteString]) {
        var environment: [ByteString] = []
        for entry in plan.environment {
            let name = variableName(entry)
            guard !set.contains(name), !kept.contains(where: { $0.matches(name) }),
                  let reason = CredentialVariables.reason(for: name, value: entry.dropFirst(name.count + 1)),
                  name != "DBUS_SESSION_BUS_ADDRESS"
                    || !CredentialVariables.exposesTheSessionBus(entry.dropFirst(name.count + 1), in: plan) else {
                environment.append(entry)
                continue
            }
            plan.droppedVariables.append(DroppedVariable(name: name, reason: reason))
        }
        plan.environment = environment
    }

    static func id(_ text: String, for option: ParsedOption) throws(UsageError) -> UInt32 {
        guard let value = UInt32(text), value != UInt32.max else {
            throw UsageError(option.origin, "'\(text)' is not a numeric id")
        }
        return value
    }

    static func checkVariableName(_ name: ByteString, for option: ParsedOption) throws(UsageError) {
        guard !name.isEmpty, !name.contains(UInt8(ascii: "=")) else {
            throw UsageError(option.origin, "'\(name)' is not a valid environment variable name")
        }
    }

    /// NAME in `NAME=value`.
    static func variableName(_ entry: ByteString) -> ByteString {
        ByteString(entry.bytes.prefix { $0 != UInt8(ascii: "=") })
    }
}
