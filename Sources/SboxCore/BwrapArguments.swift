/// bubblewrap 0.11's reading of its arguments, where it differs from sbox's, and the words of its
/// errors and warnings that callers and test suites match. Used in bwrap mode only: sbox mode says
/// more (the option and the file and line it came from).
enum BwrapArguments {
    /// The largest tmpfs size bwrap accepts: SIZE_MAX / 2 on a 64-bit system.
    static let maximumSize: UInt64 = UInt64.max >> 1

    /// A descriptor number as bwrap reads it (strtol, base 10, all of it, not negative).
    static func descriptor(_ text: ByteString) throws(UsageError) -> Int32 {
        guard let fd = Int32(text.lossy), fd >= 0 else { throw UsageError("Invalid fd: \(text)") }
        return fd
    }

    /// --size as bwrap reads it (strtoull with base 0: 0x for hexadecimal, a leading 0 for octal),
    /// with sbox's K, M and G suffixes besides.
    static func size(_ text: ByteString) throws(UsageError) -> UInt64 {
        var digits = Substring(text.lossy)
        var multiplier: UInt64 = 1
        switch digits.last {
        case "K", "k": multiplier = 1 << 10
        case "M", "m": multiplier = 1 << 20
        case "G", "g": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { digits = digits.dropLast() }
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count > 1 && digits.hasPrefix("0") {
            radix = 8
        }
        guard digits.first?.isASCII ?? false, digits.first?.isNumber ?? false || radix == 16,
              let value = UInt64(digits, radix: radix), value > 0 else {
            throw UsageError("--size takes a non-zero number of bytes")
        }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow, bytes <= maximumSize else {
            throw UsageError("--size (for tmpfs) is limited to \(maximumSize)")
        }
        return bytes
    }

    /// What bwrap says of the options as a whole, in its order: the warnings, or the first error.
    static func check(_ options: [ParsedOption]) throws(UsageError) -> [String] {
        // The few options that matter, as given (no set of sbox's own type on bwrap's start path).
        var warnings: [String] = [], seen: [OptionName] = []
        for option in options where option.name.bwrapKeepsOnlyTheLast || option.name == .addSeccompFD {
            switch option.name {
            case .seccomp where seen.contains(.addSeccompFD):
                throw UsageError("--seccomp cannot be combined with --add-seccomp-fd")
            case .addSeccompFD where seen.contains(.seccomp):
                throw UsageError("--add-seccomp-fd cannot be combined with --seccomp")
            default: break
            }
            if option.name.bwrapKeepsOnlyTheLast && seen.contains(option.name) {
                warnings.append("Only the last \(option.name.spec.flag) option will take effect")
            }
            seen.append(option.name)
        }
        return warnings
    }
}
