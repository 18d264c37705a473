/// setrlimit(2) limits for the program (--rlimit-*), and --timeout: for CI jobs that must end.
public enum ResourceKind: String, CaseIterable, Sendable {
    case openFiles = "nofile", processes = "nproc", addressSpace = "as", cpuSeconds = "cpu", fileSize = "fsize",
         coreSize = "core"

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
    static func resourceLimit(_ kind: ResourceKind, _ text: String,
                              for option: ParsedOption) throws(UsageError) -> ResourceLimit {
        if text == "unlimited" { return ResourceLimit(kind: kind, value: nil, origin: option.origin) }
        let value: UInt64?
        switch kind {
        case .openFiles, .processes: value = UInt64(text)
        case .addressSpace, .fileSize, .coreSize: value = text == "0" ? 0 : try? size(text, for: option)
        case .cpuSeconds: value = milliseconds(text).map { ($0 + 999) / 1000 }
        }
        guard let value else {
            throw UsageError(option.origin, "'\(text)' is not \(kind.unit), or 'unlimited'")
        }
        // The kernel kills a program whose image does not fit before it runs a single instruction.
        if kind == .addressSpace && value < minimumAddressSpace {
            throw UsageError(option.origin, "no program starts in less than 1M of address space "
                             + "(a dynamically linked one needs about 4M)")
        }
        return ResourceLimit(kind: kind, value: value, origin: option.origin)
    }

    static let minimumAddressSpace: UInt64 = 1 << 20

    /// A duration as timeout(1) reads it, a number (fractions allowed) with an optional unit s, m, h or
    /// d; or units in a row, as systemd reads them (`1h30m`, `2m30s`).
    static func milliseconds(_ text: String) -> UInt64? {
        let scales: [Character: Double] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        var total: Double = 0
        var number = ""
        var parts = 0
        for character in text {
            if character.isASCII && (character.isNumber || character == ".") {
                number.append(character)
            } else if let scale = scales[character], let value = Double(number), !number.isEmpty {
                total += value * scale
                number = ""
                parts += 1
            } else {
                return nil
            }
        }
        if !number.isEmpty {
            guard parts == 0, let value = Double(number) else { return nil }  // a bare number is seconds, alone
            total = value * 1000
        }
        guard total > 0, total < 1e15 else { return nil }
        return UInt64(total.rounded(.up))
    }
}
