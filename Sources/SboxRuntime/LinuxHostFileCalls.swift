import CSbox
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The real system calls on sbox's own files.
extension LinuxSystemCalls {
    public func isMissing(_ path: ByteString) -> Bool {
        path.withCString { access($0, F_OK) } != 0 && (errno == ENOENT || errno == ENOTDIR)
    }

    public func readRegularFile(_ path: ByteString, limit: Int) throws(SystemError) -> [UInt8]? {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw SystemError("opening", path: path, errno: errno)
        }
        var info = stat()
        guard Glibc.fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(fd)
            throw SystemError("reading", path: path, errno: EINVAL, detail: "not a regular file")
        }
        do { return try Descriptors.readAll(fd, limit: limit) } catch {  // closes fd
            throw SystemError("reading", path: path, errno: error.errno)
        }
    }

    public func readPrivateFile(_ path: ByteString, limit: Int) -> [UInt8]? {
        let fd = path.withCString { Glibc.open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        var info = stat()
        guard Glibc.fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid(),
              info.st_mode & 0o022 == 0, info.st_size <= limit else {
            Glibc.close(fd)
            return nil
        }
        return try? Descriptors.readAll(fd, limit: limit)  // closes fd
    }

    public func createDirectories(_ path: ByteString, permissions: UInt32) {
        var partial = ByteString.root
        for component in path.split(separator: UInt8(ascii: "/")) where !component.isEmpty {
            partial = partial.appending(component)
            _ = partial.withCString { mkdir($0, permissions) }
        }
    }

    public func replaceFile(_ path: ByteString, with bytes: [UInt8], permissions: UInt32) throws(SystemError) {
        let temporary = path + ByteString(".\(getpid()).tmp")
        guard write(bytes, toNew: temporary, permissions: permissions) else {
            throw SystemError("writing", path: path, errno: errno)
        }
        guard temporary.withCString({ old in path.withCString { rename(old, $0) } }) == 0 else {
            let error = SystemError("writing", path: path, errno: errno)
            removeFile(temporary)
            throw error
        }
    }

    public func createNewFile(_ path: ByteString, with bytes: [UInt8], permissions: UInt32) -> Bool {
        write(bytes, toNew: path, permissions: permissions)
    }

    /// `bytes` in a file created at `path` (O_EXCL, O_NOFOLLOW), which a failed write removes;
    /// errno says why not.
    private func write(_ bytes: [UInt8], toNew path: ByteString, permissions: UInt32) -> Bool {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        let fd = path.withCString { Glibc.open($0, flags, permissions) }
        guard fd >= 0 else { return false }
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let failure = written < 0 ? errno : written != bytes.count ? EIO : 0
        Glibc.close(fd)
        if failure != 0 { removeFile(path) }
        errno = failure
        return failure == 0
    }

    public func removeFile(_ path: ByteString) { _ = path.withCString { unlink($0) } }

    public func names(in directory: ByteString, ending suffix: ByteString) -> [ByteString] {
        guard let stream = directory.withCString({ opendir($0) }) else { return [] }
        defer { closedir(stream) }
        var names: [ByteString] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { ByteString(Array($0.prefix { $0 != 0 })) }
            if name.hasSuffix(suffix) && name.count > suffix.count { names.append(name) }
        }
        return names
    }

    public func modificationTime(of path: ByteString) -> Int? {
        var info = stat()
        return path.withCString({ lstat($0, &info) }) == 0 ? info.st_mtim.tv_sec : nil
    }

    public func executableStamp() -> String {
        var binary = stat()
        _ = stat("/proc/self/exe", &binary)
        return "\(binary.st_size)|\(binary.st_mtim.tv_sec).\(binary.st_mtim.tv_nsec)"
    }

    public func randomBytes(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        return getrandom(&bytes, count, 0) == count ? bytes : nil
    }
}
