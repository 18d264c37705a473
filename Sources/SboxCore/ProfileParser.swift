/// Reads a profile: one directive per line, `#` comments, blank lines ignored. A directive is a long
/// command-line option without its leading dashes, with the same arguments, so both parsers share
/// the option table. Arguments are separated by blanks; "double quotes" keep blanks, and in them
/// `\"`, `\\`, `\$` (a literal dollar), `\n`, `\r`, `\t` and `\xHH` (any byte but NUL) are escapes:
/// every byte string can be written (ProfileWriter does), and reads back as it was.
///
/// Arguments come out as templates: `${NAME}` is a variable, and the bytes `\\` and `\$` stand for
/// a literal backslash and dollar, until `expand` replaces both.
public enum ProfileParser {
    public static func parse(_ text: String, file: String) -> (lines: [ParsedOption], errors: [UsageError]) {
        parse(ByteString(text), file: file)
    }

    /// Parses every line into an option whose origin is `file:line`, variables not yet expanded.
    /// Collects an error for each bad line rather than stopping at the first.
    public static func parse(_ text: ByteString, file: String) -> (lines: [ParsedOption], errors: [UsageError]) {
        var lines: [ParsedOption] = []
        var errors: [UsageError] = []
        var number = 0
        let bytes = text.bytes
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let rawLine = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            number += 1
            var words: [ByteString]
            do {
                words = try tokenize(rawLine)
            } catch {
                errors.append(UsageError("\(file):\(number): \(error.message)"))
                continue
            }
            guard !words.isEmpty else { continue }
            let lineText = plainText(rawLine) ?? words.map(displayText).joined(separator: " ")
            let directive = words.removeFirst()
            var arguments = words
            guard let spec = directive.text.flatMap(OptionTable.spec(named:)), spec.isDirective else {
                let directives = OptionTable.all.filter(\.isDirective).map(\.name.rawValue)
                let hint = Suggestion.closest(to: directive.description, in: directives)
                    .map { " (did you mean '\($0)'?)" } ?? ""
                errors.append(UsageError("\(file):\(number): unknown directive '\(directive)'\(hint)"))
                continue
            }
            let name = spec.name
            if spec.takesList && arguments.count > 1 {
                // A list: on the command line its items are separated by commas, in a profile by blanks too.
                var list = arguments[0]
                for item in arguments.dropFirst() { list += "," + item }
                arguments = [list]
            }
            guard arguments.count == spec.arguments.count else {
                let usage = ([directive.description] + spec.arguments).joined(separator: " ")
                errors.append(UsageError("\(file):\(number): '\(directive)' takes \(spec.arguments.count) "
                                         + "argument\(spec.arguments.count == 1 ? "" : "s") (\(usage)), "
                                         + "not \(arguments.count)"))
                continue
            }
            for argument in arguments {
                if let unknown = unknownVariable(in: argument) {
                    let hint = Suggestion.closest(to: unknown, in: ProfileVariables.names)
                        .map { " (did you mean ${\($0)}?)" } ?? ""
                    errors.append(UsageError("\(file):\(number): unknown variable ${\(unknown)}\(hint); "
                                             + "known: \(ProfileVariables.names.joined(separator: ", "))"))
                }
            }
            lines.append(ParsedOption(name, arguments, origin: .profile(file: file, line: number, text: lineText)))
        }
        return (lines, errors)
    }

    /// The line as its words joined by one blank would read, when it is already that (printable
    /// ASCII, no quote, comment, escape, tab or double blank): most lines, without building the text again.
    static func plainText(_ line: ArraySlice<UInt8>) -> String? {
        guard let first = line.firstIndex(where: { $0 != UInt8(ascii: " ") }),
              let last = line.lastIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else {
            return nil
        }
        var previous: UInt8 = 0
        for byte in line[first...last] {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\\")
                || byte < 0x21 && byte != 0x20 || byte > 0x7e
                || (byte == UInt8(ascii: " ") && previous == UInt8(ascii: " ")) {
                return nil
            }
            previous = byte
        }
        return String(decoding: line[first...last], as: UTF8.self)
    }

    static let backslash = UInt8(ascii: "\\"), dollar = UInt8(ascii: "$")

    /// Splits a line into words (templates, see the type's comment); a `#` outside quotes starts a
    /// comment. Works on bytes: every byte it looks for is ASCII.
    static func tokenize(_ line: ArraySlice<UInt8>) throws(UsageError) -> [ByteString] {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), carriageReturn = UInt8(ascii: "\r")
        let quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#")
        var words: [ByteString] = []
        var word: [UInt8] = []
        var inWord = false
        var quoted = false
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            index += 1
            // The kernel's strings end at a NUL: a path holding one would be cut short there.
            if byte == 0 { throw UsageError("a NUL byte: no argument can hold one") }
            if quoted && byte == backslash {
                guard index < line.endIndex else { break }
                let (escaped, next) = try escape(in: line, at: index)
                word += escaped
                index = next
            } else if quoted {
                if byte == quote { quoted = false } else { word.append(byte) }
            } else if byte == hash && !inWord {
                break
            } else if byte == space || byte == tab || byte == carriageReturn {
                if inWord { words.append(ByteString(word)) }
                word.removeAll(keepingCapacity: true)
                inWord = false
            } else if byte == quote {
                quoted = true
                inWord = true
            } else {
                // Outside quotes a backslash is itself: the template's escaped form.
                if byte == backslash { word.append(backslash) }
                word.append(byte)
                inWord = true
            }
        }
        if quoted { throw UsageError("unterminated quote") }
        if inWord { words.append(ByteString(word)) }
        return words
    }

    /// The escape after a backslash at `index`, as template bytes, and where the line goes on.
    private static func escape(in line: ArraySlice<UInt8>, at index: Int) throws(UsageError) -> ([UInt8], Int) {
        let byte = line[index]
        switch byte {
        case UInt8(ascii: "\""): return ([byte], index + 1)
        case backslash, dollar: return ([backslash, byte], index + 1)
        case UInt8(ascii: "n"): return ([0x0a], index + 1)
        case UInt8(ascii: "r"): return ([0x0d], index + 1)
        case UInt8(ascii: "t"): return ([0x09], index + 1)
        case UInt8(ascii: "x"):
            guard index + 2 < line.endIndex, let high = hexDigit(line[index + 1]),
                  let low = hexDigit(line[index + 2]) else {
                throw UsageError("\\x must be followed by two hexadecimal digits")
            }
            let value = high << 4 | low
            guard value != 0 else { throw UsageError("\\x00: an argument cannot hold a NUL byte") }
            return (value == backslash || value == dollar ? [backslash, value] : [value], index + 3)
        default:
            throw UsageError("unknown escape '\\\(ByteString([byte]))' (known: \\\" \\\\ \\$ \\n \\r \\t \\xHH)")
        }
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The first `${NAME}` in `template` whose NAME is not a known variable.
    static func unknownVariable(in template: ByteString) -> String? {
        for name in variableNames(in: template) where !ProfileVariables.names.contains(name) { return name }
        return nil
    }

    /// The names of the `${NAME}` in `template`, in order.
    static func variableNames(in template: ByteString) -> [String] {
        var names: [String] = []
        guard template.contains(dollar) else { return names }
        walk(template) { part in if case .variable(let name) = part { names.append(name) } }
        return names
    }

    /// A template as messages show it: escapes resolved and shown escaped, variables as `${NAME}`.
    static func displayText(_ template: ByteString) -> String {
        var text = ""
        var bytes: [UInt8] = []
        walk(template) { part in
            switch part {
            case .byte(let byte): bytes.append(byte)
            case .variable(let name):
                text += ByteString(bytes).description + "${" + name + "}"
                bytes = []
            }
        }
        return text + ByteString(bytes).description
    }

    /// Replaces every `${NAME}` and escape; nil names the first variable that is unset.
    public static func expand(_ template: ByteString,
                              with variables: ProfileVariables) -> (value: ByteString, unset: String?) {
        guard template.contains(dollar) || template.contains(backslash) else { return (template, nil) }
        var result: [UInt8] = []
        var unset: String?
        walk(template) { part in
            switch part {
            case .byte(let byte): result.append(byte)
            case .variable(let name):
                if let value = variables.value(of: name) { result += value.bytes } else if unset == nil { unset = name }
            }
        }
        return (ByteString(result), unset)
    }

    private enum Part { case byte(UInt8), variable(String) }

    private static func walk(_ template: ByteString, _ body: (Part) -> Void) {
        let bytes = template.bytes
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == backslash && index + 1 < bytes.count {
                body(.byte(bytes[index + 1]))
                index += 2
            } else if byte == dollar && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "{"),
                      let end = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}")) {
                body(.variable(String(decoding: bytes[(index + 2)..<end], as: UTF8.self)))
                index = end + 1
            } else {
                body(.byte(byte))
                index += 1
            }
        }
    }
}
