import CSeccomp
import SboxCore

/// Compiled policies, kept since compiling costs more than the rest of sandbox setup:
/// `DIR/seccomp/KEY.bpf`, a magic, the key, the program and its MAC. Anything that does not match
/// is ignored and the program is compiled again; a cache that cannot be written is no error.
///
/// The key of an entry is a hash anyone can compute, the sandbox included: what makes an entry
/// trusted is its MAC, SipHash-2-4 under `DIR/key`, sixteen random bytes that sbox makes once
/// and no sandbox sees (DIR is hidden in every one, and no writable bind may reach it). An entry
/// planted without the key, or altered, is ignored.
enum SeccompCache {
    static let magic = Array("SBOXBPF2".utf8)
    static let tagSize = 16
    static let maximumSize = 16 + 4096 * 8 + tagSize

    /// FNV-1a of the policy as written, and of the binary that expands its groups (its size and
    /// modification time): another build of sbox never reuses a program compiled by this one.
    static func key(_ policy: String, arch: UInt32, system: HostFileCalls) -> UInt64 {
        var text = "sbox-seccomp-1|\(arch)|\(system.executableStamp())|" + policy
        if let version = seccomp_version() {
            text += "|\(version.pointee.major).\(version.pointee.minor).\(version.pointee.micro)"
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func path(_ key: UInt64, in directory: ByteString) -> ByteString {
        let hex = String(key, radix: 16)
        return directory + ByteString("/seccomp/" + String(repeating: "0", count: 16 - hex.count) + hex + ".bpf")
    }

    static func header(_ key: UInt64) -> [UInt8] {
        magic + (0..<8).map { UInt8(truncatingIfNeeded: key >> (8 * UInt64($0))) }
    }

    static func read(_ key: UInt64, in directory: ByteString?, system: HostFileCalls) -> [UInt8]? {
        guard let directory, let secret = secret(in: directory, creating: false, system: system),
              let bytes = system.readPrivateFile(path(key, in: directory), limit: maximumSize),
              bytes.count > 16 + tagSize, (bytes.count - 16 - tagSize) % 8 == 0,
              Array(bytes[0..<16]) == header(key) else { return nil }
        let signed = Array(bytes[..<(bytes.count - tagSize)])
        guard SipHash.mac(signed, key: secret) == Array(bytes[(bytes.count - tagSize)...]) else { return nil }
        return Array(signed[16...])
    }

    static func write(_ program: [UInt8], key: UInt64, in directory: ByteString?, system: HostFileCalls) {
        guard let directory else { return }
        // Every missing parent too ($XDG_CACHE_HOME may not exist yet), private to the user.
        system.createDirectories(directory + "/seccomp", permissions: 0o700)
        guard let secret = secret(in: directory, creating: true, system: system) else { return }
        let signed = header(key) + program
        try? system.replaceFile(path(key, in: directory), with: signed + SipHash.mac(signed, key: secret),
                                permissions: 0o600)
        prune(directory + "/seccomp", system: system)
    }

    /// The MAC's key, made on the first write (never replaced: an entry signed under another key
    /// is just compiled again).
    static func secret(in directory: ByteString, creating: Bool, system: HostFileCalls) -> [UInt8]? {
        let path = directory + "/key"
        if let secret = system.readPrivateFile(path, limit: 16), secret.count == 16 { return secret }
        guard creating, let secret = system.randomBytes(16),
              system.createNewFile(path, with: secret, permissions: 0o600) else { return nil }
        return secret
    }

    /// Each build of sbox compiles its own programs (the key has the binary's identity): beyond
    /// `kept` entries, the ones least recently written go. Only on a miss, never on a run's path.
    static let kept = 64

    static func prune(_ directory: ByteString, system: HostFileCalls) {
        let names = system.names(in: directory, ending: ".bpf")
        guard names.count > kept else { return }
        let entries = names.compactMap { name -> (time: Int, path: ByteString)? in
            let path = directory.appending(name)
            return system.modificationTime(of: path).map { ($0, path) }
        }
        for entry in entries.sorted(by: { $0.time < $1.time }).dropLast(kept) { system.removeFile(entry.path) }
    }
}
