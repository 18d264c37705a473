import SboxCore
import SboxRuntime
#if canImport(Glibc)
import Glibc
#endif

/// sbox as bubblewrap: bwrap's defaults, options, messages ("bwrap: ...") and exit statuses, no
/// profile. Runs when the program's name is `bwrap`, or as `sbox bwrap ARGS...`.
func runAsBwrap(_ arguments: [ByteString], invokedAs name: ByteString) -> Never {
    Diagnostics.prefix = "bwrap"
    do {
        let invocation = try CommandLineParser.parse(arguments, mode: .bwrap, readArguments: readNULSeparated)
        if invocation.has(.levelPrefix) { Diagnostics.levelPrefix = true }
        if invocation.has(.help) {
            Diagnostics.write(line: HelpText.bwrapUsage(invokedAs: name.lossy), to: 1)
            exit(0)
        }
        if invocation.has(.version) {
            Diagnostics.write(line: "bubblewrap 0.11.1", to: 1)
            exit(0)
        }
        let plan = try PlanCompiler.compile(invocation, host: hostContext(), mode: .bwrap)
        exit(try Sandbox.run(plan))
    } catch let error as UsageError {
        Diagnostics.error(error.message)
    } catch {
        Diagnostics.error("\(error)")
    }
    exit(Mode.bwrap.failureStatus)
}

/// The arguments of `--args FD`: NUL-separated.
func readNULSeparated(_ fd: Int32) throws(UsageError) -> [ByteString] {
    let bytes: [UInt8]
    do {
        bytes = try Descriptors.readAll(fd, limit: 1 << 22)
    } catch {
        throw UsageError("Can't read --args data: \(error.reason)")
    }
    var arguments = ByteString(bytes).split(separator: 0)
    if arguments.last?.isEmpty ?? false { arguments.removeLast() }
    return arguments
}
