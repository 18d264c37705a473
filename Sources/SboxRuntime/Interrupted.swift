#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` again while it fails with EINTR (a signal arrived before it did anything): its first
/// other result. The one place sbox retries an interrupted call.
@inline(__always)
func retryingIfInterrupted<Result: BinaryInteger>(_ body: () -> Result) -> Result {
    while true {
        let result = body()
        if result >= 0 || errno != EINTR { return result }
    }
}
