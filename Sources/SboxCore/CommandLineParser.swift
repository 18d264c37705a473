/// Parses `[OPTIONS] [--] COMMAND [ARG...]` the way bwrap does: options are read in order
/// until `--` or the first argument that is not an option; an option's arguments are taken
/// literally, even when they start with dashes.
public enum CommandLineParser {
    /// `readArguments` reads the NUL-separated options of `--args FD` (the command line provides it:
    /// reading a descriptor is a system call); they are inserted where `--args` stands, as bwrap does.
    public static func parse(_ arguments: [ByteString], mode: Mode = .sbox,
                             readArguments: ((Int32) throws(UsageError) -> [ByteString])? = nil)
        throws(UsageError) -> Invocation {
        var arguments = arguments
        var options: [ParsedOption] = []
        var index = 0
        var endOfArgumentsFile = 0  // options before this index came from an --args descriptor
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" {
                index += 1
                break
            }
            guard word.hasPrefix("-"), word != "-" else { break }
            guard word.hasPrefix("--"), let name = word.dropFirst(2).text, let spec = OptionTable.spec(named: name),
                  mode == .sbox || spec.name.isBwrapOption else {
                throw unknownOption(word, mode: mode)
            }
            let count = spec.arguments.count
            guard index + count < arguments.count else {
                let plural = count == 1 ? "argument" : "arguments"
                throw UsageError("\(spec.flag) needs \(count) \(plural): "
                                 + "\(spec.flag) \(spec.arguments.joined(separator: " "))")
            }
            var values: [ByteString] = []
            for offset in 1...max(count, 1) where offset <= count { values.append(arguments[index + offset]) }
            if spec.name == .args {
                guard index >= endOfArgumentsFile else { throw UsageError("--args not supported in arguments file") }
                guard let fd = values[0].text.flatMap({ Int32($0) }), fd >= 0, let readArguments else {
                    throw UsageError("Invalid fd: \(values[0])")
                }
                if fd == 1 || fd == 2 || (fd == 0 && mode == .sbox) {
                    throw UsageError("--args \(fd): descriptor \(fd) is sbox's own, "
                        + "which --args would read to its end and close: "
                        + "pass the options on another descriptor")
                }
                let inserted = try readArguments(fd)
                arguments.replaceSubrange(index..<(index + 2), with: inserted)
                endOfArgumentsFile = index + inserted.count
                continue
            }
            options.append(ParsedOption(spec.name, values))
            guard options.count <= maximumOptions else {
                throw UsageError("more than \(maximumOptions) options: no sandbox needs that many")
            }
            index += 1 + count
        }
        var command: [ByteString] = []
        while index < arguments.count {
            command.append(arguments[index])
            index += 1
        }
        return Invocation(options: options, command: command)
    }

    /// A bound on what a caller (or an --args descriptor) can make sbox build: the kernel's own
    /// limits are far higher, and the cost of mounting grows faster than their count.
    public static let maximumOptions = 4096

    static func unknownOption(_ word: ByteString, mode: Mode) -> UsageError {
        if mode == .bwrap { return UsageError("Unknown option \(word)") }
        let name = String(word.description.drop { $0 == "-" })
        if let close = Suggestion.closest(to: name, in: OptionName.allCases.map(\.rawValue)) {
            return UsageError("unknown option \(word) (did you mean --\(close)?)")
        }
        return UsageError("unknown option \(word) (see sbox --help)")
    }
}
