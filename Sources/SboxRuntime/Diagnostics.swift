import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// Messages for the user, written straight to stderr (no buffering to lose or duplicate across fork).
public enum Diagnostics {
    /// "sbox", or "bwrap" when sbox runs as bwrap. Set once by the command line, before any fork.
    nonisolated(unsafe) public static var prefix = "sbox"
    /// --level-prefix: each message begins with its syslog priority (<3> an error, <4> a warning),
    /// for journald and the like.
    nonisolated(unsafe) public static var levelPrefix = false

    /// One line, whatever the message holds: a control character or a mark that reorders text,
    /// which a name quoted in it might bring, is shown escaped.
    public static func error(_ message: String) { say(message, level: "<3>") }

    /// What went on, but not as asked (a notice, bwrap's "Only the last --chdir option will take effect").
    public static func warning(_ message: String) { say(message, level: "<4>") }

    private static func say(_ message: String, level: String) {
        let text = message.unicodeScalars.contains { UTF8Scalar.needsEscape($0.value) }
            ? ByteString(message).description : message
        write(line: (levelPrefix ? level : "") + prefix + ": " + text)
    }

    public static func write(line: String, to descriptor: Int32 = 2) {
        var text = line + "\n"
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = retryingIfInterrupted {
                    Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
