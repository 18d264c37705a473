/// Linux capabilities, numbered as in <linux/capability.h>, named as in capabilities(7).
public enum Capability: UInt32, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case chown = 0, dacOverride, dacReadSearch, fowner, fsetid, kill, setgid, setuid, setpcap
    case linuxImmutable, netBindService, netBroadcast, netAdmin, netRaw, ipcLock, ipcOwner
    case sysModule, sysRawio, sysChroot, sysPtrace, sysPacct, sysAdmin, sysBoot, sysNice
    case sysResource, sysTime, sysTtyConfig, mknod, lease, auditWrite, auditControl, setfcap
    case macOverride, macAdmin, syslog, wakeAlarm, blockSuspend, auditRead, perfmon, bpf
    case checkpointRestore

    static let names: [String] = [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ]

    /// `CAP_SYS_ADMIN`, as capabilities(7) spells it.
    public var description: String { "CAP_" + Capability.names[Int(rawValue)] }

    public static func < (a: Capability, b: Capability) -> Bool { a.rawValue < b.rawValue }

    /// Parses `CAP_NET_RAW`, `net_raw` or `NET_RAW`, in any case. `ALL` is handled by the caller.
    public static func named(_ text: String) -> Capability? {
        var upper = text.uppercased()
        if upper.hasPrefix("CAP_") { upper.removeFirst(4) }
        return names.firstIndex(of: upper).flatMap { Capability(rawValue: UInt32($0)) }
    }

    static var suggestions: [String] { names.map { "CAP_" + $0 } + ["ALL"] }
}

/// A set of capabilities, as the kernel keeps them: one bit per capability.
public struct CapabilitySet: OptionSet, Equatable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(_ capability: Capability) { self.init(rawValue: 1 << UInt64(capability.rawValue)) }

    public init(_ capabilities: [Capability]) { self.init(capabilities.map(CapabilitySet.init)) }

    public static let all = CapabilitySet(rawValue: (1 << UInt64(Capability.checkpointRestore.rawValue + 1)) - 1)

    public var members: [Capability] {
        (0..<64).compactMap { bit in rawValue & (1 << UInt64(bit)) != 0 ? Capability(rawValue: UInt32(bit)) : nil }
    }

    public func contains(_ capability: Capability) -> Bool { contains(CapabilitySet(capability)) }

    public var description: String { members.map(\.description).joined(separator: ",") }
}
