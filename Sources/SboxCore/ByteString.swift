/// Bytes as the kernel passes them: an argument, an environment entry, a path. Never decoded on the
/// way from `main` to `execve`: invalid UTF-8 stays as it is (a `String` would replace it with
/// U+FFFD), and comparisons are byte by byte (a `String` compares Characters, under which a path
/// whose slash is followed by a combining mark is not beneath its own parent).
public struct ByteString: Hashable, Comparable, Sendable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ bytes: ArraySlice<UInt8>) { self.bytes = Array(bytes) }
    public init(_ text: String) { bytes = Array(text.utf8) }
    public init(_ text: Substring) { bytes = Array(text.utf8) }

    public static func < (lhs: ByteString, rhs: ByteString) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
    public static func + (lhs: ByteString, rhs: ByteString) -> ByteString { ByteString(lhs.bytes + rhs.bytes) }
    public static func += (lhs: inout ByteString, rhs: ByteString) { lhs.bytes += rhs.bytes }

    public var isEmpty: Bool { bytes.isEmpty }
    public var count: Int { bytes.count }

    /// The text, when the bytes are valid UTF-8: for what must be text (names, numbers, modes).
    public var text: String? { String(validating: bytes, as: UTF8.self) }

    public func hasPrefix(_ prefix: ByteString) -> Bool { bytes.starts(with: prefix.bytes) }
    public func hasSuffix(_ suffix: ByteString) -> Bool {
        bytes.count >= suffix.bytes.count && bytes[(bytes.count - suffix.bytes.count)...].elementsEqual(suffix.bytes)
    }
    public func contains(_ byte: UInt8) -> Bool { bytes.contains(byte) }
    public func contains(_ part: ByteString) -> Bool { range(of: part) != nil }

    /// Where `part` first stands.
    public func range(of part: ByteString, from start: Int = 0) -> Range<Int>? {
        guard !part.isEmpty, part.count <= count else { return part.isEmpty ? start..<start : nil }
        var index = start
        while index + part.count <= count {
            if bytes[index] == part.bytes[0] && bytes[index..<(index + part.count)].elementsEqual(part.bytes) {
                return index..<(index + part.count)
            }
            index += 1
        }
        return nil
    }

    public func dropFirst(_ count: Int) -> ByteString { ByteString(bytes.dropFirst(count)) }
    public subscript(range: Range<Int>) -> ByteString { ByteString(bytes[range]) }

    /// The parts between each `separator` (empty ones kept).
    public func split(separator: UInt8) -> [ByteString] {
        var parts: [ByteString] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == separator {
            parts.append(ByteString(bytes[start..<index]))
            start = index + 1
        }
        parts.append(ByteString(bytes[start...]))
        return parts
    }

    /// A NUL-terminated copy for a C function.
    public func withCString<Result>(_ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// The bytes up to a C string's NUL.
    public init(cString pointer: UnsafePointer<CChar>) {
        var bytes: [UInt8] = []
        var index = 0
        while pointer[index] != 0 {
            bytes.append(UInt8(bitPattern: pointer[index]))
            index += 1
        }
        self.bytes = bytes
    }
}

extension ByteString: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) { bytes = Array(text.utf8) }
}

extension ByteString: CustomStringConvertible {
    /// For messages: valid UTF-8 as it is, but control characters, invalid bytes and the characters
    /// that reorder a terminal's text escaped (`\n`, `\xff`, `\u{202e}`): a name can never forge a
    /// line of its own or hide what follows it.
    public var description: String { Self.escaped(bytes) }

    public static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        UTF8Scalar.walk(bytes) { scalar, sequence in
            switch scalar?.value {
            case 0x0a?: text += "\\n"
            case 0x0d?: text += "\\r"
            case 0x09?: text += "\\t"
            case let value? where value >= 0x80 && UTF8Scalar.needsEscape(value):
                text += "\\u{" + String(value, radix: 16) + "}"
            case let value? where !UTF8Scalar.needsEscape(value): text.unicodeScalars.append(scalar!)
            default: for byte in sequence { text += "\\x" + hex(byte) }
            }
        }
        return text
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 15)]], as: UTF8.self)
    }
}

/// One UTF-8 sequence, strictly (no overlong form, no surrogate, nothing above U+10FFFF).
public enum UTF8Scalar {
    /// Calls `body` for each scalar with its bytes, or with nil and one byte that is not valid UTF-8.
    public static func walk(_ bytes: [UInt8], _ body: (Unicode.Scalar?, ArraySlice<UInt8>) -> Void) {
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decode(bytes, at: index) {
                body(scalar, bytes[index..<(index + length)])
                index += length
            } else {
                body(nil, bytes[index...index])
                index += 1
            }
        }
    }

    /// Control characters (C0, DEL, C1) and the marks that reorder text on a terminal: never shown
    /// as themselves.
    public static func needsEscape(_ value: UInt32) -> Bool {
        switch value {
        case 0..<0x20, 0x7f..<0xa0, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069: true
        default: false
        }
    }

    public static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int, minimum: UInt32
        var value: UInt32
        switch lead {
        case 0xc2...0xdf: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1f))
        case 0xe0...0xef: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0f))
        case 0xf0...0xf4: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xc0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3f)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}

extension ByteString {
    /// The bytes as text, invalid sequences replaced: for values that must be text anyway (numbers,
    /// names, modes), which then fail to parse and are shown escaped in the error.
    public var lossy: String { String(decoding: bytes, as: UTF8.self) }
}

extension ByteString {
    public func dropLast(_ count: Int) -> ByteString { ByteString(bytes.dropLast(count)) }
}
