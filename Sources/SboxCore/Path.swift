/// Paths are byte strings: these are the operations on them, all on bytes (a `/` is the byte 0x2f,
/// whatever follows it). Absolute paths throughout, but where a method says otherwise.
extension ByteString {
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")
    public static let root: ByteString = "/"

    public var isAbsolute: Bool { bytes.first == Self.slash }

    /// Without empty and `.` components and without a trailing slash; `..` is kept for the kernel to
    /// resolve (inside the sandbox it cannot climb above the new root). Relative paths become absolute.
    public var normalized: ByteString {
        if isNormal { return self }  // most are: nothing to build
        var result: [UInt8] = []
        var component: [UInt8] = []
        for byte in bytes + [Self.slash] {
            guard byte == Self.slash else {
                component.append(byte)
                continue
            }
            if !component.isEmpty && component != [Self.dot] {
                result.append(Self.slash)
                result += component
            }
            component.removeAll(keepingCapacity: true)
        }
        return result.isEmpty ? Self.root : ByteString(result)
    }

    /// Absolute, without empty or `.` components and without a trailing slash: what `normalized` returns.
    public var isNormal: Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for (index, byte) in bytes.enumerated() {
            if index == 0 && byte != Self.slash { return false }
            // "//" or "/./"
            if byte == Self.slash && (previous == Self.slash
                                      || (previous == Self.dot && beforePrevious == Self.slash)) {
                return false
            }
            beforePrevious = previous
            previous = byte
        }
        // Empty, a trailing slash (but for /), a trailing "/."
        return !bytes.isEmpty && !(bytes.count > 1 && previous == Self.slash)
            && !(previous == Self.dot && beforePrevious == Self.slash)
    }

    /// `..` resolved by removing the component before it: what `include ../b.profile` names.
    public var lexicallyNormalized: ByteString {
        var parts: [ByteString] = []
        for part in split(separator: Self.slash) where !part.isEmpty && part != "." {
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
            } else {
                parts.append(part)
            }
        }
        var result = ByteString([])
        for part in parts { result.bytes += [Self.slash] + part.bytes }
        return result.isEmpty ? Self.root : result
    }

    /// The directory the path is in (`/` for what is right under the root).
    public var parent: ByteString {
        guard let slash = bytes.lastIndex(of: Self.slash), slash > 0 else { return Self.root }
        return ByteString(bytes[..<slash])
    }

    /// The last component: what is after the last slash.
    public var lastComponent: ByteString {
        guard let slash = bytes.lastIndex(of: Self.slash) else { return self }
        return ByteString(bytes[(slash + 1)...])
    }

    /// `self/name`, with one slash.
    public func appending(_ name: ByteString) -> ByteString {
        self == Self.root ? ByteString([Self.slash] + name.bytes) : ByteString(bytes + [Self.slash] + name.bytes)
    }

    /// The path itself or something beneath it (both normal).
    public func isWithin(_ ancestor: ByteString) -> Bool {
        ancestor == Self.root || self == ancestor || isStrictlyBeneath(ancestor)
    }

    /// Something beneath `ancestor`, not the path itself (both normal).
    public func isStrictlyBeneath(_ ancestor: ByteString) -> Bool {
        if ancestor == Self.root { return self != Self.root }
        return bytes.count > ancestor.bytes.count && bytes[ancestor.bytes.count] == Self.slash && hasPrefix(ancestor)
    }
}
