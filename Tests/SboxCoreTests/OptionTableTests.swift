import SboxCore
import Testing

@Suite struct OptionTableTests {
    /// bubblewrap 0.11.1's options (its --help), which bwrap mode accepts, and sbox's Landlock besides.
    static let bubblewrapOptions: Set<String> = [
        "help", "version", "args", "argv0", "level-prefix", "unshare-all", "share-net", "unshare-user",
        "unshare-user-try", "unshare-ipc", "unshare-pid", "unshare-net", "unshare-uts", "unshare-cgroup",
        "unshare-cgroup-try", "userns", "userns2", "disable-userns", "assert-userns-disabled", "pidns", "uid", "gid",
        "hostname", "chdir", "clearenv", "setenv", "unsetenv", "lock-file", "sync-fd", "bind", "bind-try", "dev-bind",
        "dev-bind-try", "ro-bind", "ro-bind-try", "bind-fd", "ro-bind-fd", "remount-ro", "overlay-src", "overlay",
        "tmp-overlay", "ro-overlay", "exec-label", "file-label", "proc", "dev", "tmpfs", "mqueue", "dir", "file",
        "bind-data", "ro-bind-data", "symlink", "seccomp", "add-seccomp-fd", "block-fd", "userns-block-fd", "info-fd",
        "json-status-fd", "new-session", "die-with-parent", "as-pid-1", "cap-add", "cap-drop", "perms", "size", "chmod",
    ]
    static let sboxLandlock: Set<String> = [
        "landlock", "landlock-read", "landlock-write", "landlock-connect", "landlock-bind",
    ]

    @Test func bwrapModeAcceptsBubblewrapsOptionsAndSboxsLandlock() throws {
        let accepted = Set(OptionTable.all.filter(\.isBwrapOption).map(\.name.rawValue))
        #expect(accepted == Self.bubblewrapOptions.union(Self.sboxLandlock))
        for spec in OptionTable.all {
            let parsed = Result { () throws(UsageError) in
                try CommandLineParser.parse([ByteString(spec.flag)], mode: .bwrap)
            }
            guard case .failure(let error) = parsed else { continue }
            let refused = error.message == "Unknown option \(spec.flag)"
            #expect(refused != spec.isBwrapOption, "\(spec.flag): \(error.message)")
        }
    }

    @Test func bwrapsHelpHasItsOwnWordsWhereItsDefaultsDiffer() {
        let help = HelpText.bwrapUsage(invokedAs: "bwrap")
        #expect(help.contains("    --unshare-ipc                New IPC namespace\n"))
        #expect(help.contains("    --bind SRC DEST              Bind-mount the host path SRC on DEST, writable\n"))
        #expect(!help.contains("--profile") && !help.contains("(the default)"))
    }

    @Test func everyOptionButWhatOnlyACommandLineAsksIsAProfileDirective() {
        #expect(OptionName.allCases.filter { !$0.spec.isDirective } == [.args, .help, .version])
        let (_, errors) = ProfileParser.parse("args 3\nversion\n", file: "p")
        #expect(errors.map(\.message)
            == ["p:1: unknown directive 'args' (did you mean 'argv0'?)", "p:2: unknown directive 'version'"])
    }

    @Test func onlyTheSyscallListsTakeAListAndOnlyTheTryFormsAndHideAreOptional() {
        #expect(OptionName.allCases.filter(\.spec.takesList) == [.syscalls, .syscallsDeny])
        #expect(OptionName.allCases.filter(\.isOptional) == [.roTry, .rwTry, .hide, .bindTry, .roBindTry, .devBindTry])
        // A -try form whose source is missing does nothing; the namespaces' -try forms are another thing.
        for name in OptionName.allCases where name.rawValue.hasSuffix("-try") && !name.rawValue.hasPrefix("unshare-") {
            #expect(name.isOptional, "\(name.rawValue)")
        }
    }

    @Test func everyArgumentHasItsHelpNameAndACompletion() {
        #expect(Array(OptionName.overlay.spec.arguments) == ["RWSRC", "WORKDIR", "DEST"])
        #expect(OptionName.hostname.spec.argumentTypes.map(\.completion) == [.none])
        #expect(OptionName.include.spec.argumentTypes.map(\.completion) == [.profile])
        #expect(OptionName.chmod.spec.argumentTypes.map(\.completion) == [.none, .file])
        let bash = Completion.script(for: .bash)
        #expect(bash.contains("--hostname) kinds=(none) ;;") && bash.contains("--include) kinds=(profile) ;;"))
        #expect(bash.contains("--overlay) kinds=(file file file) ;;") && bash.contains("--file) kinds=(none file) ;;"))
    }
}

@Suite struct SubcommandTests {
    @Test func helpShowsEverySubcommandWithItsUsage() {
        let help = HelpText.usage
        #expect(help.hasPrefix("Usage: sbox [run] [OPTIONS] [--] COMMAND [ARG...]\n       sbox check FILE-or-NAME... "))
        for subcommand in Subcommand.allCases where subcommand != .run {
            #expect(help.contains("sbox " + subcommand.synopsis), "\(subcommand)")
            if let summary = subcommand.summary { #expect(help.contains(summary)) }
        }
        // A usage too long for the column puts what it does on the next line.
        #expect(help.contains("| remove APP | list\n" + String(repeating: " ", count: 41) + "desktop launchers"))
    }

    @Test func aWordNamesTheSubcommandWhoseNameItIs() {
        for subcommand in Subcommand.allCases { #expect(Subcommand.named(subcommand.rawValue) == subcommand) }
        #expect(Subcommand.named("Run") == nil && Subcommand.named("") == nil && Subcommand.named("--help") == nil)
    }

    @Test func everyShellCompletesEverySubcommand() {
        let words = Subcommand.allCases.map(\.rawValue).joined(separator: " ")
        #expect(Completion.script(for: .bash).contains(" && words+=\" \(words)\""))
        #expect(Completion.script(for: .fish).contains("-n '__fish_use_subcommand' -xa '\(words)'"))
    }
}
