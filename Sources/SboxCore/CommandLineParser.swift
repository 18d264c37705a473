/// Parses `[OPTIONS] [--] COMMAND [ARG...]` the way bwrap does: options are read in order
/// until `--` or the first argument that is not an option; an option's arguments are taken
/// literally, even when they start with dashes.
public enum CommandLineParser {
    public static func parse(_ arguments: [String]) throws(UsageError) -> Invocation {
        var options: [ParsedOption] = []
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" {
                index += 1
                break
            }
            guard word.hasPrefix("-"), word != "-" else { break }
            guard word.hasPrefix("--"), let spec = OptionTable.spec(named: String(word.dropFirst(2))) else {
                throw unknownOption(word)
            }
            let count = spec.arguments.count
            guard index + count < arguments.count else {
                let plural = count == 1 ? "argument" : "arguments"
                throw UsageError("\(spec.flag) needs \(count) \(plural): \(spec.flag) \(spec.arguments.joined(separator: " "))")
            }
            var values: [String] = []
            for offset in 1...max(count, 1) where offset <= count { values.append(arguments[index + offset]) }
            options.append(ParsedOption(spec.name, values))
            index += 1 + count
        }
        var command: [String] = []
        while index < arguments.count {
            command.append(arguments[index])
            index += 1
        }
        return Invocation(options: options, command: command)
    }

    static func unknownOption(_ word: String) -> UsageError {
        let name = String(word.drop { $0 == "-" })
        if let close = Suggestion.closest(to: name, in: OptionName.allCases.map(\.rawValue)) {
            return UsageError("unknown option \(word) (did you mean --\(close)?)")
        }
        return UsageError("unknown option \(word) (see sbox --help)")
    }
}
