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
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let directory = getcwd(&buffer, buffer.count) != nil ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "/"
    return HostContext(uid: geteuid(), gid: getegid(), environment: environment, currentDirectory: directory)
}

func main() -> Int32 {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "run" { arguments.removeFirst() }
    do {
        let invocation = try CommandLineParser.parse(arguments)
        if invocation.has(.help) {
            Diagnostics.write(line: HelpText.usage, to: 1)
            return 0
        }
        if invocation.has(.version) {
            Diagnostics.write(line: "sbox " + HelpText.version, to: 1)
            return 0
        }
        let plan = try PlanCompiler.compile(invocation, host: hostContext())
        return try Sandbox.run(plan)
    } catch let error as UsageError {
        Diagnostics.error(error.message)
    } catch {
        Diagnostics.error("\(error)")
    }
    return ExitStatus.sandboxFailure
}

exit(main())
