@testable import SboxRuntime
import SboxCore
#if canImport(Glibc)
import Glibc
#endif

/// The double's files of the user: `hostFileContents` by path, read and written; writes are logged.
extension RecordingSystemCalls {
    func isMissing(_ path: ByteString) -> Bool {
        log.append("look at \(path.lossy)")
        return !hostFileContents.keys.contains { $0.hasPrefix(path.lossy + "/") }
    }

    /// A failure "open PATH" is thrown as opening it failed.
    func readRegularFile(_ path: ByteString, limit: Int) throws(SystemError) -> [UInt8]? {
        if let errno = failures["open \(path.lossy)"] { throw SystemError("opening", path: path, errno: errno) }
        return hostFileContents[path.lossy]
    }

    func readPrivateFile(_ path: ByteString, limit: Int) -> [UInt8]? { hostFileContents[path.lossy] }
    func createDirectories(_ path: ByteString, permissions: UInt32) {}

    func replaceFile(_ path: ByteString, with bytes: [UInt8], permissions: UInt32) throws(SystemError) {
        try record("replace \(path.lossy)")
        hostFileContents[path.lossy] = bytes
    }

    func createNewFile(_ path: ByteString, with bytes: [UInt8], permissions: UInt32) -> Bool {
        guard hostFileContents[path.lossy] == nil else { return false }
        log.append("create \(path.lossy)")
        hostFileContents[path.lossy] = bytes
        return true
    }

    func removeFile(_ path: ByteString) {
        log.append("remove \(path.lossy)")
        hostFileContents[path.lossy] = nil
    }

    func names(in directory: ByteString, ending suffix: ByteString) -> [ByteString] {
        let prefix = directory.lossy + "/"
        return hostFileContents.keys.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix.lossy) }
            .map { ByteString(String($0.dropFirst(prefix.count))) }
    }

    func modificationTime(of path: ByteString) -> Int? { hostFileContents[path.lossy] == nil ? nil : 0 }
    func executableStamp() -> String { "4096|1.0" }
    func randomBytes(_ count: Int) -> [UInt8]? { Array(repeating: 0x5a, count: count) }
}
