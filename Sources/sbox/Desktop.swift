import SboxCore
import SboxRuntime
#if canImport(Glibc)
import Glibc
#endif

/// `sbox desktop install APP-or-FILE [--profile P]`, `sbox desktop remove APP`, `sbox desktop list`:
/// user-level copies of desktop entries, in $XDG_DATA_HOME/applications, whose programs start in
/// sbox. Nothing outside the user's own directory is written.
func desktop(_ arguments: [ByteString], host: HostContext) -> Int32 {
    let arguments = arguments.map(\.lossy)  // application and profile names, paths shown as given
    let variables = ProfileVariables(host: host)
    guard let dataHome = variables.value(of: "XDG_DATA_HOME") else {
        Diagnostics.error("desktop: HOME is not set, so there is no user applications directory")
        return ExitStatus.sandboxFailure
    }
    let directory = dataHome.appending("applications")
    do throws(UsageError) {
        switch arguments.first {
        case "install" where arguments.count == 2 || (arguments.count == 4 && arguments[2] == "--profile"):
            let source = try desktopFile(arguments[1], host: host, variables: variables)
            let name = source.lastComponent.lossy
            guard let text = try ProfileFiles().read(source)?.text else {
                throw UsageError("desktop: \(source): no such file, or not UTF-8 text as a desktop entry must be")
            }
            let available = ProfileLoader(store: ProfileFiles(), variables: variables).available().map(\.name)
            let profile = arguments.count == 4 ? arguments[3]
                                               : DesktopEntry.defaultProfile(forFile: name, available: available)
            guard available.contains(profile) || profile.contains("/") else {
                throw UsageError("desktop: no profile named '\(profile)' (see sbox profiles)")
            }
            let target = directory.appending(ByteString(name))
            // The binary itself, by its absolute path: a launcher may have no PATH with sbox in it.
            guard let binary = LinuxSystemCalls().readSymlink("/proc/self/exe", in: AT_FDCWD)?.text else {
                throw UsageError("desktop: cannot tell where sbox is (/proc/self/exe)")
            }
            try write(try DesktopEntry.sandboxed(text, profile: profile, sbox: binary), to: target, creating: directory)
            Diagnostics.write(line: "\(target): runs in sbox --profile \(profile)", to: 1)
        case "remove" where arguments.count == 2:
            let target = directory.appending(ByteString(desktopName(arguments[1])))
            guard let text = try ProfileFiles().read(target)?.lossy else {
                throw UsageError("desktop: \(target): no such file")
            }
            guard DesktopEntry.profile(of: text) != nil else {
                throw UsageError("desktop: \(target) was not written by sbox desktop install: left as it is")
            }
            guard target.withCString({ unlink($0) }) == 0 else {
                throw UsageError("desktop: removing \(target): \(SystemError("", errno: errno).reason)")
            }
        case "list" where arguments.count == 1:
            for name in LinuxSystemCalls().names(in: directory, ending: ".desktop").sorted() {
                if let text = try? ProfileFiles().read(directory.appending(name))?.lossy,
                   let profile = DesktopEntry.profile(of: text) {
                    Diagnostics.write(line: name.description.padding(to: 40) + profile, to: 1)
                }
            }
        default:
            throw UsageError("usage: sbox desktop install APP-or-FILE.desktop [--profile P] | remove APP | list")
        }
    } catch {
        Diagnostics.error(error.message)
        return ExitStatus.sandboxFailure
    }
    return 0
}

private func desktopName(_ app: String) -> String { app.hasSuffix(".desktop") ? app : app + ".desktop" }

/// A path as given, or APP.desktop in the applications directories ($XDG_DATA_HOME, $XDG_DATA_DIRS).
private func desktopFile(_ argument: String, host: HostContext,
                         variables: ProfileVariables) throws(UsageError) -> ByteString {
    if argument.contains("/") { return ByteString(argument) }
    let dataDirectories = (variables.value(of: "XDG_DATA_DIRS") ?? "/usr/local/share:/usr/share")
        .split(separator: UInt8(ascii: ":"))
    for directory in [variables.value(of: "XDG_DATA_HOME")].compactMap({ $0 }) + dataDirectories
    where directory.isAbsolute {
        let path = directory + ByteString("/applications/" + desktopName(argument))
        if path.withCString({ access($0, R_OK) }) == 0 { return path }
    }
    throw UsageError("desktop: no \(desktopName(argument)) in the applications directories (give its path)")
}

/// Replaced whole: a launcher never reads half a file.
private func write(_ text: String, to path: ByteString, creating directory: ByteString) throws(UsageError) {
    let system = LinuxSystemCalls()
    system.createDirectories(directory, permissions: 0o755)
    do { try system.replaceFile(path, with: Array(text.utf8), permissions: 0o644) } catch {
        throw UsageError("desktop: writing \(path): \(error.reason)")
    }
}
