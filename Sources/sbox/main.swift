// sbox: parse, compile, run, report.
import SboxCore
import SboxRuntime
#if canImport(Glibc)
import Glibc
#endif

func hostContext() -> HostContext {
    var environment: [String] = []
    var entry = environ
    while let pointer = entry.pointee {
        environment.append(String(cString: pointer))
        entry += 1
    }
    let directory = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX) + 1) { buffer in
        getcwd(buffer.baseAddress!, buffer.count) != nil ? String(cString: buffer.baseAddress!) : "/"
    }
    return HostContext(uid: geteuid(), gid: getegid(), environment: environment, currentDirectory: directory)
}

/// Exits from within, so that nothing built here is torn down on the way out: sbox is measured
/// against bwrap from start to exit.
func main() -> Never {
    var arguments = CommandLine.arguments
    arguments.removeFirst()
    if arguments.first == "run" { arguments.removeFirst() }
    do {
        let invocation = try CommandLineParser.parse(arguments)
        if invocation.has(.help) {
            Diagnostics.write(line: HelpText.usage, to: 1)
            exit(0)
        }
        if invocation.has(.version) {
            Diagnostics.write(line: "sbox " + HelpText.version, to: 1)
            exit(0)
        }
        let plan = try PlanCompiler.compile(invocation, host: hostContext())
        exit(try Sandbox.run(plan))
    } catch let error as UsageError {
        Diagnostics.error(error.message)
    } catch {
        Diagnostics.error("\(error)")
    }
    exit(ExitStatus.sandboxFailure)
}

main()
