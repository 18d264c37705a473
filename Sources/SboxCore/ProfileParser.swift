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
            let lineEnd = text.utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
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
            let lineText = plainText(rawLine) ?? words.joined(separator: " ")
            let directive = words.removeFirst()
            var arguments = words
            guard let name = OptionName(rawValue: directive), name != .help, name != .version, name != .args else {
                let directives = OptionName.allCases.filter { $0 != .help && $0 != .version && $0 != .args }.map(\.rawValue)
                let hint = Suggestion.closest(to: directive, in: directives).map { " (did you mean '\($0)'?)" } ?? ""
                errors.append(UsageError("\(file):\(number): unknown directive '\(directive)'\(hint)"))
                continue
            }
            let spec = name.spec
            if name.takesList && arguments.count > 1 {
                // A list: on the command line its items are separated by commas, in a profile by blanks too.
                arguments = [arguments.joined(separator: ",")]
            }
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

    /// The line as its words joined by one blank would read, when it is already that (no quote,
    /// comment, tab or double blank): most lines, without building the text again.
    static func plainText(_ line: Substring) -> String? {
        let bytes = line.utf8
        guard let first = bytes.firstIndex(where: { $0 != UInt8(ascii: " ") }),
              let last = bytes.lastIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return nil }
        var previous: UInt8 = 0
        for byte in bytes[first...last] {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\\")
                || byte == UInt8(ascii: "\r") || (byte == UInt8(ascii: " ") && previous == UInt8(ascii: " ")) {
                return nil
            }
            previous = byte
        }
        return String(line[first...last])
    }

    /// Splits a line into words; a `#` outside quotes starts a comment. Works on UTF-8 bytes (every
    /// byte it looks for is ASCII), which is several times faster than walking Characters.
    static func tokenize(_ line: Substring) throws(UsageError) -> [String] {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), carriageReturn = UInt8(ascii: "\r")
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), hash = UInt8(ascii: "#")
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var quoted = false
        var escaped = false
        for byte in line.utf8 {
            if escaped {
                word.append(byte)
                escaped = false
            } else if quoted {
                if byte == backslash { escaped = true } else if byte == quote { quoted = false } else { word.append(byte) }
            } else if byte == hash && !inWord {
                break
            } else if byte == space || byte == tab || byte == carriageReturn {
                if inWord { words.append(String(decoding: word, as: UTF8.self)) }
                word.removeAll(keepingCapacity: true)
                inWord = false
            } else if byte == quote {
                quoted = true
                inWord = true
            } else {
                word.append(byte)
                inWord = true
            }
        }
        if quoted || escaped { throw UsageError("unterminated quote") }
        if inWord { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// The first `${NAME}` in `argument` whose NAME is not a known variable.
    static func unknownVariable(in argument: String) -> String? {
        for name in variableNames(in: argument) where !ProfileVariables.names.contains(name) { return name }
        return nil
    }

    static func variableNames(in argument: String) -> [String] {
        var names: [String] = []
        guard argument.utf8.contains(UInt8(ascii: "$")) else { return names }
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
        guard argument.utf8.contains(UInt8(ascii: "$")) else { return (argument, nil) }
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
