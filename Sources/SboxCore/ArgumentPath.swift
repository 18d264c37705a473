/// The host paths a program's arguments name, for expose-args: the document a launcher passes (`%f`,
/// `%u`), as an absolute path or a file:// URL (percent-decoded, as bytes).
public enum ArgumentPath {
    /// The host path `argument` names, normalized; nil for anything but an absolute path or a file:// URL.
    public static func path(of argument: ByteString) -> ByteString? {
        if argument.isAbsolute { return argument.normalized }
        for prefix: ByteString in ["file://localhost/", "file:///"] where argument.hasPrefix(prefix) {
            guard let decoded = percentDecoded(argument.dropFirst(prefix.count - 1)), decoded.isAbsolute else {
                return nil
            }
            return decoded.normalized
        }
        return nil
    }

    /// Why an argument's path is not exposed even as a single file: where the host's services,
    /// devices and sbox's own files are, or a path that climbs (`..`).
    static func refusal(of path: ByteString, host: HostContext, own: [ByteString]) -> String? {
        if path.split(separator: UInt8(ascii: "/")).contains("..") { return "it climbs with .." }
        let runtime = [ProfileVariables(host: host).value(of: "XDG_RUNTIME_DIR")?.normalized, host.resolved.runtime]
            .compactMap { $0 }
        if let place = (CurrentDirectory.servicePlaces + runtime).first(where: { path.isWithin($0) }) {
            return "\(place) holds the host's services"
        }
        if let mine = own.first(where: { path.isWithin($0) }) { return "it is sbox's own (\(mine))" }
        return nil
    }

    /// `%xx` decoded (a query or a fragment ends the path); nil for a malformed escape or a NUL.
    static func percentDecoded(_ text: ByteString) -> ByteString? {
        var bytes: [UInt8] = []
        var index = 0
        let source = text.bytes
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                index += 1
                continue
            }
            guard index + 2 < source.count,
                  let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16),
                  value != 0 else { return nil }
            bytes.append(value)
            index += 3
        }
        return ByteString(bytes)
    }
}
