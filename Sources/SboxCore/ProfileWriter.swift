/// The one way sbox writes profile text (`sbox learn`): lines that ProfileParser reads back to exactly
/// the options they were written from, whatever bytes the arguments hold. What it writes is printable
/// UTF-8 and nothing else: a newline, a carriage return, a NUL, an invalid byte or a character that
/// reorders a terminal's text never reaches the file as itself, so no argument can end its line,
/// start another, or hide one from a reader.
public enum ProfileWriter {
    /// Part of an argument: bytes to write as they are, or a profile variable (`${HOME}`).
    public enum Piece: Equatable, Sendable {
        case bytes(ByteString)
        case variable(String)
    }

    /// A directive line: the option's name and its arguments.
    public static func line(_ name: OptionName, _ arguments: [[Piece]]) -> String {
        var text = name.rawValue
        for argument in arguments { text += " " + encode(argument) }
        return text
    }

    public static func line(_ name: OptionName, _ arguments: ByteString...) -> String {
        line(name, arguments.map { [.bytes($0)] })
    }

    /// A comment of sbox's own words; `detail` (a path, a command) is encoded as an argument is.
    public static func comment(_ text: String, _ detail: ByteString? = nil) -> String {
        "# " + text + (detail.map { " " + encode([.bytes($0)]) } ?? "")
    }

    /// One argument: as it is when it is a plain word, else in double quotes with escapes.
    public static func encode(_ pieces: [Piece]) -> String {
        let plain = pieces.allSatisfy { piece in
            if case .bytes(let value) = piece { isPlain(value) } else { true }
        }
        var text = plain ? "" : "\""
        for piece in pieces {
            switch piece {
            case .variable(let name): text += "${" + name + "}"
            case .bytes(let value): text += plain ? value.lossy : quoted(value)
            }
        }
        return plain ? text : text + "\""
    }

    /// Printable ASCII with nothing the parser reads specially (blanks, quotes, `#`, `\`, `$`).
    static func isPlain(_ value: ByteString) -> Bool {
        !value.isEmpty && value.bytes.allSatisfy { byte in
            byte > 0x20 && byte < 0x7f && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "#")
                && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "$")
        }
    }

    /// The inside of a quoted argument.
    static func quoted(_ value: ByteString) -> String {
        var text = ""
        UTF8Scalar.walk(value.bytes) { scalar, bytes in
            switch scalar?.value {
            case UInt32(UInt8(ascii: "\""))?: text += "\\\""
            case UInt32(UInt8(ascii: "\\"))?: text += "\\\\"
            case UInt32(UInt8(ascii: "$"))?: text += "\\$"
            case 0x0a?: text += "\\n"
            case 0x0d?: text += "\\r"
            case 0x09?: text += "\\t"
            case let value? where !UTF8Scalar.needsEscape(value): text.unicodeScalars.append(scalar!)
            default: for byte in bytes { text += "\\x" + ByteString.hex(byte) }
            }
        }
        return text
    }
}
