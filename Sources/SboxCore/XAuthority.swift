/// An Xauthority file (libXau's format): entries of a family (2 bytes, big-endian) and four counted
/// strings (address, display number, name, data). sbox gives the sandbox a file of its own with only
/// the entries of the display it exposes, never the user's whole file (the cookies of every display).
public enum XAuthority {
    static let familyLocal: UInt16 = 256, familyWild: UInt16 = 65535

    /// The local (or wild) entries for display `number`, renumbered `as` and made wild (any host
    /// name: the sandbox's may differ); empty when there is none or the file is malformed.
    public static func entries(for number: ByteString, in file: [UInt8], as renumbered: ByteString) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        func counted() -> ArraySlice<UInt8>? {
            guard index + 2 <= file.count else { return nil }
            let length = Int(file[index]) << 8 | Int(file[index + 1])
            guard index + 2 + length <= file.count else { return nil }
            defer { index += 2 + length }
            return file[(index + 2)..<(index + 2 + length)]
        }
        while index < file.count {
            guard index + 2 <= file.count else { return [] }
            let family = UInt16(file[index]) << 8 | UInt16(file[index + 1])
            index += 2
            guard counted() != nil, let display = counted(), let name = counted(), let data = counted() else {
                return []
            }
            guard family == familyLocal || family == familyWild, ByteString(display) == number else { continue }
            result += [0xff, 0xff] + field([]) + field(renumbered.bytes) + field(Array(name)) + field(Array(data))
        }
        return result
    }

    private static func field(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xff)] + bytes
    }
}
