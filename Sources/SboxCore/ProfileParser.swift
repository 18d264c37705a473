/// Reads a profile: one directive per line, `#` comments, blank lines ignored. A directive is a long
/// command-line option without its leading dashes, with the same arguments, so both parsers share
/// the option table. Arguments are separated by blanks; "double quotes" keep blanks and `\"`, `\\`.
public enum ProfileParser {
    /// Parses every line into an option whose origin is `file:line`, variables not yet expanded.
    /// Collects an error for each bad line rather than stopping at the first.
    public static func parse(_ text: String, file: String) -> (lines: [ParsedOption], errors: [UsageError]) {
        var lines: [ParsedOption] = []
        var errors: [UsageError] = []
        var number = 0
        var lineStart = text.startIndex
        while lineStart < text.endIndex {
            let lineEnd = text[lineStart...].firstIndex(of: "\n") ?? text.endIndex
            let rawLine = text[lineStart..<lineEnd]
            lineStart = lineEnd < text.endIndex ? text.index(after: lineEnd) : lineEnd
            number += 1
            var words: [String]
            do {
                words = try tokenize(rawLine)
            } catch {
                errors.append(UsageError("\(file):\(number): \(error.message)"))
                continue
            }
            guard !words.isEmpty else { continue }
            let lineText = words.joined(separator: " ")
            let directive = words.removeFirst()
            let arguments = words
            guard let name = OptionName(rawValue: directive), name != .help, name != .version else {
                let directives = OptionName.allCases.filter { $0 != .help && $0 != .version }.map(\.rawValue)
                let hint = Suggestion.closest(to: directive, in: directives).map { " (did you mean '\($0)'?)" } ?? ""
                errors.append(UsageError("\(file):\(number): unknown directive '\(directive)'\(hint)"))
                continue
            }
            let spec = name.spec
            guard arguments.count == spec.arguments.count else {
                let usage = ([directive] + spec.arguments).joined(separator: " ")
                errors.append(UsageError("\(file):\(number): '\(directive)' takes \(spec.arguments.count) argument\(spec.arguments.count == 1 ? "" : "s") (\(usage)), not \(arguments.count)"))
                continue
            }
            for argument in arguments {
                if let unknown = unknownVariable(in: argument) {
                    let hint = Suggestion.closest(to: unknown, in: ProfileVariables.names).map { " (did you mean ${\($0)}?)" } ?? ""
                    errors.append(UsageError("\(file):\(number): unknown variable ${\(unknown)}\(hint); known: \(ProfileVariables.names.joined(separator: ", "))"))
                }
            }
            lines.append(ParsedOption(name, arguments, origin: .profile(file: file, line: number, text: lineText)))
        }
        return (lines, errors)
    }

    /// Splits a line into words; a `#` outside quotes starts a comment.
    static func tokenize(_ line: Substring) throws(UsageError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quoted = false
        var escaped = false
        for character in line {
            if escaped {
                word.append(character)
                escaped = false
            } else if quoted {
                switch character {
                case "\\": escaped = true
                case "\"": quoted = false
                default: word.append(character)
                }
            } else if character == "#" && !inWord {
                break
            } else if character == " " || character == "\t" || character == "\r" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else if character == "\"" {
                quoted = true
                inWord = true
            } else {
                word.append(character)
                inWord = true
            }
        }
        if quoted || escaped { throw UsageError("unterminated quote") }
        if inWord { words.append(word) }
        return words
    }

    /// The first `${NAME}` in `argument` whose NAME is not a known variable.
    static func unknownVariable(in argument: String) -> String? {
        for name in variableNames(in: argument) where !ProfileVariables.names.contains(name) { return name }
        return nil
    }

    static func variableNames(in argument: String) -> [String] {
        var names: [String] = []
        var rest = Substring(argument)
        while let start = rest.range(of: "${") {
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
            names.append(String(rest[start.upperBound..<end]))
            rest = rest[rest.index(after: end)...]
        }
        return names
    }

    /// Replaces every `${NAME}`; nil names the first variable that is unset.
    static func expand(_ argument: String, with variables: ProfileVariables) -> (value: String, unset: String?) {
        var result = ""
        var rest = Substring(argument)
        while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
            result += rest[..<start.lowerBound]
            let name = String(rest[start.upperBound..<end])
            guard let value = variables.value(of: name) else { return (argument, name) }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return (result + rest, nil)
    }
}

extension Substring {
    func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
