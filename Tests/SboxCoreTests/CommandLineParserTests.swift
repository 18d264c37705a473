import SboxCore
import Testing

@Suite struct CommandLineParserTests {
    @Test func optionsKeepTheirOrderAndArguments() throws {
        let invocation = try CommandLineParser.parse([
            "--ro-bind", "/usr", "/usr", "--tmpfs", "/tmp", "--clearenv", "ls", "-l",
        ])
        #expect(invocation.options == [
            ParsedOption(.roBind, ["/usr", "/usr"]),
            ParsedOption(.tmpfs, ["/tmp"]),
            ParsedOption(.clearenv),
        ])
        #expect(invocation.command == ["ls", "-l"])
    }

    @Test func doubleDashEndsOptions() throws {
        let invocation = try CommandLineParser.parse(["--share-net", "--", "--help"])
        #expect(invocation.options.map(\.name) == [.shareNet])
        #expect(invocation.command == ["--help"])
    }

    @Test func argumentsThatLookLikeOptionsAreTakenLiterally() throws {
        let invocation = try CommandLineParser.parse(["--setenv", "A", "--bind", "true"])
        #expect(invocation.options == [ParsedOption(.setenv, ["A", "--bind"])])
        #expect(invocation.command == ["true"])
    }

    @Test func originRepeatsTheOptionAsTyped() throws {
        let invocation = try CommandLineParser.parse(["--bind", "/a", "/b", "x"])
        #expect(invocation.options[0].origin.description == "--bind /a /b")
    }

    @Test func missingArgumentsNameTheOptionAndItsArguments() {
        #expect(throws: UsageError("--bind needs 2 arguments: --bind SRC DEST")) {
            try CommandLineParser.parse(["--bind", "/a"])
        }
        #expect(throws: UsageError("--chdir needs 1 argument: --chdir DIR")) {
            try CommandLineParser.parse(["--chdir"])
        }
    }

    @Test func unknownOptionSuggestsTheClosest() {
        #expect(throws: UsageError("unknown option --ro-bnd (did you mean --ro-bind?)")) {
            try CommandLineParser.parse(["--ro-bnd", "/a", "/b"])
        }
        #expect(throws: UsageError("unknown option -x (see sbox --help)")) {
            try CommandLineParser.parse(["-x", "true"])
        }
    }

    @Test func everyOptionInTheTableIsParsed() throws {
        for spec in OptionTable.all where spec.name != .args {
            let arguments: [ByteString] = spec.arguments.map { _ in "/x" }
            let invocation = try CommandLineParser.parse([ByteString(spec.flag)] + arguments + ["true"])
            #expect(invocation.options.map(\.name) == [spec.name])
        }
    }

    @Test func argsInsertsTheOptionsReadFromADescriptorWhereItStands() throws {
        let reader: (Int32) throws(UsageError) -> [ByteString] = { fd throws(UsageError) in
            fd == 5 ? ["--tmpfs", "/a", "--args", "6"] : ["--tmpfs", "/b"]
        }
        #expect(throws: UsageError("--args not supported in arguments file")) {
            try CommandLineParser.parse(["--args", "5", "true"], mode: .bwrap, readArguments: reader)
        }
        let invocation = try CommandLineParser.parse(
            ["--dir", "/d", "--args", "6", "--args", "6", "true"], mode: .bwrap, readArguments: reader)
        #expect(invocation.options.map(\.origin.description) == ["--dir /d", "--tmpfs /b", "--tmpfs /b"])
        #expect(invocation.command == ["true"])
        #expect(throws: UsageError("Invalid fd: x")) {
            try CommandLineParser.parse(["--args", "x", "true"], mode: .bwrap, readArguments: reader)
        }
    }

    @Test func bwrapModeKnowsOnlyBwrapsOptionsAndSaysSoAsBwrapDoes() {
        #expect(throws: UsageError("Unknown option --profile")) {
            try CommandLineParser.parse(["--profile", "default", "true"], mode: .bwrap)
        }
        #expect(throws: UsageError("Unknown option --share-pid")) {
            try CommandLineParser.parse(["--share-pid", "true"], mode: .bwrap)
        }
    }

    @Test func helpListsEveryOption() {
        for spec in OptionTable.all {
            #expect(HelpText.usage.contains(spec.flag + " "), "\(spec.flag) is missing from --help")
        }
    }
}

@Suite struct SuggestionTests {
    @Test func closeTyposAreSuggested() {
        #expect(Suggestion.closest(to: "bnid", in: ["bind", "dir"]) == "bind")
        #expect(Suggestion.closest(to: "tmpsf", in: ["tmpfs", "proc"]) == "tmpfs")
    }

    @Test func unrelatedWordsAreNot() {
        #expect(Suggestion.closest(to: "frobnicate", in: ["bind", "dir"]) == nil)
    }
}
