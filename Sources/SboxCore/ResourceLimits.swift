/// setrlimit(2) limits for the program (--rlimit-*), and --timeout: for CI jobs that must end.
public enum ResourceKind: String, CaseIterable, Sendable {
    case openFiles = "nofile", processes = "nproc", addressSpace = "as", cpuSeconds = "cpu", fileSize = "fsize", coreSize = "core"

    /// The unit a value is read in: a count, bytes (K, M, G), or seconds (s, m, h).
    var unit: String {
        switch self {
        case .openFiles, .processes: "a number"
        case .addressSpace, .fileSize, .coreSize: "a size in bytes (optionally with K, M or G)"
        case .cpuSeconds: "a duration (seconds, or with s, m or h)"
        }
    }
}

public struct ResourceLimit: Equatable, Sendable {
    public var kind: ResourceKind
    /// Soft and hard limit alike; nil for "unlimited".
    public var value: UInt64?
    public var origin: Origin
}

extension PlanCompiler {
    static func resourceLimit(_ kind: ResourceKind, _ text: String, for option: ParsedOption) throws(UsageError) -> ResourceLimit {
        if text == "unlimited" { return ResourceLimit(kind: kind, value: nil, origin: option.origin) }
        let value: UInt64?
        switch kind {
        case .openFiles, .processes: value = UInt64(text)
        case .addressSpace, .fileSize, .coreSize: value = text == "0" ? 0 : try? size(text, for: option)
        case .cpuSeconds: value = milliseconds(text).map { ($0 + 999) / 1000 }
        }
        guard let value else {
            throw UsageError("\(option.origin): '\(text)' is not \(kind.unit), or 'unlimited'")
        }
        // The kernel kills a program whose image does not fit before it runs a single instruction.
        if kind == .addressSpace && value < minimumAddressSpace {
            throw UsageError("\(option.origin): no program starts in less than 1M of address space (a dynamically linked one needs about 4M)")
        }
        return ResourceLimit(kind: kind, value: value, origin: option.origin)
    }

    static let minimumAddressSpace: UInt64 = 1 << 20

    /// A duration as timeout(1) reads it: a number (fractions allowed) with an optional unit s, m, h or d.
    static func milliseconds(_ text: String) -> UInt64? {
        var number = Substring(text)
        var scale: Double = 1000
        switch number.last {
        case "s": number = number.dropLast()
        case "m": scale = 60_000; number = number.dropLast()
        case "h": scale = 3_600_000; number = number.dropLast()
        case "d": scale = 86_400_000; number = number.dropLast()
        default: break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(number),
              value > 0, value * scale < 1e15 else { return nil }
        return UInt64((value * scale).rounded(.up))
    }
}
