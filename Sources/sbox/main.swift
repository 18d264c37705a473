// sbox: parse, compile, run, report.
import SboxCore
import SboxRuntime
#if canImport(Glibc)
import Glibc
#endif

/// The caller's environment and directory, as bytes.
func hostContext() -> HostContext {
    var environment: [ByteString] = []
    var entry = environ
    while let pointer = entry.pointee {
        environment.append(ByteString(cString: pointer))
        entry += 1
    }
    let directory = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX) + 1) { buffer in
        getcwd(buffer.baseAddress!, buffer.count) != nil ? ByteString(cString: buffer.baseAddress!) : ByteString.root
    }
    var host = HostContext(uid: geteuid(), gid: getegid(), environment: environment, currentDirectory: directory)
    host.terminalDescriptors = (0...2).filter { isatty($0) == 1 }
    host.resolved = HostPaths.resolved(for: host)
    return host
}

/// The arguments as the kernel passed them: CommandLine.arguments would decode them.
func commandLine() -> [ByteString] {
    (0..<Int(CommandLine.argc)).map { ByteString(cString: CommandLine.unsafeArgv[$0]!) }
}

/// `host` with what the options may expose looked at on the host, and only where they may: what
/// the program's arguments name (expose-args), and which of those directories and the current
/// directory (ro-cwd, rw-cwd) every user may write in.
func resolvingExposedPaths(_ host: HostContext, for invocation: Invocation) -> HostContext {
    var host = host
    var directories: [ByteString] = []
    if invocation.has(.exposeArgs) {
        host.resolved.arguments = HostPaths.arguments(of: invocation.command)
        directories += host.resolved.arguments.values.map(\.path)
    }
    if invocation.has(.roCwd) || invocation.has(.rwCwd) { directories.append(host.currentDirectory) }
    let system = LinuxSystemCalls()
    host.resolved.writableByEveryone = directories.filter { system.isWritableByEveryone($0) }
    return host
}

/// The options that apply (profiles first), or every error found in them.
func options(for invocation: Invocation, host: HostContext) throws(UsageError) -> Invocation {
    let loader = ProfileLoader(store: ProfileFiles(), variables: ProfileVariables(host: host))
    let result = loader.options(for: invocation)
    guard result.errors.isEmpty else {
        for error in result.errors.dropLast() { Diagnostics.error(error.message) }
        throw result.errors[result.errors.count - 1]
    }
    return Invocation(options: result.options, command: invocation.command)
}

/// Named bwrap; or re-run through /proc/self/exe (as bwrap's callers and tests do to nest it) by a
/// binary whose file is named bwrap: a link named bwrap to sbox is sbox again there.
func invokedAsBwrap(_ name: ByteString) -> Bool {
    if name == "bwrap" || name.hasSuffix("/bwrap") { return true }
    guard name == "/proc/self/exe", let file = LinuxSystemCalls().readSymlink("/proc/self/exe", in: AT_FDCWD) else {
        return false
    }
    return file.lastComponent == "bwrap"
}

/// Exits from within, so that nothing built here is torn down on the way out: sbox is measured
/// against bwrap from start to exit.
func main() -> Never {
    var arguments = commandLine()
    let name = arguments.removeFirst()
    if invokedAsBwrap(name) { runAsBwrap(arguments, invokedAs: name) }
    if let subcommand = arguments.first?.text.flatMap(Subcommand.named) {
        arguments.removeFirst()
        run(subcommand, arguments, invokedAs: name)
    }
    runSandbox(arguments)
}

/// A subcommand with its arguments: each exits, but run, which returns to run the sandbox.
func run(_ subcommand: Subcommand, _ arguments: [ByteString], invokedAs name: ByteString) {
    switch subcommand {
    case .run: return
    case .bwrap: runAsBwrap(arguments, invokedAs: name + " bwrap")
    case .check: exit(checkProfiles(arguments, host: hostContext()))
    case .explain: exit(explain(arguments, host: hostContext()))
    case .learn: exit(learn(arguments, host: hostContext()))
    case .profiles: exit(listProfiles(host: hostContext()))
    case .syscalls: exit(listSyscalls(arguments.map(\.lossy)))
    case .desktop: exit(desktop(arguments, host: hostContext()))
    case .completion:
        guard arguments.count == 1, let shell = Completion.Shell(rawValue: arguments[0].lossy) else {
            Diagnostics.error("usage: sbox " + Subcommand.completion.synopsis)
            exit(ExitStatus.sandboxFailure)
        }
        Diagnostics.write(line: Completion.script(for: shell), to: 1)
        exit(0)
    }
}

/// `sbox [run] [OPTIONS] [--] COMMAND [ARG...]`: the options (profiles first), the plan, the sandbox.
func runSandbox(_ arguments: [ByteString]) -> Never {
    do {
        let invocation = try CommandLineParser.parse(arguments, readArguments: readNULSeparated)
        if invocation.has(.levelPrefix) { Diagnostics.levelPrefix = true }
        if invocation.has(.help) {
            Diagnostics.write(line: HelpText.usage, to: 1)
            exit(0)
        }
        if invocation.has(.version) {
            Diagnostics.write(line: "sbox " + HelpText.version, to: 1)
            exit(0)
        }
        let host = hostContext()
        let applied = try options(for: invocation, host: host)
        let plan = try PlanCompiler.compile(applied, host: resolvingExposedPaths(host, for: applied))
        if plan.verbose {
            let profile = invocation.options.last { $0.name == .profile }?.arguments.first ?? "default"
            Diagnostics.error(PlanDescription.summary(plan, profile: profile.description,
                                                      landlockABI: LinuxSystemCalls().landlockABI(),
                                                      sockets: HostSockets.exposed(by: plan, host: host)))
        }
        exit(try Sandbox.run(plan))
    } catch let error as UsageError {
        Diagnostics.error(error.message)
    } catch {
        Diagnostics.error("\(error)")
    }
    exit(ExitStatus.sandboxFailure)
}

main()
