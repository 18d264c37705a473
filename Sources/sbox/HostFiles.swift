import SboxCore
import SboxRuntime
#if canImport(Glibc)
import Glibc
#endif

/// What sbox learn asks of the host's files, as the caller (the sandbox ran with the same ids).
enum HostFiles {
    static func exists(_ path: ByteString) -> Bool {
        var info = stat()
        return path.withCString { lstat($0, &info) } == 0
    }

    static func isSocket(_ path: ByteString) -> Bool {
        var info = stat()
        return path.withCString { stat($0, &info) } == 0 && info.st_mode & S_IFMT == S_IFSOCK
    }

    /// Whether the operation would have worked: reading (or listing), executing, writing the file, or
    /// creating it in its nearest existing directory.
    static func permits(_ path: ByteString, _ kind: FileAccessRecord.Kind) -> Bool {
        switch kind {
        case .read: return path.withCString { access($0, R_OK) } == 0
        case .execute: return path.withCString { access($0, X_OK) } == 0
        case .connect: return true
        case .write:
            var target = path
            while !exists(target) && target != ByteString.root { target = target.parent }
            return target.withCString { access($0, target == path ? W_OK : W_OK | X_OK) } == 0
        }
    }

    /// The symlinks `path` leads through, as absolute paths: itself if it is one, then its target...
    static func links(_ path: ByteString) -> [ByteString] {
        var chain: [ByteString] = []
        var current = path
        while chain.count < 40, let target = LinuxSystemCalls().readSymlink(current, in: AT_FDCWD) {
            chain.append(current)
            current = (target.isAbsolute ? target : current.parent.appending(target)).lexicallyNormalized
        }
        return chain.count > 0 ? Array(chain.dropFirst()) + [current] : []
    }

    /// A unix socket a service listens on: /proc/net/unix lists it with the accepting flag.
    static func isListening(_ path: ByteString) -> Bool {
        let fd = open("/proc/net/unix", O_RDONLY | O_CLOEXEC)
        guard fd >= 0, let bytes = try? Descriptors.readAll(fd, limit: 16 << 20) else { return false }
        for line in ByteString(bytes).split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " ")).filter { !$0.isEmpty }
            // Num RefCount Protocol Flags Type St Inode Path; __SO_ACCEPTCON is 0x10000 in Flags.
            guard fields.count >= 8, let flags = UInt32(fields[3].lossy, radix: 16), flags & 0x10000 != 0 else {
                continue
            }
            if ByteString(fields[7...].reduce([UInt8]()) { $0.isEmpty ? $1.bytes : $0 + [0x20] + $1.bytes }) == path {
                return true
            }
        }
        return false
    }

    /// The unix sockets in `directories` and up to `depth` levels beneath them.
    static func unixSockets(in directories: [ByteString], depth: Int) -> [ByteString] {
        var sockets: [ByteString] = []
        for directory in directories {
            for name in LinuxSystemCalls().names(in: directory, ending: "") where name != "." && name != ".." {
                let path = directory.appending(name)
                var info = stat()
                guard path.withCString({ lstat($0, &info) }) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFSOCK { sockets.append(path) }
                if info.st_mode & S_IFMT == S_IFDIR && depth > 1 {
                    sockets += unixSockets(in: [path], depth: depth - 1)
                }
            }
        }
        return sockets
    }
}
