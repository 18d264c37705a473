import SboxCore
import SboxRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `sbox learn [--output FILE] [--allow-sockets] [--profile BASE] [OPTIONS] -- COMMAND [ARG...]`: runs
/// COMMAND in a sandbox like BASE that lets through, and records, what BASE would refuse; then writes
/// a profile that includes BASE and adds what the run needed. Returns the program's own status.
func learn(_ arguments: [ByteString], host: HostContext) -> Int32 {
    var arguments = arguments
    var output: ByteString?
    var end = arguments.firstIndex(of: "--") ?? arguments.endIndex
    if let index = arguments[..<end].firstIndex(of: "--output") {
        guard index + 1 < end else {
            Diagnostics.error("learn: --output needs a FILE")
            return ExitStatus.sandboxFailure
        }
        output = arguments[index + 1]
        arguments.removeSubrange(index...(index + 1))
        end -= 2
    }
    let allowSockets = arguments[..<end].contains("--allow-sockets")
    if let index = arguments[..<end].firstIndex(of: "--allow-sockets") { arguments.remove(at: index) }
    do {
        let invocation = try CommandLineParser.parse(arguments)
        let applied = try options(for: invocation, host: host)
        let base = try PlanCompiler.compile(applied, host: resolvingExposedPaths(host, for: applied))
        let path = try outputPath(output, command: base.command, host: host)
        let learner = Learner(base: base, allowSockets: allowSockets)
        let sockets = allowSockets ? HostFiles.unixSockets(in: ["/tmp", "/var/tmp"], depth: 2) : nil
        let plan = Learning.plan(base: base, host: host, rootEntries: LinuxSystemCalls().names(in: "/", ending: ""),
                                 sockets: sockets)
        let status = try Sandbox.run(plan, learner: learner)
        guard learner.started else { return status }  // the sandbox failed, and has said why
        var files = LearnedProfile.Host(exists: HostFiles.exists, canonical: canonical, permits: HostFiles.permits,
                                        listening: HostFiles.isListening, hasSyscall: SeccompFilter.isKnown)
        files.links = HostFiles.links
        let text = LearnedProfile.text(base: base, options: invocation.options, record: learner.record, context: host,
                                       host: files)
        do { try LinuxSystemCalls().replaceFile(path, with: Array(text.utf8), permissions: 0o644) } catch {
            Diagnostics.error("learn: writing the profile \(path): \(error.reason)")
            return ExitStatus.sandboxFailure
        }
        // A profile path needs a slash (else it is a name).
        let reference = path.contains(UInt8(ascii: "/")) ? path : "./" + path
        Diagnostics.error("learned profile written to \(path); run again with: sbox --profile \(reference) -- ...")
        return status
    } catch let error as UsageError {
        Diagnostics.error(error.message)
    } catch {
        Diagnostics.error("\(error)")
    }
    return ExitStatus.sandboxFailure
}

/// --output, else NAME.profile in the user's profiles, named after the command; never an existing
/// one unless --output names it.
private func outputPath(_ output: ByteString?, command: [ByteString],
                        host: HostContext) throws(UsageError) -> ByteString {
    if let output {
        try checkWritable(output)
        return output
    }
    guard let directory = ProfileVariables(host: host).value(of: "XDG_CONFIG_HOME")
        .map({ $0 + "/sbox/profiles" }) else {
        throw UsageError("learn: no home to keep the profile in: give --output FILE")
    }
    let name = (command.first?.lastComponent ?? "program") + ".learned"
    let path = directory.appending(name + ".profile")
    guard !HostFiles.exists(path) else { throw UsageError("learn: \(path) exists: give --output FILE to replace it") }
    LinuxSystemCalls().createDirectories(directory, permissions: 0o700)
    return path
}

/// The profile is written after the program has run: a path where it cannot be is refused before.
private func checkWritable(_ path: ByteString) throws(UsageError) {
    let directory: ByteString = path.contains(UInt8(ascii: "/")) ? path.parent : "."
    var info = stat()
    guard directory.withCString({ stat($0, &info) }) == 0 else {
        throw UsageError("learn: --output \(path): \(directory): \(SystemError("", errno: errno).reason)")
    }
    guard info.st_mode & S_IFMT == S_IFDIR else {
        throw UsageError("learn: --output \(path): \(directory) is not a directory")
    }
    guard directory.withCString({ access($0, W_OK | X_OK) }) == 0 else {
        throw UsageError("learn: --output \(path): cannot write in \(directory): "
                         + "\(SystemError("", errno: errno).reason)")
    }
    if path.withCString({ stat($0, &info) }) == 0 && info.st_mode & S_IFMT != S_IFREG {
        throw UsageError("learn: --output \(path): it exists and is not a regular file")
    }
}

private func canonical(_ path: ByteString) -> ByteString? {
    try? LinuxSystemCalls().canonicalPath(path)
}
