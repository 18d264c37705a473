import SboxCore
import SboxRuntime

/// `sbox explain [--json] [OPTIONS] [-- COMMAND...]`: the plan that `sbox OPTIONS COMMAND` would
/// apply, in order, each step with its origin. Runs nothing.
func explain(_ arguments: [ByteString], host: HostContext) -> Int32 {
    var arguments = arguments
    var asJSON = false
    if let json = arguments.firstIndex(of: "--json"), json < (arguments.firstIndex(of: "--") ?? arguments.endIndex) {
        arguments.remove(at: json)
        asJSON = true
    }
    do {
        let invocation = try options(for: try CommandLineParser.parse(arguments), host: host)
        let plan = try PlanCompiler.compile(invocation, host: resolvingExposedPaths(host, for: invocation),
                                            requireCommand: false)
        let sockets = HostSockets.exposed(by: plan, host: host)
        Diagnostics.write(line: asJSON ? PlanDescription.json(plan, sockets: sockets)
                                       : PlanDescription.text(plan, landlockABI: LinuxSystemCalls().landlockABI(),
                                                              sockets: sockets), to: 1)
        return 0
    } catch {
        Diagnostics.error(error.message)
        return ExitStatus.sandboxFailure
    }
}
